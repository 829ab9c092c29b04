// Directory entries: getdirentries64.
#include "common.hpp"

namespace xnu_sys {


namespace {

// Linux's struct linux_dirent64 header (include/linux/dirent.h).
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};

}  // namespace

/// getdirentries64 implements XNU BSD getdirentries64(2) (344): records in XNU's layout, *position set to the
/// directory offset the call started from (xnu bsd/vfs/vfs_syscalls.c getdirentries_common: loff), and with a
/// buffer of 1024 bytes or more the last 4 bytes carry GETDIRENTRIES64_EOF. A descriptor that is not a
/// directory is EINVAL, one that is not a vnode ENOTSUP (Linux says ENOTDIR for both).
SysResult sys_getdirentries64(Thread& t, int32_t fd, TraceeAddr buf, uint64_t bufsize, TraceeAddr position) {
    if (hidden_fd(fd)) return SysResult::error(xnu::XNU_EBADF);
    uint64_t room = bufsize;
    bool extended = bufsize >= xnu::XNU_GETDIRENTRIES64_EXTENDED_BUFSIZE;
    if (extended) room -= sizeof(uint32_t);
    if (room > (1u << 20)) room = 1u << 20;  // larger buffers gain nothing; bound the local copy
    if (room < xnu::dirent64_reclen(1)) return SysResult::error(xnu::XNU_EINVAL);

    // The directory offset the call starts from (what *position reports), and in last_off the offset after
    // the last record handed out: where to seek back to when Linux returned more records than fit. A
    // descriptor that cannot seek is a pipe or socket.
    int64_t start_off = t.sys(SYS_lseek, {fd, 0, 1});
    if (start_off < 0) {
        if (start_off == -ESPIPE) return SysResult::error(is_vnode_fd(t, fd) ? xnu::XNU_EINVAL : xnu::XNU_ENOTSUP);
        return from_linux(start_off);
    }
    int64_t last_off = start_off;

    alignas(8) char lbuf[4096];
    alignas(8) char xbuf[4096];
    uint64_t written = 0;
    bool eof = false, full = false;
    while (!full) {
        // Ask Linux for no more than what could still fit once converted (XNU records are larger).
        uint64_t want = std::min<uint64_t>(sizeof lbuf, room - written);
        if (want < 24) break;
        int64_t n = t.sys(SYS_getdents64, {fd, out(lbuf, want), want});
        if (n == -EINVAL && written > 0) break;  // the next entry does not fit in what is left
        if (n == -ENOTDIR) return SysResult::error(xnu::XNU_EINVAL);
        if (n < 0) return from_linux(n);
        if (n == 0) {
            eof = true;
            break;
        }
        size_t xlen = 0;
        for (int64_t off = 0; off < n;) {
            auto* d = reinterpret_cast<linux_dirent64*>(lbuf + off);
            size_t namlen = strnlen(d->d_name, d->d_reclen - offsetof(linux_dirent64, d_name));
            uint16_t reclen = xnu::dirent64_reclen(namlen);
            if (written + xlen + reclen > room || xlen + reclen > sizeof xbuf) {
                full = true;
                break;
            }
            auto* x = reinterpret_cast<xnu::dirent*>(xbuf + xlen);
            std::memset(x, 0, reclen);
            x->d_ino = d->d_ino;
            x->d_seekoff = uint64_t(d->d_off);
            x->d_reclen = reclen;
            x->d_namlen = uint16_t(namlen);
            x->d_type = d->d_type;  // DT_* values are the same on both systems
            std::memcpy(x->d_name, d->d_name, namlen);
            xlen += reclen;
            last_off = d->d_off;
            off += d->d_reclen;
        }
        if (full && written + xlen == 0) return SysResult::error(xnu::XNU_EINVAL);  // not even one record fits
        XNU_TRY(t.write(buf + written, xbuf, xlen));
        written += xlen;
        if (full) t.sys(SYS_lseek, {fd, last_off, 0});
    }
    // The offset is copied out unconditionally: a NULL position is EFAULT, after the records were consumed.
    XNU_TRY(t.write(position, &start_off, sizeof start_off));
    if (extended) {
        uint32_t flags = eof ? xnu::XNU_GETDIRENTRIES64_EOF : 0;
        XNU_TRY(t.write(buf + (bufsize - sizeof flags), &flags, sizeof flags));
    }
    return SysResult::ok(written);
}

}  // namespace xnu_sys
