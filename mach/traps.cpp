// Mach traps: self ports, mach_msg, the _kernelrpc_mach_port_* traps, time and scheduling traps, pid/task
// (xnu osfmk/kern/ipc_tt.c, osfmk/ipc/mach_msg.c, mach_kernelrpc.c, osfmk/kern/clock.c, syscall_subr.c,
// bsd/kern/kern_proc.c). Each handler takes the calling thread and the trap's arguments and returns the
// kern_return_t (or the name) XNU would leave in rax.
#include <csignal>
#include <cstring>
#include <ctime>
#include <sched.h>

#include "common_mach.hpp"
#include "mach.hpp"
#include "base/diag.hpp"

namespace mach {

namespace {

const char* guard_flavor_name(uint32_t r) {
    switch (r) {
        case kGUARD_EXC_DESTROY: return "kGUARD_EXC_DESTROY";
        case kGUARD_EXC_MOD_REFS: return "kGUARD_EXC_MOD_REFS";
        case kGUARD_EXC_INVALID_OPTIONS: return "kGUARD_EXC_INVALID_OPTIONS";
        case kGUARD_EXC_SET_CONTEXT: return "kGUARD_EXC_SET_CONTEXT";
        case kGUARD_EXC_UNGUARDED: return "kGUARD_EXC_UNGUARDED";
        case kGUARD_EXC_INCORRECT_GUARD: return "kGUARD_EXC_INCORRECT_GUARD";
        case kGUARD_EXC_IMMOVABLE: return "kGUARD_EXC_IMMOVABLE";
        case kGUARD_EXC_STRICT_REPLY: return "kGUARD_EXC_STRICT_REPLY";
        case kGUARD_EXC_MSG_FILTERED: return "kGUARD_EXC_MSG_FILTERED";
        default: return "guard";
    }
}

}  // namespace

SysResult trap_finish(Thread& t, Task* task, IpcLock& lock, kern_return_t kr) {
    lock.release();
    return trap_finish(t, task, kr);
}

SysResult trap_finish(Thread& t, Task* task, kern_return_t kr) {
    if (task && task->fatal_guard) {
        char text[256];
        snprintf(text, sizeof text,
                 "EXC_GUARD (GUARD_TYPE_MACH_PORT, %s, port 0x%x, payload %#llx) is fatal: the process is killed, "
                 "as XNU kills it",
                 guard_flavor_name(task->guard_reason), task->guard_name,
                 static_cast<unsigned long long>(task->guard_payload));
        base::trace_note(text);
        t.sys(SYS_kill, {t.pid(), SIGKILL});
    }
    return kr_result(kr);
}

Task* name_to_current_task(Task* task, mach_port_name_t name) {
    Port* port;
    if (!port_valid(name) || port_translate_send(task->space, name, &port) != KERN_SUCCESS) return nullptr;
    return port->kotype == Kotype::Task && port->kobject == task ? task : nullptr;
}

}  // namespace mach

namespace xnu_sys {
using namespace mach;

namespace {

// ipc_port_copyout_send: a new send right to a kernel port, into the caller's space (MACH_PORT_NULL if it
// cannot be).
mach_port_name_t copyout_send(Space* space, Port* port) {
    port_make_send(port);
    mach_port_name_t name;
    return object_copyout(space, port, MACH_MSG_TYPE_PORT_SEND, &name) == KERN_SUCCESS ? name : MACH_PORT_NULL;
}

void trace_send(Thread& t, Task* task, const char* trap, mach_port_name_t dest, int32_t id) {
    if (base::g_runtime.trace_fd < 0) return;
    // A message to a kernel object is a MIG call: name its routine (a port of a task's own carries ids that
    // mean what that task's protocol says).
    const char* routine = nullptr;
    {
        IpcLock lock(t);
        Port* port;
        if (port_translate_send(task->space, dest, &port) == KERN_SUCCESS && ip_is_kobject(port))
            routine = port->kotype == Kotype::Bootstrap ? bootstrap_routine_name(id) : mig_routine_name(id);
    }
    char text[160];
    snprintf(text, sizeof text, "%s: message id %d%s%s%s to port 0x%x", trap, id, routine ? " (" : "",
             routine ? routine : "", routine ? ")" : "", dest);
    trace_event(&t, text);
}

}  // namespace

/// mach_reply_port implements XNU Mach trap mach_reply_port (26): a new receive right.
SysResult mach_mach_reply_port(Thread& t) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    mach_port_name_t name;
    Port* port;
    if (port_alloc(task->space, &name, &port) != KERN_SUCCESS) name = MACH_PORT_NULL;
    return trap_finish(t, task, lock, kern_return_t(name));
}

/// thread_self_trap implements XNU Mach trap thread_self_trap (27): a send right to the calling thread's port
/// (each call adds a user reference).
SysResult mach_thread_self_trap(Thread& t) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    ThreadObj* th = thread_object(task, t.tid());
    mach_port_name_t name = th ? copyout_send(task->space, th->port) : MACH_PORT_NULL;
    return trap_finish(t, task, lock, kern_return_t(name));
}

/// task_self_trap implements XNU Mach trap task_self_trap (28): a send right to the task's own port (each call
/// adds a user reference; libsystem calls it once and keeps mach_task_self_).
SysResult mach_task_self_trap(Thread& t) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    return trap_finish(t, task, lock, kern_return_t(copyout_send(task->space, task->self_port)));
}

/// host_self_trap implements XNU Mach trap host_self_trap (29): a send right to the host port.
SysResult mach_host_self_trap(Thread& t) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    return trap_finish(t, task, lock, kern_return_t(copyout_send(task->space, task->host_port)));
}

/// thread_get_special_reply_port implements XNU Mach trap 50: a new port whose name carries both the receive
/// right and one send right (IPC_PORT_INIT_MAKE_SEND_RIGHT in xnu osfmk/kern/ipc_tt.c), or MACH_PORT_NULL.
/// XNU also binds it to the thread for synchronous IPC (turnstile priority inheritance, the MACH_RCV_SYNC_WAIT
/// linkage); macrun has no such scheduling, so the port behaves as an ordinary one.
SysResult mach_thread_get_special_reply_port(Thread& t) {
    TASK_OR_FAIL();
    IpcLock lock(t);
    mach_port_name_t name;
    Port* port;
    if (port_alloc(task->space, &name, &port) != KERN_SUCCESS) return trap_finish(t, task, lock, MACH_PORT_NULL);
    // The send right lands under the receive right's name.
    if (copyout_send(task->space, port) != name) name = MACH_PORT_NULL;
    return trap_finish(t, task, lock, kern_return_t(name));
}

/// _kernelrpc_mach_port_allocate_trap implements XNU Mach trap 16 (mach_port_allocate).
SysResult mach_kernelrpc_mach_port_allocate_trap(Thread& t, uint32_t target, uint32_t right, TraceeAddr name) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    mach_port_name_t n = 0;
    kern_return_t kr = mp_allocate_full(task->space, right, false, &n);
    lock.release();
    if (kr == KERN_SUCCESS && t.write(name, &n, sizeof n) != 0) kr = KERN_MEMORY_ERROR;
    return trap_finish(t, task, kr);
}

/// _kernelrpc_mach_port_deallocate_trap implements XNU Mach trap 18 (mach_port_deallocate).
SysResult mach_kernelrpc_mach_port_deallocate_trap(Thread& t, uint32_t target, uint32_t name) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_deallocate(task->space, name));
}

/// _kernelrpc_mach_port_mod_refs_trap implements XNU Mach trap 19 (mach_port_mod_refs).
SysResult mach_kernelrpc_mach_port_mod_refs_trap(Thread& t, uint32_t target, uint32_t name, uint32_t right, uint32_t delta) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_mod_refs(task->space, name, right, int32_t(delta)));
}

/// _kernelrpc_mach_port_move_member_trap implements XNU Mach trap 20 (mach_port_move_member).
SysResult mach_kernelrpc_mach_port_move_member_trap(Thread& t, uint32_t target, uint32_t member, uint32_t after) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_move_member(task->space, member, after));
}

/// _kernelrpc_mach_port_insert_right_trap implements XNU Mach trap 21 (mach_port_insert_right).
SysResult mach_kernelrpc_mach_port_insert_right_trap(Thread& t, uint32_t target, uint32_t name, uint32_t poly,
                                                     uint32_t poly_poly) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    Space* space = task->space;
    if (name == poly && (poly_poly == MACH_MSG_TYPE_MAKE_SEND || poly_poly == MACH_MSG_TYPE_COPY_SEND))
        return trap_finish(t, task, lock, object_insert_send_right(space, poly, poly_poly));
    Port* port;
    kern_return_t kr = object_copyin(space, poly, poly_poly, 0, &port);
    if (kr == KERN_SUCCESS) {
        mach_msg_type_name_t disp = object_copyin_type(poly_poly);
        kr = mp_insert_right(space, name, port, disp);
        if (kr != KERN_SUCCESS && ip_valid(port)) object_destroy(port, disp);
    }
    return trap_finish(t, task, lock, kr);
}

/// _kernelrpc_mach_port_insert_member_trap implements XNU Mach trap 22 (mach_port_insert_member).
SysResult mach_kernelrpc_mach_port_insert_member_trap(Thread& t, uint32_t target, uint32_t name, uint32_t pset) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_insert_member(task->space, name, pset));
}

/// _kernelrpc_mach_port_extract_member_trap implements XNU Mach trap 23 (mach_port_extract_member).
SysResult mach_kernelrpc_mach_port_extract_member_trap(Thread& t, uint32_t target, uint32_t name, uint32_t pset) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_extract_member(task->space, name, pset));
}

/// _kernelrpc_mach_port_construct_trap implements XNU Mach trap 24 (mach_port_construct).
SysResult mach_kernelrpc_mach_port_construct_trap(Thread& t, uint32_t target, TraceeAddr options, uint64_t context,
                                                  TraceeAddr name) {
    TASK_OR_FAIL();
    mach_port_options_t opts{};
    bool readable = t.read(options, &opts, sizeof opts) == 0;
    TARGET_OR_FAIL(target);
    if (!readable) return trap_finish(t, task, lock, KERN_MEMORY_ERROR);
    mach_port_name_t n = 0;
    kern_return_t kr = mp_construct(task->space, opts, context, &n);
    lock.release();
    if (kr == KERN_SUCCESS && t.write(name, &n, sizeof n) != 0) kr = KERN_MEMORY_ERROR;
    return trap_finish(t, task, kr);
}

/// _kernelrpc_mach_port_destruct_trap implements XNU Mach trap 25 (mach_port_destruct).
SysResult mach_kernelrpc_mach_port_destruct_trap(Thread& t, uint32_t target, uint32_t name, uint32_t srdelta, uint64_t guard) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_destruct(task->space, name, int32_t(srdelta), guard));
}

/// _kernelrpc_mach_port_get_attributes_trap implements XNU Mach trap 40 (mach_port_get_attributes).
SysResult mach_kernelrpc_mach_port_get_attributes_trap(Thread& t, uint32_t target, uint32_t name, uint32_t flavor,
                                                       TraceeAddr info, TraceeAddr count) {
    TASK_OR_FAIL();
    uint32_t cnt = 0;
    bool readable = t.read(count, &cnt, sizeof cnt) == 0;
    // port_name_to_current_task_read_noref: a read-flavor task port would do too; macrun's task has one port.
    TARGET_OR_FAIL(target);
    if (!readable) return trap_finish(t, task, lock, KERN_MEMORY_ERROR);
    cnt = std::min(cnt, kPortInfoMax);
    uint32_t buf[kPortInfoMax] = {};
    kern_return_t kr = mp_get_attributes(task->space, name, int32_t(flavor), buf, &cnt);
    lock.release();
    if (kr == KERN_SUCCESS && t.write(count, &cnt, sizeof cnt) != 0) kr = KERN_MEMORY_ERROR;
    if (kr == KERN_SUCCESS && cnt > 0 && t.write(info, buf, cnt * 4) != 0) kr = KERN_MEMORY_ERROR;
    return trap_finish(t, task, kr);
}

/// _kernelrpc_mach_port_guard_trap implements XNU Mach trap 41 (mach_port_guard).
SysResult mach_kernelrpc_mach_port_guard_trap(Thread& t, uint32_t target, uint32_t name, uint64_t guard, int32_t strict) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_guard(task->space, name, guard, strict != 0));
}

/// _kernelrpc_mach_port_unguard_trap implements XNU Mach trap 42 (mach_port_unguard).
SysResult mach_kernelrpc_mach_port_unguard_trap(Thread& t, uint32_t target, uint32_t name, uint64_t guard) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    return trap_finish(t, task, lock, mp_unguard(task->space, name, guard));
}

/// _kernelrpc_mach_port_type_trap implements XNU Mach trap 76 (mach_port_type).
SysResult mach_kernelrpc_mach_port_type_trap(Thread& t, uint32_t target, uint32_t name, TraceeAddr ptype) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    uint32_t type = 0;
    kern_return_t kr = mp_type(task->space, name, &type);
    lock.release();
    if (kr == KERN_SUCCESS && t.write(ptype, &type, sizeof type) != 0) kr = KERN_MEMORY_ERROR;
    return trap_finish(t, task, kr);
}

/// _kernelrpc_mach_port_request_notification_trap implements XNU Mach trap 77 (mach_port_request_notification):
/// dead-name, no-senders and port-destroyed requests.
SysResult mach_kernelrpc_mach_port_request_notification_trap(Thread& t, uint32_t target, uint32_t name, uint32_t msgid,
                                                             uint64_t sync, uint32_t notify, uint32_t notify_poly,
                                                             TraceeAddr previous) {
    TASK_OR_FAIL();
    TARGET_OR_FAIL(target);
    Space* space = task->space;
    mach_msg_type_name_t disp = object_copyin_type(notify_poly);
    if (disp != MACH_MSG_TYPE_PORT_SEND_ONCE) return trap_finish(t, task, lock, MACH_SEND_INVALID_DEST);
    if (int32_t(msgid) == 0102 /* MACH_NOTIFY_SEND_POSSIBLE */) {
        report_unimplemented(SysClass::Mach, 77, "mach_port_request_notification(MACH_NOTIFY_SEND_POSSIBLE)");
    }
    Port* notify_port;
    kern_return_t kr = KERN_SUCCESS;
    if (port_valid(notify)) kr = object_copyin(space, notify, notify_poly, 0, &notify_port);
    else notify_port = notify == MACH_PORT_DEAD ? IP_DEAD : nullptr;
    if (kr != KERN_SUCCESS) return trap_finish(t, task, lock, kr);
    Port* prev = nullptr;
    kr = mp_request_notification(space, name, int32_t(msgid), uint32_t(sync), notify_port, &prev);
    if (kr != KERN_SUCCESS) {
        if (ip_valid(notify_port)) object_destroy(notify_port, disp);
        return trap_finish(t, task, lock, kr);
    }
    mach_port_name_t prev_name = MACH_PORT_NULL;
    if (ip_valid(prev)) {
        kr = object_copyout(space, prev, MACH_MSG_TYPE_PORT_SEND_ONCE, &prev_name);
        if (kr != KERN_SUCCESS) return trap_finish(t, task, lock, kr);
    }
    lock.release();
    if (t.write(previous, &prev_name, sizeof prev_name) != 0) kr = KERN_MEMORY_ERROR;
    return trap_finish(t, task, kr);
}

// ---- mach_msg ----

namespace {

// ipc_current_user_policy, the part that applies to macrun's programs: user options only, the non-fatal filter
// flag aliased to a kernel option dropped.
uint64_t user_options(uint64_t options) { return options & MACH64_MSG_OPTION_USER & ~MACH_SEND_FILTER_NONFATAL; }

// ipc_policy_allow_legacy_send_trap: macOS 13 and later accept a send through mach_msg_trap from a 64-bit
// process only for a few MIG calls made by programs built with SDK 12 or older.
bool legacy_send_allowed(Task* task, int32_t msgid) {
    uint32_t platform, sdk;
    task_platform(task, &platform, &sdk);
    if (platform != 1 || sdk == 0 || (sdk >> 16) > 12) return false;
    switch (msgid) {
        case 0xd4a:   // task_threads
        case 0xd4d:   // task_info
        case 0xe13:   // thread_get_state
        case 0x12c4:  // mach_vm_read
        case 0x12c8:  // mach_vm_read_overwrite
            return true;
        default: return false;
    }
}

SysResult msg_overwrite(Thread& t, TraceeAddr msg, uint32_t option, uint32_t send_size, uint32_t rcv_size,
                        uint32_t rcv_name, uint32_t timeout, TraceeAddr rcv_msg) {
    TASK_OR_FAIL();
    uint64_t options = user_options(option);
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    if (options & MACH_SEND_MSG) {
        // mach_msg_copyin_user_header: the header (and the descriptor count after it) from the buffer.
        SendArgs a;
        a.msg_addr = msg.addr;
        a.msg_size = send_size;
        if (send_size < sizeof(mach_msg_header_t) || (send_size & 3)) return trap_finish(t, task, MACH_SEND_MSG_TOO_SMALL);
        if (send_size > IPC_KMSG_MAX_BODY_SPACE) return trap_finish(t, task, MACH_SEND_TOO_LARGE);
        mach_msg_base_t base{};
        size_t n = send_size < sizeof(mach_msg_base_t) ? sizeof(mach_msg_header_t) : sizeof(mach_msg_base_t);
        if (t.read(msg, &base, n) != 0) return trap_finish(t, task, MACH_SEND_INVALID_DATA);
        a.header = base.header;
        if (base.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
            if (send_size < sizeof(mach_msg_base_t)) return trap_finish(t, task, MACH_SEND_MSG_TOO_SMALL);
            a.dsc_count = base.msgh_descriptor_count;
        }
        a.header.msgh_size = send_size;
        bool allowed;
        {
            IpcLock lock(t);
            allowed = legacy_send_allowed(task, a.header.msgh_id);
            if (!allowed) guard_exception(task->space, mach_port_name_t(a.header.msgh_id), 0, kGUARD_EXC_INVALID_OPTIONS);
        }
        if (!allowed) return trap_finish(t, task, KERN_NOT_SUPPORTED);
        trace_send(t, task, "mach_msg_trap", a.header.msgh_remote_port, a.header.msgh_id);
        mr = msg_send(t, task, a, options, timeout);
    }
    if (mr == MACH_MSG_SUCCESS && (options & MACH_RCV_MSG)) {
        RecvArgs r;
        r.name = rcv_name;
        r.msg_addr = rcv_msg.null() ? msg.addr : rcv_msg.addr;
        r.msg_size = rcv_size;
        mr = msg_receive(t, task, r, options, timeout);
    }
    return trap_finish(t, task, mr);
}

}  // namespace

/// mach_msg_trap implements XNU Mach trap mach_msg_trap (31), the legacy interface. As on macOS 13 and later,
/// a 64-bit process may receive through it, but send only the few MIG calls old SDKs still make this way;
/// anything else is KERN_NOT_SUPPORTED with a fatal EXC_GUARD (ipc_policy_allow_legacy_send_trap).
SysResult mach_mach_msg_trap(Thread& t, TraceeAddr msg, uint32_t option, uint32_t send_size, uint32_t rcv_size,
                             uint32_t rcv_name, uint32_t timeout, uint32_t priority) {
    (void)priority;
    return msg_overwrite(t, msg, option, send_size, rcv_size, rcv_name, timeout, TraceeAddr());
}

/// mach_msg_overwrite_trap implements XNU Mach trap mach_msg_overwrite_trap (32): mach_msg_trap with a separate
/// receive buffer.
SysResult mach_mach_msg_overwrite_trap(Thread& t, TraceeAddr msg, uint32_t option, uint32_t send_size, uint32_t rcv_size,
                                       uint32_t rcv_name, uint32_t timeout, uint32_t priority, TraceeAddr rcv_msg) {
    (void)priority;
    return msg_overwrite(t, msg, option, send_size, rcv_size, rcv_name, timeout, rcv_msg);
}

/// mach_msg2_trap implements XNU Mach trap mach_msg2_trap (47), what libsystem's mach_msg() uses since macOS 13:
/// the header travels in the arguments (bits and send size, remote and local port, voucher and id, descriptor
/// count and receive name, receive size and priority, each packed low | high << 32), the options are 64-bit
/// and a send must say what it calls (MACH64_SEND_MQ_CALL for a message queue, MACH64_SEND_KOBJECT_CALL for a
/// kernel object). MACH64_MSG_VECTOR passes the message and auxiliary data as mach_msg_vector_t pairs.
SysResult mach_mach_msg2_trap(Thread& t, TraceeAddr data, uint64_t options, uint64_t mb_ss, uint64_t mr_lp,
                              uint64_t mv_id, uint64_t dc_rn, uint64_t rs_pr, uint64_t timeout) {
    TASK_OR_FAIL();
    uint64_t opts = user_options(options) | MACH64_MACH_MSG2;
    auto fail_options = [&]() {
        {
            IpcLock lock(t);
            guard_exception(task->space, 0, opts, kGUARD_EXC_INVALID_OPTIONS);
        }
        return trap_finish(t, task, MACH_SEND_INVALID_OPTIONS);
    };
    // ipc_preflight_msg_option64: exactly one kind of call, and vectors only for message queues.
    if (opts & MACH_SEND_MSG) {
        uint64_t cfi = opts & MACH64_MSG_OPTION_CFI_MASK;
        if (cfi == 0 || (cfi & (cfi - 1))) return fail_options();
        if (!(opts & (MACH64_SEND_MQ_CALL | MACH64_SEND_ANY)) && (opts & MACH64_MSG_VECTOR)) return fail_options();
    }
    mach_msg_vector_t vecs[2] = {};
    uint32_t snd_count = 0, rcv_count = 0;
    if (opts & MACH64_MSG_VECTOR) {
        snd_count = uint32_t(mb_ss >> 32);
        rcv_count = uint32_t(rs_pr);
        uint32_t n = std::max(snd_count, rcv_count);
        mach_msg_return_t bad = (opts & MACH_SEND_MSG) ? MACH_SEND_INVALID_DATA : MACH_RCV_INVALID_ARGUMENTS;
        if (n > 2) return trap_finish(t, task, bad);
        if (n == 0) return trap_finish(t, task, (opts & MACH_SEND_MSG) ? MACH_SEND_MSG_TOO_SMALL : MACH_RCV_INVALID_ARGUMENTS);
        if (t.read(data, vecs, n * sizeof(mach_msg_vector_t)) != 0) return trap_finish(t, task, bad);
    }
    mach_msg_return_t mr = MACH_MSG_SUCCESS;
    if (opts & MACH_SEND_MSG) {
        SendArgs a;
        a.header.msgh_bits = uint32_t(mb_ss);
        a.header.msgh_remote_port = uint32_t(mr_lp);
        a.header.msgh_local_port = uint32_t(mr_lp >> 32);
        a.header.msgh_voucher_port = uint32_t(mv_id);
        a.header.msgh_id = int32_t(mv_id >> 32);
        a.dsc_count = uint32_t(dc_rn);
        if (opts & MACH64_MSG_VECTOR) {
            // mach_msg_validate_data_vectors (sending)
            if (snd_count == 0) return trap_finish(t, task, MACH_SEND_MSG_TOO_SMALL);
            if (vecs[0].msgv_data == 0) return trap_finish(t, task, MACH_SEND_INVALID_DATA);
            uint32_t sz = vecs[0].msgv_send_size;
            if (sz < sizeof(mach_msg_header_t) || (sz & 3)) return trap_finish(t, task, MACH_SEND_MSG_TOO_SMALL);
            if (sz > IPC_KMSG_MAX_BODY_SPACE) return trap_finish(t, task, MACH_SEND_TOO_LARGE);
            a.msg_addr = vecs[0].msgv_data;
            a.msg_size = sz;
            if (snd_count == 2) {
                uint32_t asz = vecs[1].msgv_send_size;
                if (asz != 0 && vecs[1].msgv_data == 0) return trap_finish(t, task, MACH_SEND_INVALID_DATA);
                if (asz != 0 && asz < sizeof(mach_msg_aux_header_t)) return trap_finish(t, task, 0x10000018);
                if (asz > 1024) return trap_finish(t, task, 0x10000019);  // IPC_KMSG_MAX_AUX_DATA_SPACE
                a.aux_size = asz;
                a.aux_addr = asz ? vecs[1].msgv_data : 0;
            }
        } else {
            a.msg_addr = data.addr;
            a.msg_size = uint32_t(mb_ss >> 32);
        }
        trace_send(t, task, "mach_msg2", a.header.msgh_remote_port, a.header.msgh_id);
        mr = msg_send(t, task, a, opts, uint32_t(timeout));
    }
    if (mr == MACH_MSG_SUCCESS && (opts & MACH_RCV_MSG)) {
        RecvArgs r;
        r.name = uint32_t(dc_rn >> 32);
        if (opts & MACH64_MSG_VECTOR) {
            // mach_msg_validate_data_vectors (receiving)
            if (rcv_count == 0) return trap_finish(t, task, MACH_RCV_INVALID_ARGUMENTS);
            if (rcv_count == 2) {
                uint64_t aux = vecs[1].msgv_rcv_addr ? vecs[1].msgv_rcv_addr : vecs[1].msgv_data;
                if (aux == 0 || vecs[1].msgv_rcv_size < sizeof(mach_msg_aux_header_t))
                    return trap_finish(t, task, MACH_RCV_INVALID_ARGUMENTS);
                r.aux_addr = aux;
                r.aux_size = vecs[1].msgv_rcv_size;
            }
            r.msg_addr = vecs[0].msgv_rcv_addr ? vecs[0].msgv_rcv_addr : vecs[0].msgv_data;
            r.msg_size = vecs[0].msgv_rcv_size;
        } else {
            r.msg_addr = data.addr;
            r.msg_size = uint32_t(rs_pr);
        }
        mr = msg_receive(t, task, r, opts, uint32_t(timeout));
    }
    return trap_finish(t, task, mr);
}

// ---- time and scheduling ----

/// mach_timebase_info_trap implements XNU Mach trap mach_timebase_info_trap (89): 1/1, since macrun's
/// mach_absolute_time counts nanoseconds (loader/commpage.cpp). A bad pointer is ignored, as XNU ignores it.
SysResult mach_mach_timebase_info_trap(Thread& t, TraceeAddr info) {
    mach_timebase_info_t tb{1, 1};
    t.write(info, &tb, sizeof tb);
    return kr_result(KERN_SUCCESS);
}

/// mach_wait_until_trap implements XNU Mach trap mach_wait_until_trap (90): sleeps until mach_absolute_time()
/// (CLOCK_MONOTONIC_RAW nanoseconds) reaches the deadline; KERN_ABORTED when a signal interrupts.
SysResult mach_mach_wait_until_trap(Thread& t, uint64_t deadline) {
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC_RAW, &now);
        uint64_t ns = uint64_t(now.tv_sec) * NSEC_PER_SEC + uint64_t(now.tv_nsec);
        if (ns >= deadline) return kr_result(KERN_SUCCESS);
        uint64_t left = deadline - ns;
        struct timespec rel {
            time_t(left / NSEC_PER_SEC), long(left % NSEC_PER_SEC)
        };
        int64_t r = t.sys(SYS_clock_nanosleep, {CLOCK_MONOTONIC, 0, base::in(rel), nullptr});
        if (r == -EINTR) return kr_result(KERN_ABORTED);
    }
}

/// swtch_pri implements XNU Mach trap swtch_pri (59): yields the processor; FALSE when nothing else was
/// waiting to run (macrun cannot tell, and says FALSE).
SysResult mach_swtch_pri(Thread& t, int32_t pri) {
    (void)pri;
    t.sys(SYS_sched_yield);
    return kr_result(0);
}

/// swtch implements XNU Mach trap swtch (60).
SysResult mach_swtch(Thread& t) {
    t.sys(SYS_sched_yield);
    return kr_result(0);
}

/// thread_switch implements XNU Mach trap thread_switch (61): yields, or with the WAIT options blocks for
/// option_time (milliseconds; microseconds for SWITCH_OPTION_DISPATCH_CONTENTION). Always KERN_SUCCESS once the
/// option is valid.
SysResult mach_thread_switch(Thread& t, uint32_t thread_name, int32_t option, uint32_t option_time) {
    (void)thread_name;  // a hint for a handoff; the host scheduler decides
    bool wait = false;
    uint64_t scale = 1000000;
    switch (option) {
        case SWITCH_OPTION_NONE:
        case SWITCH_OPTION_DEPRESS:
        case SWITCH_OPTION_OSLOCK_DEPRESS: break;
        case SWITCH_OPTION_WAIT:
        case SWITCH_OPTION_OSLOCK_WAIT: wait = true; break;
        case SWITCH_OPTION_DISPATCH_CONTENTION:
            wait = true;
            scale = 1000;
            break;
        default: return kr_result(KERN_INVALID_ARGUMENT);
    }
    if (wait) {
        uint64_t ns = uint64_t(option_time) * scale;
        struct timespec rel {
            time_t(ns / NSEC_PER_SEC), long(ns % NSEC_PER_SEC)
        };
        t.sys(SYS_clock_nanosleep, {CLOCK_MONOTONIC, 0, base::in(rel), nullptr});
    } else {
        t.sys(SYS_sched_yield);
    }
    return kr_result(KERN_SUCCESS);
}

// ---- pid <-> task ----

/// pid_for_task implements XNU Mach trap pid_for_task (46): the pid behind a task port name (-1 and
/// KERN_FAILURE for anything else).
SysResult mach_pid_for_task(Thread& t, uint32_t task_name, TraceeAddr pid) {
    TASK_OR_FAIL();
    int32_t p = -1;
    kern_return_t kr = KERN_FAILURE;
    {
        IpcLock lock(t);
        Port* port;
        if (port_valid(task_name) && port_translate_send(task->space, task_name, &port) == KERN_SUCCESS &&
            port->kotype == Kotype::Task) {
            p = static_cast<Task*>(port->kobject)->pid;
            kr = KERN_SUCCESS;
        }
    }
    t.write(pid, &p, sizeof p);
    return trap_finish(t, task, kr);
}

/// task_for_pid implements XNU Mach trap task_for_pid (45) as an unprivileged macOS process sees it: its own
/// pid gives a send right to its task port; any other pid is KERN_FAILURE (AMFI/taskgated refuse it).
SysResult mach_task_for_pid(Thread& t, uint32_t target_tport, int32_t pid, TraceeAddr task_out) {
    TASK_OR_FAIL();
    mach_port_name_t tret = MACH_PORT_NULL;
    kern_return_t kr = KERN_FAILURE;
    {
        IpcLock lock(t);
        if (pid != 0 && name_to_current_task(task, target_tport) && pid == task->pid) {
            tret = copyout_send(task->space, task->self_port);
            kr = tret ? KERN_SUCCESS : KERN_FAILURE;
        }
    }
    t.write(task_out, &tret, sizeof tret);
    return trap_finish(t, task, kr);
}

}  // namespace xnu_sys

namespace mach {

uint32_t thread_port_copyout(Thread& t, int tid) {
    Task* task = current_task(t);
    if (!task) return MACH_PORT_NULL;
    IpcLock lock(t);
    ThreadObj* th = thread_object(task, tid);
    return th ? xnu_sys::copyout_send(task->space, th->port) : MACH_PORT_NULL;
}

int thread_tid_of_port(Thread& t, uint32_t name) {
    Task* task = current_task(t);
    if (!task || !port_valid(name)) return -1;
    IpcLock lock(t);
    Port* port;
    if (port_translate_send(task->space, name, &port) != KERN_SUCCESS) return -1;
    if (!port->active || port->kotype != Kotype::Thread || !port->kobject) return -1;
    return static_cast<ThreadObj*>(port->kobject)->tid;
}

int thread_terminate_cleanup(Thread& t, uint32_t sema, uint32_t kthport) {
    kern_return_t kr = KERN_SUCCESS;
    if (sema != MACH_PORT_NULL) kr = kern_return_t(xnu_sys::mach_semaphore_signal_trap(t, sema).value);
    if (Task* task = current_task(t)) {
        IpcLock lock(t);
        if (kthport != MACH_PORT_NULL) mp_deallocate(task->space, kthport);
        thread_object_terminate(task, t.tid());
    }
    return kr;
}

}  // namespace mach
