#include "xnu.h"

#include <stdarg.h>

int t_failures, t_checks;

size_t strlen(const char* s) { size_t n = 0; while (s[n]) n++; return n; }
int strcmp(const char* a, const char* b) { while (*a && *a == *b) a++, b++; return (unsigned char)*a - (unsigned char)*b; }
int strncmp(const char* a, const char* b, size_t n) {
    for (; n; n--, a++, b++) { if (*a != *b || !*a) return (unsigned char)*a - (unsigned char)*b; }
    return 0;
}
void* memcpy(void* d, const void* s, size_t n) { char* o = d; const char* i = s; while (n--) *o++ = *i++; return d; }
void* memset(void* d, int c, size_t n) { char* o = d; while (n--) *o++ = (char)c; return d; }
void __bzero(void* d, size_t n) { memset(d, 0, n); }  /* what clang lowers a large memset(0) to on Darwin */
/* What the SDK's fortified string.h turns memcpy/memset into when a program includes it. */
void* __memcpy_chk(void* d, const void* s, size_t n, size_t room) {
    if (n > room) __builtin_trap();
    return memcpy(d, s, n);
}
void* __memset_chk(void* d, int c, size_t n, size_t room) {
    if (n > room) __builtin_trap();
    return memset(d, c, n);
}
int memcmp(const void* a, const void* b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
    return 0;
}
char* strstr(const char* h, const char* n) {
    size_t l = strlen(n);
    for (; *h; h++) if (!strncmp(h, n, l)) return (char*)h;
    return l ? 0 : (char*)h;
}

void t_write(int fd, const char* s, size_t n) {
    while (n) {
        struct xres r = BSD(write, fd, s, n);
        if (r.err || r.val <= 0) return;
        s += r.val, n -= (size_t)r.val;
    }
}

static char obuf[4096];
static size_t olen;
static void flush(void) { t_write(1, obuf, olen); olen = 0; }
static void putc_(char c) { if (olen == sizeof obuf) flush(); obuf[olen++] = c; if (c == '\n') flush(); }
static void puts_(const char* s) { while (*s) putc_(*s++); }
static void putnum(unsigned long v, int base, int neg) {
    char b[24]; int i = 0;
    if (neg) putc_('-');
    do { b[i++] = "0123456789abcdef"[v % (unsigned)base]; v /= (unsigned)base; } while (v);
    while (i) putc_(b[--i]);
}

void t_printf(const char* f, ...) {
    va_list ap;
    va_start(ap, f);
    for (; *f; f++) {
        if (*f != '%') { putc_(*f); continue; }
        int l = 0;
        f++;
        while (*f == 'l') l++, f++;
        switch (*f) {
            case 'd': { long v = l ? va_arg(ap, long) : va_arg(ap, int); putnum(v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0); break; }
            case 'u': putnum(l ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0); break;
            case 'x': putnum(l ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0); break;
            case 's': { const char* s = va_arg(ap, const char*); puts_(s ? s : "(null)"); break; }
            case 'c': putc_((char)va_arg(ap, int)); break;
            case '%': putc_('%'); break;
            default: putc_('?');
        }
    }
    va_end(ap);
}

void t_exit(int status) {
    flush();
    BSD(exit, status);
    for (;;) {}
}

void t_check(int cond, const char* what, const char* file, int line) {
    t_checks++;
    if (cond) { t_printf("ok - %s\n", what); return; }
    t_failures++;
    t_printf("FAIL - %s (%s:%d)\n", what, file, line);
}

struct xres t_expect_ok(struct xres r, const char* what, const char* file, int line) {
    t_checks++;
    if (!r.err) { t_printf("ok - %s = %ld\n", what, r.val); return r; }
    t_failures++;
    t_printf("FAIL - %s: errno %d (%s:%d)\n", what, r.err, file, line);
    return r;
}

void t_expect_err(struct xres r, int errnum, const char* name, const char* what, const char* file, int line) {
    t_checks++;
    if (r.err == errnum) { t_printf("ok - %s = -1 %s\n", what, name); return; }
    t_failures++;
    if (r.err) t_printf("FAIL - %s: errno %d, expected %s (%d) (%s:%d)\n", what, r.err, name, errnum, file, line);
    else t_printf("FAIL - %s: succeeded (%ld), expected %s (%s:%d)\n", what, r.val, name, file, line);
}

int t_done(void) {
    t_printf("%d checks, %d failed\n", t_checks, t_failures);
    flush();
    return t_failures ? 1 : 0;
}
