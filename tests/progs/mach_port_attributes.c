/* mach_port_get_attributes (trap 40) and mach_port_set_attributes (MIG 3218) by flavor: the queue limit
 * (default 5, up to MACH_PORT_QLIMIT_MAX, above it KERN_INVALID_VALUE; a raised limit takes more messages), the
 * receive status (counts of messages, send and send-once rights,
 * make-send count, sequence number), the dead-name request count, the extended info, and the errors: short
 * counts (KERN_FAILURE), unknown flavors (KERN_INVALID_ARGUMENT), names without a receive right
 * (KERN_INVALID_RIGHT), MACH_PORT_NULL where the flavor allows it.
 * Facts: xnu osfmk/ipc/mach_port.c (mach_port_get_attributes, mach_port_set_attributes,
 * mach_port_get_status_helper), osfmk/mach/port.h (flavors and counts, MACH_PORT_QLIMIT_MAX 1024). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

static unsigned task;

static int get(unsigned name, int flavor, int* info, unsigned* count) {
    return MACH(port_get_attributes, task, name, flavor, info, count);
}

int main(void) {
    task = t_task_self();
    unsigned p;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    int info[32];
    unsigned count = MACH_PORT_LIMITS_INFO_COUNT;
    CHECK(get(p, MACH_PORT_LIMITS_INFO, info, &count) == 0 && count == 1 && info[0] == MACH_PORT_QLIMIT_DEFAULT,
          "MACH_PORT_LIMITS_INFO: the default limit, 5");
    count = 0;
    CHECK(get(p, MACH_PORT_LIMITS_INFO, info, &count) == KERN_FAILURE, "with no room: KERN_FAILURE");
    count = 1;
    CHECK(get(MACH_PORT_NULL, MACH_PORT_LIMITS_INFO, info, &count) == 0 && count == 0,
          "of MACH_PORT_NULL: success, nothing returned");
    count = 1;
    CHECK(get(task, MACH_PORT_LIMITS_INFO, info, &count) == KERN_INVALID_RIGHT, "of a send right: KERN_INVALID_RIGHT");
    count = 1;
    CHECK(get(0x7777703, MACH_PORT_LIMITS_INFO, info, &count) == KERN_INVALID_NAME, "of an unknown name: KERN_INVALID_NAME");
    count = 16;
    CHECK(get(p, 77, info, &count) == KERN_INVALID_ARGUMENT, "an unknown flavor: KERN_INVALID_ARGUMENT");

    int limit = MACH_PORT_QLIMIT_MAX + 1;
    CHECK(t_mach_port_set_attributes(task, p, MACH_PORT_LIMITS_INFO, &limit, 1) == KERN_INVALID_VALUE,
          "a limit above MACH_PORT_QLIMIT_MAX: KERN_INVALID_VALUE");
    limit = 8;
    CHECK(t_mach_port_set_attributes(task, p, MACH_PORT_LIMITS_INFO, &limit, 1) == 0, "limit 8 by MIG");
    count = 1;
    CHECK(get(p, MACH_PORT_LIMITS_INFO, info, &count) == 0 && info[0] == 8, "and it reads back");

    /* Eight messages now fit; the ninth would not. */
    MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND);
    struct { mach_msg_header_t h; } m;
    int sent = 0;
    for (int i = 0; i < 9; i++) {
        memset(&m, 0, sizeof m);
        m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
        m.h.msgh_size = sizeof m;
        m.h.msgh_remote_port = p;
        if (t_mach_msg(&m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, 0, 0) == 0) sent++;
    }
    CHECK(sent == 8, "eight messages fit, the ninth times out");
    mach_port_status_t* s = (mach_port_status_t*)info;
    count = MACH_PORT_RECEIVE_STATUS_COUNT;
    CHECK(get(p, MACH_PORT_RECEIVE_STATUS, info, &count) == 0 && count == MACH_PORT_RECEIVE_STATUS_COUNT,
          "MACH_PORT_RECEIVE_STATUS");
    CHECK(s->mps_msgcount == 8 && s->mps_qlimit == 8 && s->mps_mscount == 1 && s->mps_srights && s->mps_sorights == 0,
          "eight queued, limit 8, one send right made");
    count = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
    CHECK(get(p, MACH_PORT_RECEIVE_STATUS, info, &count) == KERN_FAILURE, "a short count: KERN_FAILURE");
    count = MACH_PORT_RECEIVE_STATUS_COUNT;
    CHECK(get(MACH_PORT_NULL, MACH_PORT_RECEIVE_STATUS, info, &count) == KERN_INVALID_RIGHT,
          "of MACH_PORT_NULL: KERN_INVALID_RIGHT");

    count = MACH_PORT_INFO_EXT_COUNT;
    mach_port_info_ext_t* x = (mach_port_info_ext_t*)info;
    CHECK(get(p, MACH_PORT_INFO_EXT, info, &count) == 0 && count == MACH_PORT_INFO_EXT_COUNT &&
              x->mpie_status.mps_msgcount == 8,
          "MACH_PORT_INFO_EXT: the status inside");

    count = 1;
    CHECK(get(p, MACH_PORT_DNREQUESTS_SIZE, info, &count) == 0 && info[0] == 0, "MACH_PORT_DNREQUESTS_SIZE: none yet");
    unsigned notify, prev = 0;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &notify);
    xmach8(MT_port_request_notification, task, p, MACH_NOTIFY_DEAD_NAME, 0, notify, MACH_MSG_TYPE_MAKE_SEND_ONCE,
           (long)&prev, 0);
    count = 1;
    CHECK(get(p, MACH_PORT_DNREQUESTS_SIZE, info, &count) == 0 && info[0] == 1, "one dead-name request registered");
    return t_done();
}
