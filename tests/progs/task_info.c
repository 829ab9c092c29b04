/* task_info (MIG 3405 on the task port): MACH_TASK_BASIC_INFO and TASK_BASIC_INFO_64 with their sizes (the
 * count in and out), what they report (virtual size above resident size, resident size following the memory the
 * program touches, the high-water mark, policy POLICY_TIMESHARE, suspend count 0), a count too small or an
 * unknown flavor (KERN_INVALID_ARGUMENT); the kernel's MIG answers for an unknown id (MIG_BAD_ID), a malformed
 * request (MIG_BAD_ARGUMENTS), and a port that is no task; TASK_AUDIT_TOKEN and TASK_THREAD_TIMES_INFO; the legacy mach_msg_trap may still send task_info for
 * a program built with SDK 11 (this one), and gets the same answer.
 * Facts: xnu osfmk/kern/task.c (task_info: TASK_BASIC_INFO_64, MACH_TASK_BASIC_INFO, _task_fill_times),
 * osfmk/mach/task_info.h, osfmk/mach/task.defs (task_info 3405), osfmk/kern/ipc_kobject.c
 * (ipc_kobject_server_internal: MIG_BAD_ID), osfmk/ipc/ipc_policy.c (ipc_policy_allow_legacy_send_trap). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/policy.h>
#include <mach/port.h>
#include <mach/task_info.h>

struct req {
    mach_msg_header_t head;
    NDR_record_t ndr;
    int flavor;
    unsigned cnt;
};

static int raw_call(unsigned task, int id, unsigned size, int* ret, mach_msg_header_t* out) {
    union {
        struct req q;
        char buf[512];
    } u;
    memset(&u, 0, sizeof u);
    u.q.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.q.head.msgh_remote_port = task;
    u.q.head.msgh_local_port = (unsigned)MACH0(mach_reply_port);
    u.q.head.msgh_id = id;
    u.q.ndr.int_rep = 1;
    u.q.flavor = MACH_TASK_BASIC_INFO;
    u.q.cnt = MACH_TASK_BASIC_INFO_COUNT;
    int kr = t_mach_msg2(&u, MACH_SEND_MSG | MACH_RCV_MSG | T_MACH64_SEND_KOBJECT_CALL, size, sizeof u,
                         u.q.head.msgh_local_port, 0, 0);
    *out = u.q.head;
    *ret = ((mig_reply_error_t*)&u)->RetCode;
    return kr;
}

int main(void) {
    unsigned task = t_task_self();
    mach_task_basic_info_data_t mi;
    unsigned cnt = MACH_TASK_BASIC_INFO_COUNT;
    memset(&mi, 0xff, sizeof mi);
    CHECK(t_task_info(task, MACH_TASK_BASIC_INFO, (int*)&mi, &cnt) == 0, "task_info(MACH_TASK_BASIC_INFO)");
    CHECK(cnt == MACH_TASK_BASIC_INFO_COUNT && cnt == 12, "count 12 (MACH_TASK_BASIC_INFO_COUNT)");
    CHECK(mi.virtual_size > mi.resident_size && mi.resident_size > 0, "virtual size above resident size, both nonzero");
    CHECK(mi.resident_size_max >= mi.resident_size, "the high-water mark is at least the resident size");
    CHECK(mi.policy == POLICY_TIMESHARE && mi.suspend_count == 0, "policy POLICY_TIMESHARE, suspend count 0");
    CHECK(mi.user_time.microseconds < 1000000 && mi.system_time.microseconds < 1000000, "times are time_value_t");

    /* Touch 16 MiB: the resident size follows. */
    enum { N = 16 << 20 };
    char* p = (char*)BSD(mmap, 0, N, 3, 0x1002, -1, 0).val;
    for (int i = 0; i < N; i += 4096) p[i] = 1;
    mach_task_basic_info_data_t after;
    cnt = MACH_TASK_BASIC_INFO_COUNT;
    t_task_info(task, MACH_TASK_BASIC_INFO, (int*)&after, &cnt);
    CHECK(after.resident_size >= mi.resident_size + (15 << 20), "16 MiB touched: the resident size grew by them");
    CHECK(after.virtual_size >= mi.virtual_size + N, "and the virtual size");
    BSD(munmap, p, N);
    cnt = MACH_TASK_BASIC_INFO_COUNT;
    t_task_info(task, MACH_TASK_BASIC_INFO, (int*)&mi, &cnt);
    CHECK(mi.resident_size_max >= after.resident_size && mi.resident_size < after.resident_size,
          "unmapped: resident size back down, the high-water mark stays");

    task_basic_info_64_data_t b64;
    cnt = TASK_BASIC_INFO_64_COUNT;
    CHECK(t_task_info(task, TASK_BASIC_INFO_64, (int*)&b64, &cnt) == 0 && cnt == 10, "TASK_BASIC_INFO_64: count 10");
    CHECK(b64.virtual_size > b64.resident_size && b64.policy == POLICY_TIMESHARE && b64.suspend_count == 0,
          "the same facts in the older layout");
    cnt = 100;
    CHECK(t_task_info(task, MACH_TASK_BASIC_INFO, (int*)&mi, &cnt) == 0 && cnt == 12, "room for 100: count 12 comes back");
    cnt = 11;
    CHECK(t_task_info(task, MACH_TASK_BASIC_INFO, (int*)&mi, &cnt) == KERN_INVALID_ARGUMENT, "count 11: KERN_INVALID_ARGUMENT");
    cnt = 12;
    CHECK(t_task_info(task, 9999, (int*)&mi, &cnt) == KERN_INVALID_ARGUMENT, "flavor 9999: KERN_INVALID_ARGUMENT");

    /* TASK_AUDIT_TOKEN: the identity the task's messages carry (auid, euid, egid, ruid, rgid, pid, asid, pidversion). */
    audit_token_t tok;
    memset(&tok, 0xee, sizeof tok);
    cnt = TASK_AUDIT_TOKEN_COUNT;
    CHECK(t_task_info(task, TASK_AUDIT_TOKEN, (int*)&tok, &cnt) == 0 && cnt == 8, "TASK_AUDIT_TOKEN: count 8");
    CHECK(tok.val[1] == (unsigned)BSD0(geteuid).val && tok.val[2] == (unsigned)BSD0(getegid).val &&
              tok.val[3] == (unsigned)BSD0(getuid).val && tok.val[4] == (unsigned)BSD0(getgid).val &&
              tok.val[5] == (unsigned)BSD0(getpid).val,
          "euid, egid, ruid, rgid and pid in their slots");
    cnt = 7;
    CHECK(t_task_info(task, TASK_AUDIT_TOKEN, (int*)&tok, &cnt) == KERN_INVALID_ARGUMENT, "count 7: KERN_INVALID_ARGUMENT");

    /* TASK_THREAD_TIMES_INFO: the live threads' times; this one has just spun for 300 million TSC ticks
     * (about 100 ms or more). */
    /* Spin on the time stamp counter (no system call, so under ptrace too the time is the thread's own). */
    unsigned long t0 = __builtin_ia32_rdtsc();
    volatile unsigned long spin = 0;
    while (__builtin_ia32_rdtsc() - t0 < 300000000UL) spin++;
    task_thread_times_info_data_t tt;
    cnt = TASK_THREAD_TIMES_INFO_COUNT;
    CHECK(t_task_info(task, TASK_THREAD_TIMES_INFO, (int*)&tt, &cnt) == 0 && cnt == 4, "TASK_THREAD_TIMES_INFO: count 4");
    unsigned long used_us = (unsigned long)(tt.user_time.seconds + tt.system_time.seconds) * 1000000UL +
                            (unsigned long)(tt.user_time.microseconds + tt.system_time.microseconds);
    CHECK(used_us >= 30000 && tt.user_time.microseconds < 1000000 && tt.system_time.microseconds < 1000000,
          "at least 30 ms of thread time, as time_value_t");
    cnt = 3;
    CHECK(t_task_info(task, TASK_THREAD_TIMES_INFO, (int*)&tt, &cnt) == KERN_INVALID_ARGUMENT, "count 3: KERN_INVALID_ARGUMENT");
    unsigned host = (unsigned)MACH0(host_self);
    cnt = 12;
    CHECK(t_task_info(host, MACH_TASK_BASIC_INFO, (int*)&mi, &cnt) == KERN_INVALID_ARGUMENT,
          "task_info on the host port: KERN_INVALID_ARGUMENT");

    /* The server's answers to bad requests: mig_reply_error_t, id + 100. */
    mach_msg_header_t h;
    int ret;
    CHECK(raw_call(task, 3499, sizeof(struct req), &ret, &h) == 0 && ret == MIG_BAD_ID,
          "unknown id 3499: RetCode MIG_BAD_ID");
    CHECK(h.msgh_id == 3599 && h.msgh_size == sizeof(mig_reply_error_t) && h.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE),
          "in a 36-byte mig_reply_error_t, id 3599");
    CHECK(raw_call(task, 3405, sizeof(struct req) + 4, &ret, &h) == 0 && ret == MIG_BAD_ARGUMENTS,
          "task_info with 4 bytes too many: MIG_BAD_ARGUMENTS");

    /* The legacy trap may still send task_info (SDK 11 program, id 0xd4d is on the list). */
    union {
        struct req q;
        char buf[512];
    } u;
    memset(&u, 0, sizeof u);
    u.q.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
    u.q.head.msgh_remote_port = task;
    u.q.head.msgh_local_port = (unsigned)MACH0(mach_reply_port);
    u.q.head.msgh_id = 3405;
    u.q.ndr.int_rep = 1;
    u.q.flavor = MACH_TASK_BASIC_INFO;
    u.q.cnt = 12;
    CHECK(t_mach_msg_trap(&u, MACH_SEND_MSG | MACH_RCV_MSG, sizeof u.q, sizeof u, u.q.head.msgh_local_port, 0, 0) == 0,
          "mach_msg_trap(task_info) from an SDK 11 program: accepted");
    CHECK(u.q.head.msgh_id == 3505 && u.q.head.msgh_size == 40 + 12 * 4, "the same reply: id 3505, 88 bytes");
    return t_done();
}
