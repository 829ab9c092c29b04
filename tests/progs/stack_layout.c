/* The initial stack of an LC_UNIXTHREAD program: argc/argv/envp/apple layout, alignment, apple strings. */
/* Semantics: xnu bsd/kern/kern_exec.c exec_add_apple_strings(), exec_copyout_strings(). */
#include "xnu.h"

static const char* apple_value(char** apple, const char* key) {
    size_t n = strlen(key);
    for (; *apple; apple++)
        if (!strncmp(*apple, key, n)) return *apple + n;
    return 0;
}

static unsigned long hex(const char* s, const char** end) {
    unsigned long v = 0;
    if (s[0] == '0' && s[1] == 'x') s += 2;
    for (;; s++) {
        int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10 : -1;
        if (d < 0) break;
        v = v * 16 + (unsigned long)d;
    }
    if (end) *end = s;
    return v;
}

int main(int argc, char** argv, char** envp, char** apple) {
    long* sp = (long*)argv - 1; /* rsp at entry pointed at argc */
    CHECK(*sp == argc && argc >= 1, "argc sits just below argv");
    CHECK(((unsigned long)sp & 15) == 0, "rsp at entry is 16-byte aligned");
    CHECK(argv[argc] == 0, "argv is NULL-terminated");
    CHECK(envp == argv + argc + 1, "envp follows argv's NULL");
    char** e = envp;
    while (*e) e++;
    CHECK(apple == e + 1, "apple follows envp's NULL");
    int n = 0;
    while (apple[n]) n++;
    CHECK(n >= 4, "at least four apple strings");

    CHECK(!strncmp(apple[0], "executable_path=", 16), "apple[0] is executable_path=");
    const char* path = apple[0] + 16;
    size_t pl = strlen(path);
    CHECK(pl >= 12 && !strcmp(path + pl - 12, "stack_layout"), "executable_path names this program");
    const char* guard = apple_value(apple, "stack_guard=");
    CHECK(guard && guard[0] == '0' && guard[1] == 'x', "stack_guard=0x...");
    CHECK(apple_value(apple, "ptr_munge=") != 0, "ptr_munge=");
    CHECK(apple_value(apple, "malloc_entropy=") != 0, "malloc_entropy=");
    const char* ms = apple_value(apple, "main_stack=");
    CHECK(ms != 0, "main_stack=");
    if (ms) {
        const char* p;
        unsigned long top = hex(ms, &p);
        unsigned long size = *p == ',' ? hex(p + 1, 0) : 0;
        CHECK(top > (unsigned long)sp && top - size < (unsigned long)sp, "main_stack's range holds rsp");
        CHECK(size >= 64 * 1024 && (top & 4095) == 0, "main_stack: page-aligned top, a real size");
        char** last = apple + n - 1;
        CHECK((unsigned long)*last < top, "the strings lie below the stack top");
    }
    CHECK((unsigned long)argv[0] > (unsigned long)(apple + n), "strings lie above the pointer vectors");
    return t_done();
}
