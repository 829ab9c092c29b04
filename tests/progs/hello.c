/* The bundled demo: a greeting through raw XNU system calls, no libSystem. It also checks what it prints and
 * what it was started with (argv, envp and apple[] terminated, apple[0] naming the executable as XNU's exec
 * does), and fails with a message on stderr when anything is off, so a run that "prints something" is not
 * mistaken for a working one. */
#include "xnu.h"

static int failed;

static void fail(const char* what) {
    static const char prefix[] = "hello: ";
    BSD(write, 2, prefix, sizeof prefix - 1);
    long n = 0;
    while (what[n]) n++;
    BSD(write, 2, what, n);
    BSD(write, 2, "\n", 1);
    failed = 1;
}

static int starts_with(const char* s, const char* prefix) {
    while (*prefix)
        if (*s++ != *prefix++) return 0;
    return 1;
}

int main(int argc, char** argv, char** envp, char** apple) {
    static const char msg[] = "Hello from a macOS program, running under macrun.\n";
    struct xres w = BSD(write, 1, msg, sizeof msg - 1);
    if (w.err || w.val != (long)(sizeof msg - 1)) fail("write(1, greeting) did not write the whole greeting");

    if (argc < 1 || !argv[0]) fail("argc is 0 or argv[0] is NULL");
    else if (argv[argc]) fail("argv is not NULL-terminated at argv[argc]");
    int envc = 0;
    while (envc < 100000 && envp[envc]) envc++;
    if (envp[envc]) fail("envp is not NULL-terminated");
    /* xnu bsd/kern/kern_exec.c exec_add_apple_strings: apple[0] is "executable_path=" and the path. */
    if (!apple[0] || !starts_with(apple[0], "executable_path=") || !apple[0][16])
        fail("apple[0] is not executable_path=PATH");

    t_printf("argc=%d argv[0]=%s apple[0]=%s\n", argc, argc > 0 ? argv[0] : "(none)", apple[0] ? apple[0] : "(none)");
    return failed;
}
