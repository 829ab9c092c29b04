/* Mach timers: mk_timer_create_trap (91) gives a receive right to a timer port; mk_timer_arm_trap (93) and
 * mk_timer_arm_leeway_trap (95) arm it for a mach_absolute_time deadline (one already past fires at once), and
 * the kernel then sends an mk_timer_expire_msg_t (48 bytes, id 0, destination a copied send right: the
 * receiver sees MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND), its receive right's name as local port, and no
 * new user reference); while that message is queued a further expiry sends nothing; re-arming replaces the
 * deadline; mk_timer_cancel_trap (94) disarms and reports the armed deadline (0 when not armed);
 * mk_timer_destroy_trap (92) destroys the receive right. Errors: KERN_INVALID_NAME, KERN_INVALID_RIGHT (no
 * receive right), KERN_INVALID_ARGUMENT (a port that is not a timer), KERN_FAILURE (cancel's result cannot be
 * written); a dead name is KERN_INVALID_NAME to arm/cancel, KERN_INVALID_RIGHT to destroy. A timer is a
 * kernel object: no port-destroyed notification for it.
 * Facts: xnu osfmk/kern/mk_timer.c (mk_timer_create_trap, mk_timer_expire, mk_timer_arm_trap_internal,
 * mk_timer_cancel_trap, mk_timer_destroy_trap), osfmk/mach/mk_timer.h (mk_timer_expire_msg_t),
 * osfmk/ipc/ipc_right.c (ipc_right_lookup_read, ipc_right_lookup_write),
 * osfmk/ipc/ipc_object.c (ipc_object_translate, ipc_object_copyout_dest), osfmk/ipc/mach_port.c
 * (mach_port_request_notification: no MACH_NOTIFY_PORT_DESTROYED on a kobject), osfmk/ipc/ipc_port.c (ipc_port_make_send_any_locked). */
#include "xnu.h"

#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

struct expire {
    mach_msg_header_t header;
    unsigned long unused[3];
} __attribute__((packed, aligned(4)));

struct rcv {
    struct expire m;
    mach_msg_security_trailer_t t;
    char slack[64];
};

static unsigned timer, pset;

static int receive(unsigned name, struct rcv* r, int timeout_ms) {
    memset(r, 0xa5, sizeof *r);
    int opt = MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
              MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER);
    if (timeout_ms >= 0) opt |= MACH_RCV_TIMEOUT;
    return t_mach_msg(r, opt, 0, sizeof *r, name, timeout_ms < 0 ? 0 : (unsigned)timeout_ms);
}

static unsigned msgcount(unsigned name) {
    mach_port_status_t s;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0, sizeof s);
    MACH(port_get_attributes, t_task_self(), name, MACH_PORT_RECEIVE_STATUS, &s, &c);
    return s.mps_msgcount;
}

static void sleep_ms(int ms) { xsys6(SYSCALL_CLASS_UNIX | 230, 0, 0, ms, 0, 0, 0); }

/* Arms the timer from another thread while the main thread is already blocked receiving on the set. */
static void late_armer(void* arg) {
    (void)arg;
    sleep_ms(60);
    MACH(mk_timer_arm, timer, t_abs_now() + 20000000UL);
}

int main(void) {
    unsigned task = t_task_self();
    timer = (unsigned)MACH0(mk_timer_create);
    CHECK(timer != 0 && (timer & 0xff) == 3, "mk_timer_create: a port name (generation 3)");
    CHECK(t_port_type(timer) == MACH_PORT_TYPE_RECEIVE, "the caller holds the receive right only");
    CHECK(t_refs(timer, MACH_PORT_RIGHT_RECEIVE) == 1 && t_refs(timer, MACH_PORT_RIGHT_SEND) == 0,
          "refs: receive 1, send 0 (the timer's own send right is not the caller's)");
    mach_port_status_t st;
    unsigned c = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&st, 0, sizeof st);
    CHECK(MACH(port_get_attributes, task, timer, MACH_PORT_RECEIVE_STATUS, &st, &c) == 0 && st.mps_srights == 1 &&
              st.mps_mscount == 1 && st.mps_msgcount == 0 && st.mps_qlimit == MACH_PORT_QLIMIT_DEFAULT,
          "RECEIVE_STATUS: send rights exist (the timer's), make-send count 1, empty queue of limit 5");

    unsigned long armed = 77;
    CHECK(MACH(mk_timer_cancel, timer, &armed) == KERN_SUCCESS && armed == 0, "cancel when not armed: deadline 0");
    CHECK(MACH(mk_timer_cancel, timer, 0) == KERN_SUCCESS, "cancel with no result address");

    /* Armed 80 ms ahead: nothing yet, then the expiry message. */
    struct rcv r;
    unsigned long t0 = t_abs_now();
    CHECK(MACH(mk_timer_arm, timer, t0 + 80000000UL) == KERN_SUCCESS, "mk_timer_arm(now + 80 ms)");
    CHECK(receive(timer, &r, 10) == MACH_RCV_TIMED_OUT, "nothing after 10 ms: MACH_RCV_TIMED_OUT");
    CHECK(receive(timer, &r, -1) == MACH_MSG_SUCCESS, "a blocking receive gets the expiry");
    unsigned long t1 = t_abs_now();
    CHECK(t1 >= t0 + 80000000UL && t1 < t0 + 2000000000UL, "not before the deadline");
    CHECK(r.m.header.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND) && r.m.header.msgh_size == 48 &&
              r.m.header.msgh_remote_port == 0 && r.m.header.msgh_local_port == timer &&
              r.m.header.msgh_voucher_port == 0 && r.m.header.msgh_id == 0,
          "mk_timer_expire_msg_t: bits (0, PORT_SEND), size 48, local port the timer, id 0");
    CHECK(r.m.unused[0] == 0 && r.m.unused[1] == 0 && r.m.unused[2] == 0, "the unused words are zero");
    CHECK(r.t.msgh_trailer_size == sizeof(mach_msg_security_trailer_t) && r.t.msgh_sender.val[0] == 0 &&
              r.t.msgh_sender.val[1] == 1,
          "sent by the kernel: security token {0, 1}");
    CHECK(t_port_type(timer) == MACH_PORT_TYPE_RECEIVE && t_refs(timer, MACH_PORT_RIGHT_SEND) == 0,
          "the destination right merged with the receive right: no send reference appeared");
    CHECK(receive(timer, &r, 0) == MACH_RCV_TIMED_OUT, "one message per arming");

    /* A deadline already past fires at once; a second expiry while the first message waits sends nothing. */
    CHECK(MACH(mk_timer_arm, timer, 0UL) == KERN_SUCCESS, "arm for deadline 0");
    CHECK(msgcount(timer) == 1, "the message is queued at once");
    CHECK(MACH(mk_timer_arm, timer, t_abs_now() - 1) == KERN_SUCCESS && msgcount(timer) == 1,
          "expiring again while the message is queued: still one message");
    CHECK(MACH(mk_timer_cancel, timer, &armed) == KERN_SUCCESS && armed == 0, "an expired timer is not armed");
    CHECK(receive(timer, &r, 0) == MACH_MSG_SUCCESS && r.m.header.msgh_size == 48, "the one message");
    CHECK(receive(timer, &r, 0) == MACH_RCV_TIMED_OUT, "and no other");

    /* Cancel: the deadline comes back; nothing arrives. */
    unsigned long dl = t_abs_now() + 1000000000UL;
    CHECK(MACH(mk_timer_arm, timer, dl) == KERN_SUCCESS, "arm 1 s ahead");
    CHECK(MACH(mk_timer_cancel, timer, &armed) == KERN_SUCCESS && armed >= dl, "cancel reports the armed deadline");
    CHECK(MACH(mk_timer_cancel, timer, &armed) == KERN_SUCCESS && armed == 0, "cancelled: no longer armed");
    CHECK(MACH(mk_timer_arm, timer, t_abs_now() + 20000000UL) == KERN_SUCCESS, "arm 20 ms ahead");
    CHECK(MACH(mk_timer_cancel, timer, BAD_PTR) == KERN_FAILURE, "a bad result address: KERN_FAILURE");
    sleep_ms(40);
    CHECK(msgcount(timer) == 0 && receive(timer, &r, 0) == MACH_RCV_TIMED_OUT, "...but the timer was disarmed");

    /* Re-arming replaces the deadline, earlier or later. */
    t0 = t_abs_now();
    MACH(mk_timer_arm, timer, t0 + 10000000000UL);
    CHECK(MACH(mk_timer_arm_leeway, timer, 1 /* MK_TIMER_CRITICAL */, t0 + 30000000UL, 1000000UL) == KERN_SUCCESS,
          "mk_timer_arm_leeway re-arms 30 ms ahead");
    CHECK(receive(timer, &r, 2000) == MACH_MSG_SUCCESS && t_abs_now() >= t0 + 30000000UL &&
              t_abs_now() < t0 + 2000000000UL,
          "the new, earlier deadline fires");

    /* Port sets: a receive blocked on a set is woken when a member timer, armed later, expires. */
    MACH(port_allocate, task, MACH_PORT_RIGHT_PORT_SET, &pset);
    CHECK(MACH(port_insert_member, task, timer, pset) == KERN_SUCCESS, "the timer joins a port set");
    CHECK(t_spawn(late_armer, 0) == 0, "a thread arms the timer in 60 ms");
    t0 = t_abs_now();
    CHECK(receive(pset, &r, 5000) == MACH_MSG_SUCCESS && r.m.header.msgh_local_port == timer,
          "the set receive gets the expiry");
    t1 = t_abs_now();
    CHECK(t1 - t0 >= 60000000UL && t1 - t0 < 4000000000UL, "after it was armed, well before the receive's timeout");
    MACH(mk_timer_arm, timer, 0UL);
    CHECK(receive(pset, &r, 0) == MACH_MSG_SUCCESS && r.m.header.msgh_local_port == timer, "a past deadline via the set");

    /* Errors. */
    unsigned plain, sendonly;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &plain);
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &sendonly);
    MACH(port_insert_right, task, sendonly, sendonly, MACH_MSG_TYPE_MAKE_SEND);
    MACH(port_mod_refs, task, sendonly, MACH_PORT_RIGHT_RECEIVE, -1); /* now a dead name */
    MACH(port_insert_right, task, plain, plain, MACH_MSG_TYPE_MAKE_SEND);
    CHECK(MACH(mk_timer_arm, plain, 0UL) == KERN_INVALID_ARGUMENT, "arm on a port that is not a timer: KERN_INVALID_ARGUMENT");
    CHECK(MACH(mk_timer_cancel, plain, &armed) == KERN_INVALID_ARGUMENT, "cancel on it: KERN_INVALID_ARGUMENT");
    CHECK(MACH(mk_timer_destroy, plain) == KERN_INVALID_ARGUMENT, "destroy on it: KERN_INVALID_ARGUMENT");
    CHECK(t_port_type(plain) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND), "and the port is untouched");
    CHECK(MACH(mk_timer_arm, 0x12345603, 0UL) == KERN_INVALID_NAME, "arm on an unused name: KERN_INVALID_NAME");
    CHECK(MACH(mk_timer_cancel, 0x12345603, &armed) == KERN_INVALID_NAME, "cancel: KERN_INVALID_NAME");
    CHECK(MACH(mk_timer_destroy, 0x12345603) == KERN_INVALID_NAME, "destroy: KERN_INVALID_NAME");
    CHECK(MACH(mk_timer_arm, sendonly, 0UL) == KERN_INVALID_NAME,
          "arm on a dead name: KERN_INVALID_NAME (ipc_right_lookup_read cannot lock a dead object)");
    CHECK(MACH(mk_timer_arm, task, 0UL) == KERN_INVALID_RIGHT, "arm on a send right (the task port): KERN_INVALID_RIGHT");
    CHECK(MACH(mk_timer_destroy, task) == KERN_INVALID_RIGHT, "destroy on it: KERN_INVALID_RIGHT");
    CHECK(MACH(mk_timer_destroy, sendonly) == KERN_INVALID_RIGHT,
          "destroy on a dead name: KERN_INVALID_RIGHT (ipc_right_lookup_write finds the entry)");
    unsigned notify, previous = 5;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    CHECK((int)xmach8(MT_port_request_notification, task, timer, MACH_NOTIFY_PORT_DESTROYED, 0, notify,
                      MACH_MSG_TYPE_MAKE_SEND_ONCE, (long)&previous, 0) == KERN_INVALID_RIGHT &&
              t_refs(notify, MACH_PORT_RIGHT_SEND_ONCE) == 0,
          "no port-destroyed notification for a timer: KERN_INVALID_RIGHT");

    /* Destroy, with an expiry message queued. */
    MACH(mk_timer_arm, timer, 0UL);
    CHECK(MACH(mk_timer_destroy, timer) == KERN_SUCCESS, "mk_timer_destroy");
    unsigned type;
    CHECK(MACH(port_type, task, timer, &type) == KERN_INVALID_NAME, "the name is gone");
    CHECK(MACH(mk_timer_arm, timer, 0UL) == KERN_INVALID_NAME, "arming it: KERN_INVALID_NAME");
    CHECK(receive(pset, &r, 0) == MACH_RCV_TIMED_OUT, "the set lost its member and the queued message");

    /* A second timer goes away with mach_port_mod_refs(RECEIVE, -1) as well. */
    unsigned t2 = (unsigned)MACH0(mk_timer_create);
    CHECK(t2 != 0 && t2 != timer, "another timer");
    MACH(mk_timer_arm, t2, t_abs_now() + 5000000000UL);
    CHECK(MACH(port_mod_refs, task, t2, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS &&
              MACH(port_type, task, t2, &type) == KERN_INVALID_NAME,
          "mach_port_mod_refs(RECEIVE, -1) destroys an armed timer");
    return t_done();
}
