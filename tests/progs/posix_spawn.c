/* posix_spawn(2) (BSD 244), with the argument blocks libc passes (xnu bsd/sys/spawn_internal.h): a Mach-O, a
 * Linux program and a script start with the argv and envp given; the pid goes to *pid (a bad *pid is ignored,
 * as xnu drops the copyout error); file actions run in order in the child (open onto a descriptor, dup2,
 * close, inherit, chdir, fchdir) and the first failure is the call's errno with no child left; the attributes
 * (POSIX_SPAWN_SETPGROUP, SETSID, SETSIGMASK, SETSIGDEF, CLOEXEC_DEFAULT) reach the new program;
 * POSIX_SPAWN_SETEXEC replaces the caller, and when it fails leaves it as it was; malformed blocks are EINVAL
 * or EFAULT. The program re-executes itself (SPAWN_TEST=... in its environment) to look at the new image. */
#include "xnu.h"

#include <sys/stat.h>
#include <sys/wait.h>

/* xnu bsd/sys/spawn.h */
#define SPAWN_RESETIDS 0x0001
#define SPAWN_SETPGROUP 0x0002
#define SPAWN_SETSIGDEF 0x0004
#define SPAWN_SETSIGMASK 0x0008
#define SPAWN_SETEXEC 0x0040
#define SPAWN_SETSID 0x0400
#define SPAWN_CLOEXEC_DEFAULT 0x4000

/* xnu bsd/sys/spawn_internal.h (xnu-11417) */
enum { PSFA_OPEN = 0, PSFA_CLOSE = 1, PSFA_DUP2 = 2, PSFA_INHERIT = 3, PSFA_CHDIR = 5, PSFA_FCHDIR = 6 };
struct psfa_action {
    int type;
    int filedes;
    union {
        struct { int oflag; unsigned short mode; char path[1024]; } open;
        struct { int newfiledes; } dup2;
        struct { char path[1024]; } chdir;
    } u;
};
#define MAX_ACTIONS 8
struct file_actions { int alloc, count; struct psfa_action acts[MAX_ACTIONS]; };
struct spawnattr {
    short flags, padding;
    unsigned sigdefault, sigmask;
    int pgroup;
    char rest[192 - 16];
    void* ptrs[7]; /* psa_ports ... psa_conclave_id */
};
struct args_desc {
    unsigned long attr_size; struct spawnattr* attrp;
    unsigned long file_actions_size; struct file_actions* file_actions;
    unsigned long port_actions_size; void* port_actions;
    unsigned long mac_extensions_size; void* mac_extensions;
    unsigned long coal_info_size; void* coal_info;
    unsigned long persona_info_size; void* persona_info;
    unsigned long posix_cred_info_size; void* posix_cred_info;
    unsigned long subsystem_root_path_size; void* subsystem_root_path;
    unsigned long conclave_id_size; void* conclave_id;
};

#define SIGUSR1_ 30
#define SIGUSR2_ 31
#define BIT(s) (1u << ((s) - 1))

static char self[1100], dir[1100], exitcode[1100];
static struct file_actions fa;
static struct spawnattr attr;
static struct args_desc desc;

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

/* Builders, as libc's posix_spawn_file_actions_* and posix_spawnattr_* fill the blocks. */
static void reset(void) {
    memset(&fa, 0, sizeof fa);
    memset(&attr, 0, sizeof attr);
    memset(&desc, 0, sizeof desc);
    fa.alloc = MAX_ACTIONS;
}
static struct psfa_action* add_action(int type, int fd) {
    struct psfa_action* a = &fa.acts[fa.count++];
    a->type = type;
    a->filedes = fd;
    desc.file_actions = &fa;
    desc.file_actions_size = 8 + (unsigned long)fa.count * sizeof(struct psfa_action);
    return a;
}
static void add_open(int fd, const char* path, int oflag, int mode) {
    struct psfa_action* a = add_action(PSFA_OPEN, fd);
    a->u.open.oflag = oflag;
    a->u.open.mode = (unsigned short)mode;
    memcpy(a->u.open.path, path, strlen(path) + 1);
}
static void add_dup2(int fd, int newfd) { add_action(PSFA_DUP2, fd)->u.dup2.newfiledes = newfd; }
static void add_chdir(const char* path) {
    struct psfa_action* a = add_action(PSFA_CHDIR, -1);
    memcpy(a->u.chdir.path, path, strlen(path) + 1);
}
static void set_flags(short flags) {
    attr.flags = flags;
    desc.attrp = &attr;
    desc.attr_size = sizeof attr;
}

static struct xres spawn(int* pid, const char* path, struct args_desc* d, char* const* argv, char* const* envp) {
    return BSD(posix_spawn, pid, path, d, argv, envp);
}

/* Spawns and reaps: the wait status, or -errno when posix_spawn failed. */
static int run(const char* path, struct args_desc* d, char* const* argv, char* const* envp) {
    int pid = -1, status = 0;
    struct xres r = spawn(&pid, path, d, argv, envp);
    if (r.err) return -r.err;
    struct xres w = BSD(wait4, pid, &status, 0, 0);
    if (w.err || w.val != pid) return -1000;
    return status;
}
static int exited_with(int status, int code) { return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code; }
static int no_child_left(void) { return BSD(wait4, -1, 0, WNOHANG, 0).err == ECHILD; }

static long read_file(const char* name, char* buf, size_t n) {
    memset(buf, 0, n);
    struct xres o = BSD(open, name, O_RDONLY, 0);
    if (o.err) return -1;
    long got = BSD(read, o.val, buf, n - 1).val;
    BSD(close, o.val);
    return got;
}

/* ---- the re-executed program ---- */
static int child_mode(const char* mode, int argc, char** argv, char** envp) {
    if (!strcmp(mode, "argv")) {
        int ok = argc == 3 && !strcmp(argv[0], "zero") && !strcmp(argv[1], "a") && !strcmp(argv[2], "b c") && !argv[3];
        return ok && !strcmp(envp[0], "SPAWN_TEST=argv") && !strcmp(envp[1], "K=V") && !envp[2] ? 0 : 1;
    }
    if (!strcmp(mode, "fds")) {
        /* argv[1] is open, argv[2] is not. */
        int kept = (int)atou(argv[1]), gone = (int)atou(argv[2]);
        return !BSD(fcntl, kept, F_GETFD, 0).err && BSD(fcntl, gone, F_GETFD, 0).err == EBADF ? 0 : 1;
    }
    if (!strcmp(mode, "mask")) {
        unsigned cur = 0;
        xsys6(SYSCALL_CLASS_UNIX | 48, 1 /* SIG_BLOCK */, 0, (long)&cur, 0, 0, 0);
        return cur == (unsigned)atou(argv[1]) ? 0 : 1;
    }
    if (!strcmp(mode, "pgid")) return BSD0(getpgrp).val == BSD0(getpid).val ? 0 : 1;
    if (!strcmp(mode, "sid")) return BSD(getsid, 0).val == BSD0(getpid).val && BSD0(getpgrp).val == BSD0(getpid).val ? 0 : 1;
    if (!strcmp(mode, "pid")) return argc == 2 && (unsigned long)BSD0(getpid).val == atou(argv[1]) ? 0 : 1;
    return 2;
}

int main(int argc, char** argv, char** envp, char** apple) {
    for (char** e = envp; *e; e++)
        if (!strncmp(*e, "SPAWN_TEST=", 11)) return child_mode(*e + 11, argc, argv, envp);

    /* Other test programs are found next to this one: apple[0] is "executable_path=" and its path. */
    const char* exe = apple[0] && !strncmp(apple[0], "executable_path=", 16) ? apple[0] + 16 : argv[0];
    size_t n = strlen(exe);
    memcpy(self, exe, n + 1);
    while (n && exe[n - 1] != '/') n--;
    memcpy(dir, exe, n);
    dir[n] = 0;
    join(exitcode, dir, "../cli/exitcode");
    char* no_env[] = {0};
    int pid = -1, status = 0;

    /* Programs, no attributes or actions (adesc NULL). */
    char* ec_argv[] = {"exitcode", "42", 0};
    struct xres r = spawn(&pid, exitcode, 0, ec_argv, no_env);
    EXPECT_OK(r, "spawn a Mach-O (tests/cli/exitcode 42)");
    CHECK(r.val == 0, "posix_spawn returns 0");
    CHECK(pid > 0 && pid != BSD0(getpid).val, "the child's pid is written to *pid");
    struct xres w = BSD(wait4, pid, &status, 0, 0);
    CHECK(w.val == pid && exited_with(status, 42), "wait4 gets the child and its status 42");
    char* sh3[] = {"sh", "-c", "exit 3", 0};
    CHECK(exited_with(run("/bin/sh", 0, sh3, no_env), 3), "/bin/sh -c 'exit 3': status 3");
    char* shx[] = {"sh", "-c", "exit $X", 0};
    char* envx[] = {"X=7", 0};
    CHECK(exited_with(run("/bin/sh", 0, shx, envx), 7), "the environment given reaches it: status 7");
    char* av[] = {"zero", "a", "b c", 0};
    char* ev[] = {"SPAWN_TEST=argv", "K=V", 0};
    CHECK(exited_with(run(self, 0, av, ev), 0), "a Mach-O gets argv (argv[0] included) and envp exactly");
    int fd = (int)BSD(open, "s5.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755).val;
    BSD(write, fd, "#!/bin/sh\nexit 5\n", 17);
    BSD(close, fd);
    char* s5[] = {"s5.sh", 0};
    CHECK(exited_with(run("s5.sh", 0, s5, no_env), 5), "a \"#!/bin/sh\" script: status 5");
    r = spawn(0, "/bin/sh", 0, sh3, no_env);
    EXPECT_OK(r, "a null pid pointer: the child is started all the same");
    CHECK(BSD(wait4, -1, &status, 0, 0).val > 0 && exited_with(status, 3), "and can be waited for");
    r = spawn(BAD_PTR, "/bin/sh", 0, sh3, no_env);
    EXPECT_OK(r, "an unwritable pid pointer is ignored (xnu drops the copyout error)");
    CHECK(BSD(wait4, -1, &status, 0, 0).val > 0 && exited_with(status, 3), "and the child runs");

    /* Errors of the image: the call fails, no child remains. */
    EXPECT_ERR(spawn(&pid, "/nonexistent/prog", 0, sh3, no_env), ENOENT, "a missing program: ENOENT");
    CHECK(no_child_left(), "no child remains (wait4: ECHILD)");
    EXPECT_ERR(spawn(&pid, ".", 0, sh3, no_env), EACCES, "a directory: EACCES");
    EXPECT_ERR(spawn(&pid, BAD_PTR, 0, sh3, no_env), EFAULT, "a bad path pointer: EFAULT");
    EXPECT_ERR(spawn(&pid, "/bin/sh", 0, BAD_PTR, no_env), EFAULT, "an unreadable argv: EFAULT");
    CHECK(no_child_left(), "no child remains after any of them");

    /* Malformed argument blocks. */
    EXPECT_ERR(spawn(&pid, "/bin/sh", BAD_PTR, sh3, no_env), EFAULT, "an unreadable descriptor: EFAULT");
    reset();
    add_action(PSFA_CLOSE, 100);
    desc.file_actions_size += 1;
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EINVAL, "a file actions size that is not the count's: EINVAL");
    desc.file_actions_size = 4;
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EINVAL, "a file actions block smaller than one action: EINVAL");
    reset();
    add_action(PSFA_CLOSE, 100);
    desc.file_actions = BAD_PTR;
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EFAULT, "an unreadable file actions block: EFAULT");
    reset();
    set_flags(SPAWN_SETPGROUP);
    desc.attrp = BAD_PTR;
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EFAULT, "an unreadable attributes block: EFAULT");
    reset();
    add_action(7, 0);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EINVAL, "an unknown file action: EINVAL");
    CHECK(no_child_left(), "no child remains");
    reset();
    set_flags(0x0010 | 0x0020);  /* bits xnu does not define */
    CHECK(exited_with(run("/bin/sh", &desc, sh3, no_env), 3), "unknown attribute flags are ignored");

    /* File actions. */
    reset();
    add_open(1, "spawn_out.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char* echo[] = {"sh", "-c", "echo hello", 0};
    CHECK(exited_with(run("/bin/sh", &desc, echo, no_env), 0), "open spawn_out.txt onto fd 1, then echo hello");
    char buf[64];
    read_file("spawn_out.txt", buf, sizeof buf);
    CHECK(!strcmp(buf, "hello\n"), "the child's fd 1 was the file: it holds hello");
    struct xres p = BSD0(pipe);
    reset();
    add_dup2((int)p.val2, 1);
    add_action(PSFA_CLOSE, (int)p.val);
    char* echo2[] = {"sh", "-c", "echo piped", 0};
    r = spawn(&pid, "/bin/sh", &desc, echo2, no_env);
    EXPECT_OK(r, "dup2 a pipe onto fd 1 and close its read end");
    BSD(close, p.val2);
    long got = 0, k;
    memset(buf, 0, sizeof buf);
    while ((k = BSD(read, p.val, buf + got, sizeof buf - 1 - got).val) > 0) got += k;
    BSD(close, p.val);
    BSD(wait4, pid, &status, 0, 0);
    CHECK(!strcmp(buf, "piped\n") && exited_with(status, 0), "the parent reads the child's output from the pipe");

    /* close and inherit: argv[1] open, argv[2] closed in the new program. */
    p = BSD0(pipe);
    BSD(fcntl, p.val, F_SETFD, FD_CLOEXEC);
    char kept[24], gone[24];
    utoa(kept, (unsigned long)p.val);
    utoa(gone, (unsigned long)p.val2);
    char* fdv[] = {"x", kept, gone, 0};
    char* fde[] = {"SPAWN_TEST=fds", 0};
    reset();
    add_action(PSFA_INHERIT, (int)p.val);
    add_action(PSFA_CLOSE, (int)p.val2);
    CHECK(exited_with(run(self, &desc, fdv, fde), 0), "inherit keeps a close-on-exec descriptor, close closes one");
    CHECK(!BSD(fcntl, p.val2, F_GETFD, 0).err, "the parent's descriptors are untouched");
    /* POSIX_SPAWN_CLOEXEC_DEFAULT: only what the actions name survives. */
    BSD(fcntl, p.val, F_SETFD, 0);
    utoa(kept, (unsigned long)p.val2);
    utoa(gone, (unsigned long)p.val);
    reset();
    set_flags(SPAWN_CLOEXEC_DEFAULT);
    add_action(PSFA_INHERIT, 1);
    add_action(PSFA_INHERIT, 2);
    add_action(PSFA_INHERIT, (int)p.val2);
    CHECK(exited_with(run(self, &desc, fdv, fde), 0), "CLOEXEC_DEFAULT closes an inherited descriptor the actions do not name");
    reset();
    set_flags(SPAWN_CLOEXEC_DEFAULT);
    add_dup2(1, 1);
    add_dup2(2, 2);
    add_dup2((int)p.val, 40);
    utoa(kept, 40);
    utoa(gone, (unsigned long)p.val);
    CHECK(exited_with(run(self, &desc, fdv, fde), 0), "CLOEXEC_DEFAULT keeps a dup2 target, not its source");
    BSD(close, p.val);
    BSD(close, p.val2);

    /* chdir and fchdir: the program starts in the directory. */
    BSD(mkdir, "spawn_dir", 0755);
    fd = (int)BSD(open, "spawn_dir/marker", O_WRONLY | O_CREAT, 0644).val;
    BSD(close, fd);
    char* test_marker[] = {"sh", "-c", "test -f marker", 0};
    reset();
    add_chdir("spawn_dir");
    CHECK(exited_with(run("/bin/sh", &desc, test_marker, no_env), 0), "chdir: the child starts in spawn_dir");
    CHECK(BSD(access, "spawn_dir/marker", 0).err == 0, "the parent's directory is unchanged");
    int dfd = (int)BSD(open, "spawn_dir", O_RDONLY, 0).val;
    reset();
    add_action(PSFA_FCHDIR, dfd);
    CHECK(exited_with(run("/bin/sh", &desc, test_marker, no_env), 0), "fchdir: the child starts in spawn_dir");
    BSD(close, dfd);
    /* A relative program path is looked up after the actions, from the new directory. */
    fd = (int)BSD(open, "spawn_dir/s6.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755).val;
    BSD(write, fd, "#!/bin/sh\nexit 6\n", 17);
    BSD(close, fd);
    char* s6[] = {"s6.sh", 0};
    reset();
    add_chdir("spawn_dir");
    CHECK(exited_with(run("./s6.sh", &desc, s6, no_env), 6), "the program path is resolved in the new directory");

    /* A failing action fails the call with its errno; no child remains. */
    reset();
    add_open(1, "/nonexistent/file", O_RDONLY, 0);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), ENOENT, "open of a missing file: ENOENT");
    CHECK(no_child_left(), "no child remains (wait4: ECHILD)");
    reset();
    add_action(PSFA_CLOSE, 77);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EBADF, "close of a descriptor that is not open: EBADF");
    reset();
    add_dup2(78, 5);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EBADF, "dup2 from a descriptor that is not open: EBADF");
    reset();
    add_action(PSFA_INHERIT, 79);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EBADF, "inherit of a descriptor that is not open: EBADF");
    reset();
    add_chdir("/nonexistent");
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), ENOENT, "chdir to a missing directory: ENOENT");
    reset();
    add_action(PSFA_CLOSE, 77);
    EXPECT_ERR(spawn(&pid, "/nonexistent/prog", &desc, sh3, no_env), EBADF, "the actions run before the image is looked up");
    reset();
    add_open(9, "spawn_created.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    EXPECT_ERR(spawn(&pid, "/nonexistent/prog", &desc, sh3, no_env), ENOENT, "a missing program after an open action");
    CHECK(BSD(access, "spawn_created.txt", 0).err == 0, "the child's open had created the file");
    CHECK(no_child_left(), "no child remains after any of them");

    /* Attributes. */
    char mask[24];
    utoa(mask, BIT(SIGUSR1_) | BIT(SIGUSR2_));
    char* maskv[] = {"x", mask, 0};
    char* maske[] = {"SPAWN_TEST=mask", 0};
    reset();
    set_flags(SPAWN_SETSIGMASK);
    attr.sigmask = BIT(SIGUSR1_) | BIT(SIGUSR2_) | BIT(9) | BIT(17);  /* SIGKILL and SIGSTOP cannot be masked */
    CHECK(exited_with(run(self, &desc, maskv, maske), 0), "SETSIGMASK: the program starts with the mask given");
    /* SETSIGDEF: signals the parent ignores stay ignored in the new program, except those reset. */
    t_sigaction(SIGUSR1_, (void*)1, 0, 0, 0);
    t_sigaction(SIGUSR2_, (void*)1, 0, 0, 0);
    char* kill1[] = {"sh", "-c", "kill -USR1 $$; exit 4", 0};
    char* kill2[] = {"sh", "-c", "kill -USR2 $$; exit 4", 0};
    CHECK(exited_with(run("/bin/sh", 0, kill1, no_env), 4), "an ignored SIGUSR1 stays ignored in the child");
    reset();
    set_flags(SPAWN_SETSIGDEF);
    attr.sigdefault = BIT(SIGUSR1_);
    status = run("/bin/sh", &desc, kill1, no_env);
    CHECK(status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1_, "SETSIGDEF SIGUSR1: the child dies of SIGUSR1");
    CHECK(exited_with(run("/bin/sh", &desc, kill2, no_env), 4), "while SIGUSR2, not in the set, stays ignored");
    t_sigaction(SIGUSR1_, (void*)0, 0, 0, 0);
    t_sigaction(SIGUSR2_, (void*)0, 0, 0, 0);
    char* sdv[] = {"x", 0};
    char* pge[] = {"SPAWN_TEST=pgid", 0};
    reset();
    set_flags(SPAWN_SETPGROUP);
    CHECK(exited_with(run(self, &desc, sdv, pge), 0), "SETPGROUP 0: the child leads a group of its own");
    reset();
    set_flags(SPAWN_SETPGROUP);
    attr.pgroup = 999999;
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EPERM, "SETPGROUP into a group that does not exist: EPERM");
    CHECK(no_child_left(), "no child remains");
    char* sie[] = {"SPAWN_TEST=sid", 0};
    reset();
    set_flags(SPAWN_SETSID);
    CHECK(exited_with(run(self, &desc, sdv, sie), 0), "SETSID: the child leads a session of its own");
    reset();
    set_flags(SPAWN_SETPGROUP | SPAWN_SETSID);
    EXPECT_ERR(spawn(&pid, "/bin/sh", &desc, sh3, no_env), EPERM, "SETPGROUP then SETSID: a group leader cannot: EPERM");
    reset();
    set_flags(SPAWN_RESETIDS);
    CHECK(exited_with(run("/bin/sh", &desc, sh3, no_env), 3), "RESETIDS with equal ids changes nothing");

    /* POSIX_SPAWN_SETEXEC: no child, the caller becomes the program (checked in a child of ours). */
    long c = t_fork();
    if (c == 0) {
        char me[24];
        utoa(me, (unsigned long)BSD0(getpid).val);
        char* a[] = {"x", me, 0};
        char* e[] = {"SPAWN_TEST=pid", 0};
        reset();
        set_flags(SPAWN_SETEXEC);
        struct xres x = spawn(0, self, &desc, a, e);
        BSD(exit, 100 + x.err);
    }
    BSD(wait4, c, &status, 0, 0);
    CHECK(exited_with(status, 0), "SETEXEC: the caller runs the new image and keeps its pid");
    c = t_fork();
    if (c == 0) {
        /* A failed SETEXEC leaves the caller as it was: descriptors, directory. */
        int f = (int)BSD(open, "spawn_out.txt", O_RDONLY, 0).val;
        struct stat st0, st1;
        BSD(fstat64, 0, &st0);
        reset();
        set_flags(SPAWN_SETEXEC);
        add_action(PSFA_CLOSE, f);
        add_open(0, "spawn_out.txt", O_RDONLY, 0);
        add_chdir("spawn_dir");
        struct xres x = spawn(0, "/nonexistent/prog", &desc, sh3, no_env);
        BSD(fstat64, 0, &st1);
        int ok = x.err == ENOENT && !BSD(fcntl, f, F_GETFD, 0).err && BSD(access, "spawn_dir", 0).err == 0 &&
                 st0.st_ino == st1.st_ino && st0.st_dev == st1.st_dev;
        BSD(exit, ok ? 0 : 1);
    }
    BSD(wait4, c, &status, 0, 0);
    CHECK(exited_with(status, 0), "a failed SETEXEC returns ENOENT and leaves descriptors and directory alone");
    CHECK(no_child_left(), "SETEXEC made no child");

    /* Many at once: 100 spawns, then every status. */
    int pids[100], spawned = 0;
    for (int i = 0; i < 100; i++) {
        char num[8];
        utoa(num, (unsigned long)i);
        char* a[] = {"exitcode", num, 0};
        if (spawn(&pids[i], exitcode, 0, a, no_env).err) break;
        spawned++;
    }
    CHECK(spawned == 100, "100 Mach-O children spawned");
    int right = 0;
    for (int i = 0; i < spawned; i++) {
        w = BSD(wait4, pids[i], &status, 0, 0);
        if (w.val == pids[i] && exited_with(status, i)) right++;
    }
    CHECK(right == 100, "each exits with its own status");
    CHECK(no_child_left(), "then no children are left");
    return t_done();
}
