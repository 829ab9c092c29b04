#!/usr/bin/env python3
"""Terminal behaviour of a macOS program under macrun, in a real pseudo-terminal:
  pty_check.py MACRUN BACKEND CAT ctrl-c   Ctrl-C kills the program with SIGINT
  pty_check.py MACRUN BACKEND CAT ctrl-z   Ctrl-Z stops it, SIGCONT resumes it, Ctrl-D ends it
  pty_check.py MACRUN BACKEND TTY tty      tests/cli/tty's termios and window-size checks pass on a pty
Exits 0 when the behaviour matches a native program's."""
import os
import pty
import select
import signal
import sys
import time


def read_until(fd, needle, timeout=10.0):
    data = b""
    end = time.time() + timeout
    while needle not in data:
        left = end - time.time()
        if left <= 0:
            raise SystemExit(f"timed out waiting for {needle!r}; got {data!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    if needle not in data:
        raise SystemExit(f"{needle!r} never came; got {data!r}")
    return data


def main():
    macrun, backend, cat, mode = sys.argv[1:5]
    prog = [macrun, f"--backend={backend}", "run", cat]
    if mode == "ctrl-c":
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(macrun, prog)
        os.write(fd, b"ping\n")
        read_until(fd, b"ping\r\nping")
        os.write(fd, b"\x03")
        _, st = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGINT):
            raise SystemExit(f"after Ctrl-C: wait status {st:#x}, expected death by SIGINT")
        return
    if mode == "ctrl-z":
        # Job control as a shell does it: a session leader on the terminal (this script's child, playing the
        # shell) runs the program in its own process group in the foreground. Ctrl-Z must stop it (WIFSTOPPED
        # by SIGTSTP); SIGCONT must resume it with its input intact; Ctrl-D ends it with status 0.
        report_r, report_w = os.pipe()
        shell, fd = pty.fork()
        if shell == 0:
            os.close(report_r)
            child = os.fork()
            if child == 0:
                os.setpgid(0, 0)
                os.execv(macrun, prog)
            os.setpgid(child, child)
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            os.tcsetpgrp(0, child)
            _, st = os.waitpid(child, os.WUNTRACED)
            os.write(report_w, f"{st}\n".encode())
            os.kill(child, signal.SIGCONT)
            _, st = os.waitpid(child, 0)
            os.write(report_w, f"{st}\n".encode())
            os._exit(0)
        os.close(report_w)
        reports = os.fdopen(report_r)
        time.sleep(0.3)
        os.write(fd, b"one\n")
        read_until(fd, b"one\r\none")
        os.write(fd, b"\x1a")
        st = int(reports.readline())
        if not (os.WIFSTOPPED(st) and os.WSTOPSIG(st) == signal.SIGTSTP):
            raise SystemExit(f"after Ctrl-Z: wait status {st:#x}, expected stopped by SIGTSTP")
        os.write(fd, b"two\n")
        read_until(fd, b"two\r\ntwo")
        os.write(fd, b"\x04")
        st = int(reports.readline())
        os.waitpid(shell, 0)
        if not (os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0):
            raise SystemExit(f"after Ctrl-D: wait status {st:#x}, expected exit 0")
        return
    if mode == "tty":
        # The program (tests/cli/tty) checks termios and window size on its terminal, whose size is set here.
        import fcntl
        import struct
        import termios
        pid, fd = pty.fork()
        if pid == 0:
            # The size is set before the program starts, so it cannot read the terminal too early.
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))
            os.execv(macrun, [macrun, f"--backend={backend}", "run", cat])
        data = read_until(fd, b"termios ok")
        _, st = os.waitpid(pid, 0)
        if b"rows=33 cols=101" not in data or not (os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0):
            raise SystemExit(f"tty program: status {st:#x}, output {data!r}")
        return
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
