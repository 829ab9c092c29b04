/* execve(2) (BSD 59), in xnu bsd/kern/kern_exec.c's order: the path (EFAULT, ENAMETOOLONG, ENOENT for ""),
 * the lookup (ENOENT, ENOTDIR), exec_check_permissions (EACCES for a directory or a file without execute
 * permission, ENOEXEC for an empty file), the image activators (Mach-O: EBADARCH for another CPU, a 32-bit or
 * reverse-endian image, ENOEXEC for a non-executable one; "#!" scripts split at blanks, the line ending at the
 * first '#' or newline, one level only; nothing claims it: ENOEXEC), and only then the argument and environment
 * strings (EFAULT, E2BIG past ARG_MAX = 1 MiB counting strings, pointers, the two NULLs and the tail padding).
 * A Mach-O starts with the argv and envp given (argc may be 0) and keeps the pid; Linux programs and scripts
 * run too. The program re-executes itself (EXECVE_TEST=... in its environment) to look at the new image. */
#include "xnu.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/wait.h>

static char self[1100], dir[1100], exitcode[1100];

static void join(char* out, const char* a, const char* b) {
    size_t n = strlen(a);
    memcpy(out, a, n);
    memcpy(out + n, b, strlen(b) + 1);
}

static void utoa(char* out, unsigned long v) {
    char b[24];
    int i = 0;
    do b[i++] = (char)('0' + v % 10); while (v /= 10);
    while (i) *out++ = b[--i];
    *out = 0;
}

static unsigned long atou(const char* s) {
    unsigned long v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (unsigned long)(*s++ - '0');
    return v;
}

static void write_file(const char* name, const void* data, size_t n, int mode) {
    int fd = (int)BSD(open, name, O_WRONLY | O_CREAT | O_TRUNC, mode).val;
    BSD(write, fd, data, n);
    BSD(close, fd);
}

/* Runs execve in a child and returns the child's wait status, or -errno when execve failed there. The child
 * reports a failure through a close-on-exec pipe. */
static int run(const char* path, char* const* argv, char* const* envp) {
    struct xres p = BSD0(pipe);
    int rd = (int)p.val, wr = (int)p.val2;
    BSD(fcntl, wr, F_SETFD, FD_CLOEXEC);
    long c = t_fork();
    if (c == 0) {
        BSD(close, rd);
        struct xres r = BSD(execve, path, argv, envp);
        BSD(write, wr, &r.err, sizeof r.err);
        BSD(exit, 127);
    }
    BSD(close, wr);
    int err = 0, status = 0;
    long got = BSD(read, rd, &err, sizeof err).val;
    BSD(close, rd);
    BSD(wait4, c, &status, 0, 0);
    return got == sizeof err ? -err : status;
}

static int exited_with(int status, int code) { return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code; }

/* ---- the re-executed program ---- */
static int child_mode(const char* mode, int argc, char** argv, char** envp, char** apple) {
    if (!strcmp(mode, "argv")) {
        int ok = argc == 3 && !strcmp(argv[0], "custom-zero") && !strcmp(argv[1], "a") && !strcmp(argv[2], "b c") &&
                 argv[3] == 0;
        ok &= !strcmp(envp[0], "EXECVE_TEST=argv") && !strcmp(envp[1], "K=V") && envp[2] == 0;
        return ok ? 0 : 1;
    }
    if (!strcmp(mode, "argc0")) return argc == 0 && argv[0] == 0 ? 0 : 1;
    if (!strcmp(mode, "pid")) return argc == 2 && (unsigned long)BSD0(getpid).val == atou(argv[1]) ? 0 : 1;
    if (!strcmp(mode, "apple")) {
        /* apple[0] is executable_path= and the path execve was given (absolute here, so also what
         * proc_pidpath reports: PROC_INFO_CALL_PIDINFO 2, PROC_PIDPATHINFO 11). */
        static char path[4096];
        struct xres r = BSD(proc_info, 2, BSD0(getpid).val, 11, 0, path, sizeof path);
        size_t n = strlen(path), m = strlen(argv[1]);
        if (r.err || path[0] != '/' || n < m || strcmp(path + n - m, argv[1])) return 3;
        if (argv[1][0] == '/' && strcmp(path, argv[1])) return 4;
        return argc == 2 && !strncmp(apple[0], "executable_path=", 16) && !strcmp(apple[0] + 16, argv[1]) ? 0 : 1;
    }
    if (!strcmp(mode, "fds")) {
        /* argv[1] stayed open, argv[2] was close-on-exec. */
        int kept = (int)atou(argv[1]), gone = (int)atou(argv[2]);
        return !BSD(fcntl, kept, F_GETFD, 0).err && BSD(fcntl, gone, F_GETFD, 0).err == EBADF ? 0 : 1;
    }
    return 2;
}

int main(int argc, char** argv, char** envp, char** apple) {
    for (char** e = envp; *e; e++)
        if (!strncmp(*e, "EXECVE_TEST=", 12)) return child_mode(*e + 12, argc, argv, envp, apple);

    /* Other test programs are found next to this one (conform runs it by its absolute path). */
    size_t n = strlen(argv[0]);
    memcpy(self, argv[0], n + 1);
    while (n && argv[0][n - 1] != '/') n--;
    memcpy(dir, argv[0], n);
    dir[n] = 0;
    join(exitcode, dir, "../cli/exitcode");
    char* no_env[] = {0};

    /* The path. */
    char* sh_argv[] = {"sh", "-c", "exit 0", 0};
    EXPECT_ERR(BSD(execve, "/nonexistent/prog", sh_argv, no_env), ENOENT, "a missing file: ENOENT");
    EXPECT_ERR(BSD(execve, "", sh_argv, no_env), ENOENT, "an empty path: ENOENT");
    EXPECT_ERR(BSD(execve, BAD_PTR, sh_argv, no_env), EFAULT, "a bad path pointer: EFAULT");
    static char longpath[1100];
    memset(longpath, 'a', sizeof longpath - 1);
    EXPECT_ERR(BSD(execve, longpath, sh_argv, no_env), ENAMETOOLONG, "a path longer than MAXPATHLEN");
    EXPECT_ERR(BSD(execve, "/etc/passwd/x", sh_argv, no_env), ENOTDIR, "a file as a directory: ENOTDIR");

    /* exec_check_permissions. */
    EXPECT_ERR(BSD(execve, ".", sh_argv, no_env), EACCES, "a directory: EACCES");
    write_file("data.txt", "hello\n", 6, 0644);
    EXPECT_ERR(BSD(execve, "data.txt", sh_argv, no_env), EACCES, "no execute permission: EACCES");
    write_file("empty", "", 0, 0755);
    EXPECT_ERR(BSD(execve, "empty", sh_argv, no_env), ENOEXEC, "an empty file: ENOEXEC");

    /* Image activators. */
    write_file("text", "just some text\n", 15, 0755);
    EXPECT_ERR(BSD(execve, "text", sh_argv, no_env), ENOEXEC, "no activator claims plain text: ENOEXEC");
    write_file("noint.sh", "#!\n", 3, 0755);
    EXPECT_ERR(BSD(execve, "noint.sh", sh_argv, no_env), ENOEXEC, "\"#!\" without an interpreter: ENOEXEC");
    write_file("blank.sh", "#!    # only a comment\n", 23, 0755);
    EXPECT_ERR(BSD(execve, "blank.sh", sh_argv, no_env), ENOEXEC, "\"#!\" with only blanks before '#': ENOEXEC");
    write_file("missing.sh", "#!/nonexistent/interp\n", 22, 0755);
    EXPECT_ERR(BSD(execve, "missing.sh", sh_argv, no_env), ENOENT, "a missing interpreter: ENOENT");
    write_file("s9.sh", "#!/bin/sh\nexit 9\n", 17, 0755);
    write_file("nested.sh", "#!s9.sh\n", 8, 0755);
    EXPECT_ERR(BSD(execve, "nested.sh", sh_argv, no_env), ENOEXEC, "a script as interpreter: ENOEXEC");
    static unsigned char macho[4096];
    unsigned int* h = (unsigned int*)macho;
    h[0] = 0xfeedfacf, h[1] = 0x0100000c, h[2] = 0, h[3] = 2;  /* arm64 MH_EXECUTE */
    write_file("arm64", macho, sizeof macho, 0755);
    EXPECT_ERR(BSD(execve, "arm64", sh_argv, no_env), EBADARCH, "an arm64 executable: EBADARCH");
    h[0] = 0xfeedface, h[1] = 7;  /* i386 MH_EXECUTE */
    write_file("i386", macho, sizeof macho, 0755);
    EXPECT_ERR(BSD(execve, "i386", sh_argv, no_env), EBADARCH, "a 32-bit executable: EBADARCH");
    h[0] = 0xcffaedfe;
    write_file("swapped", macho, sizeof macho, 0755);
    EXPECT_ERR(BSD(execve, "swapped", sh_argv, no_env), EBADARCH, "a reverse-endian Mach-O: EBADARCH");
    h[0] = 0xfeedfacf, h[1] = 0x01000007, h[3] = 1;  /* x86_64 MH_OBJECT */
    write_file("object", macho, sizeof macho, 0755);
    EXPECT_ERR(BSD(execve, "object", sh_argv, no_env), ENOEXEC, "a Mach-O object file: ENOEXEC");
    memset(macho, 0, 32);
    h[0] = 0xbebafeca, h[1] = 0x01000000;  /* fat, big-endian, one architecture */
    unsigned int arch[5] = {0x0c000001, 0, 0x00100000, 0x00100000, 0x0e000000};  /* arm64 at 4 KiB */
    memcpy(macho + 8, arch, sizeof arch);
    write_file("fat-arm64", macho, sizeof macho, 0755);
    EXPECT_ERR(BSD(execve, "fat-arm64", sh_argv, no_env), EBADMACHO, "a fat file whose slice is past its end: EBADMACHO");

    /* Strings: checked after the file (the order above), EFAULT and E2BIG. */
    EXPECT_ERR(BSD(execve, "/bin/sh", BAD_PTR, no_env), EFAULT, "argv unreadable: EFAULT");
    char* bad_arg[] = {"sh", BAD_PTR, 0};
    EXPECT_ERR(BSD(execve, "/bin/sh", bad_arg, no_env), EFAULT, "an unreadable argv string: EFAULT");
    EXPECT_ERR(BSD(execve, "/bin/sh", sh_argv, BAD_PTR), EFAULT, "envp unreadable: EFAULT");
    EXPECT_ERR(BSD(execve, "/nonexistent", BAD_PTR, BAD_PTR), ENOENT, "the file is looked at before the strings");

    /* ARG_MAX: strings, their pointers, argv's and envp's NULLs and the tail's padding to 8 bytes count; here
     * 16 strings of 65000 bytes, "/bin/sh" "-c" "exit 0" and one more of `last` bytes (NUL included). */
    long big = BSD(mmap, 0, 17 * 65536, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE, -1, 0).val;
    char* big_argv[21] = {"/bin/sh", "-c", "exit 0"};
    for (int i = 0; i < 17; i++) {
        char* s = (char*)big + i * 65536;
        memset(s, 'x', 65535);
        s[64999] = 0;
        big_argv[3 + i] = s;
    }
    big_argv[20] = 0;
    big_argv[19][8381] = 0;  /* 18 + 16 * 65000 + 8382 = 1048400 bytes; 20 pointers and 2 NULLs: 1048576 */
    int st = run("/bin/sh", big_argv, no_env);
    CHECK(exited_with(st, 0), "exactly ARG_MAX bytes run");
    big_argv[19][8381] = 'x', big_argv[19][8382] = 0;
    EXPECT_ERR(BSD(execve, "/bin/sh", big_argv, no_env), E2BIG, "one byte more: E2BIG");
    /* The same string in the environment instead costs the same. */
    char* env_last[] = {big_argv[19], 0};
    big_argv[19] = 0;
    EXPECT_ERR(BSD(execve, "/bin/sh", big_argv, env_last), E2BIG, "one byte more, in the environment: E2BIG");
    env_last[0][8381] = 0;
    CHECK(exited_with(run("/bin/sh", big_argv, env_last), 0), "exactly ARG_MAX bytes with the environment run");
    char* one_big[] = {"sh", (char*)big, 0};
    memset((char*)big, 'y', 17 * 65536 - 1);
    EXPECT_ERR(BSD(execve, "/bin/sh", one_big, no_env), E2BIG, "a string longer than ARG_MAX: E2BIG");
    BSD(munmap, big, 17 * 65536);

    /* Running things. */
    char* ec_argv[] = {"exitcode", "42", 0};
    CHECK(exited_with(run(exitcode, ec_argv, no_env), 42), "a Mach-O (tests/cli/exitcode 42): status 42");
    char* sh3[] = {"sh", "-c", "exit 3", 0};
    CHECK(exited_with(run("/bin/sh", sh3, no_env), 3), "/bin/sh -c 'exit 3': status 3");
    char* shx[] = {"sh", "-c", "exit $X", 0};
    char* envx[] = {"X=7", 0};
    CHECK(exited_with(run("/bin/sh", shx, envx), 7), "the environment given reaches it: status 7");
    char* s9_argv[] = {"s9.sh", 0};
    CHECK(exited_with(run("s9.sh", s9_argv, no_env), 9), "a \"#!/bin/sh\" script: status 9");

    /* "#!/bin/echo a  b\t c #x": XNU splits the arguments at blanks; the script's path replaces argv[0]. */
    write_file("split.sh", "#!/bin/echo a  b\t c #x\n", 23, 0755);
    struct xres p = BSD0(pipe);
    long c = t_fork();
    if (c == 0) {
        char* a[] = {"zero", "more", 0};
        BSD(dup2, p.val2, 1);
        BSD(execve, "split.sh", a, no_env);
        BSD(exit, 127);
    }
    BSD(close, p.val2);
    char out[64] = {0};
    long got = 0, r;
    while ((r = BSD(read, p.val, out + got, sizeof out - 1 - got).val) > 0) got += r;
    BSD(close, p.val);
    BSD(wait4, c, &st, 0, 0);
    CHECK(!strcmp(out, "a b c split.sh more\n"), "interpreter arguments split at blanks, then the script, then argv[1]");

    char line[1200];
    join(line, "#!", exitcode);
    join(line + strlen(line), "", " 5\n");
    write_file("mach.sh", line, strlen(line), 0755);
    char* m_argv[] = {"mach.sh", 0};
    CHECK(exited_with(run("mach.sh", m_argv, no_env), 5), "a script whose interpreter is a Mach-O: status 5");

    /* The new image: argv and envp as given, argc 0, the pid, executable_path, descriptors. */
    char* av[] = {"custom-zero", "a", "b c", 0};
    char* ev[] = {"EXECVE_TEST=argv", "K=V", 0};
    CHECK(exited_with(run(self, av, ev), 0), "a Mach-O gets argv (argv[0] included) and envp exactly");
    char* none[] = {0};
    char* ev0[] = {"EXECVE_TEST=argc0", 0};
    CHECK(exited_with(run(self, none, ev0), 0), "an empty argv: argc 0");
    CHECK(exited_with(run(self, 0, ev0), 0), "a null argv: argc 0");
    c = t_fork();
    if (c == 0) {
        char pid[24];
        utoa(pid, (unsigned long)BSD0(getpid).val);
        char* a[] = {"x", pid, 0};
        char* e[] = {"EXECVE_TEST=pid", 0};
        BSD(execve, self, a, e);
        BSD(exit, 127);
    }
    BSD(wait4, c, &st, 0, 0);
    CHECK(exited_with(st, 0), "the process keeps its pid");
    char* apv[] = {"x", self, 0};
    char* ape[] = {"EXECVE_TEST=apple", 0};
    CHECK(exited_with(run(self, apv, ape), 0), "apple[0] is executable_path= and the path given; proc_pidpath too");
    p = BSD0(pipe);
    BSD(fcntl, p.val2, F_SETFD, FD_CLOEXEC);
    char kept[24], gone[24];
    utoa(kept, (unsigned long)p.val);
    utoa(gone, (unsigned long)p.val2);
    char* fdv[] = {"x", kept, gone, 0};
    char* fde[] = {"EXECVE_TEST=fds", 0};
    CHECK(exited_with(run(self, fdv, fde), 0), "descriptors stay open unless close-on-exec");
    BSD(close, p.val);
    BSD(close, p.val2);
    return t_done();
}
