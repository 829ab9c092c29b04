/* mach_port_insert_right (Mach trap 21): MAKE_SEND and COPY_SEND into the port's own name (make-send count and
 * send rights counted by the port, seen through MACH_PORT_RECEIVE_STATUS), MAKE_SEND_ONCE and MOVE_RECEIVE under
 * a new name, and the errors: a send right can have only one name in a space (KERN_RIGHT_EXISTS), a taken name
 * (KERN_NAME_EXISTS), a bad disposition, a missing right. A right copied in before a failure is destroyed.
 * Facts: xnu osfmk/ipc/mach_kernelrpc.c (_kernelrpc_mach_port_insert_right_trap), osfmk/ipc/mach_port.c
 * (mach_port_insert_right, mach_port_get_attributes, mach_port_get_status_helper), osfmk/ipc/ipc_object.c
 * (ipc_object_insert_send_right, ipc_object_copyin, ipc_object_copyout_name, ipc_object_destroy). */
#include "xnu.h"

#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

static mach_port_status_t status(unsigned name) {
    mach_port_status_t s;
    unsigned count = MACH_PORT_RECEIVE_STATUS_COUNT;
    memset(&s, 0xff, sizeof s);
    MACH(port_get_attributes, t_task_self(), name, MACH_PORT_RECEIVE_STATUS, &s, &count);
    return s;
}

int main(void) {
    unsigned task = t_task_self();
    unsigned p, q;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &p);
    mach_port_status_t s = status(p);
    CHECK(s.mps_mscount == 0 && s.mps_srights == 0 && s.mps_sorights == 0 && s.mps_qlimit == MACH_PORT_QLIMIT_DEFAULT,
          "a new port: make-send count 0, no send rights, queue limit 5");

    CHECK(MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND) == 0, "MAKE_SEND under the port's name");
    s = status(p);
    CHECK(s.mps_mscount == 1 && s.mps_srights == 1, "make-send count 1, send rights present");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_SEND_RECEIVE && t_refs(p, MACH_PORT_RIGHT_SEND) == 1, "send+receive, 1 reference");
    CHECK(MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_MAKE_SEND) == 0, "MAKE_SEND again");
    CHECK(status(p).mps_mscount == 2 && t_refs(p, MACH_PORT_RIGHT_SEND) == 2, "make-send count 2, 2 references");
    CHECK(MACH(port_insert_right, task, p, p, MACH_MSG_TYPE_COPY_SEND) == 0, "COPY_SEND under the same name");
    CHECK(status(p).mps_mscount == 2 && t_refs(p, MACH_PORT_RIGHT_SEND) == 3, "make-send count unchanged, 3 references");

    /* A send right has one name per space. */
    CHECK(MACH(port_insert_right, task, 0x50003, p, MACH_MSG_TYPE_MAKE_SEND) == KERN_RIGHT_EXISTS,
          "MAKE_SEND under another name: KERN_RIGHT_EXISTS");
    CHECK(status(p).mps_mscount == 3, "the right made for it was counted, then destroyed (make-send count 3)");
    CHECK(t_refs(p, MACH_PORT_RIGHT_SEND) == 3 && t_port_type(0x50003) == 0, "references unchanged, no new name");
    CHECK(MACH(port_insert_right, task, 0x50003, p, MACH_MSG_TYPE_COPY_SEND) == KERN_RIGHT_EXISTS,
          "COPY_SEND under another name: KERN_RIGHT_EXISTS");

    /* Send-once rights get names of their own. */
    CHECK(MACH(port_insert_right, task, 0x50003, p, MACH_MSG_TYPE_MAKE_SEND_ONCE) == 0, "MAKE_SEND_ONCE under 0x50003");
    CHECK(t_port_type(0x50003) == MACH_PORT_TYPE_SEND_ONCE && t_refs(0x50003, MACH_PORT_RIGHT_SEND_ONCE) == 1,
          "0x50003 is a send-once right");
    CHECK(status(p).mps_sorights == 1, "the port counts one send-once right");
    CHECK(MACH(port_insert_right, task, 0x50003, p, MACH_MSG_TYPE_MAKE_SEND_ONCE) == KERN_NAME_EXISTS,
          "another into the same name: KERN_NAME_EXISTS");
    CHECK(status(p).mps_sorights == 2,
          "the send-once right made for it was destroyed: a send-once notification now carries it to the port");
    CHECK(MACH(port_insert_right, task, 0x51003, 0x50003, MACH_MSG_TYPE_MOVE_SEND_ONCE) == 0,
          "MOVE_SEND_ONCE to 0x51003");
    CHECK(t_port_type(0x50003) == 0 && t_port_type(0x51003) == MACH_PORT_TYPE_SEND_ONCE, "the right moved names");
    MACH(port_deallocate, task, 0x51003);
    /* Destroying a send-once right sends a send-once notification to its port, with that right. */
    struct {
        mach_msg_header_t head;
        mach_msg_trailer_t trailer;
    } note;
    CHECK(status(p).mps_msgcount == 2, "two send-once notifications are queued on the port");
    for (int i = 0; i < 2; i++) {
        memset(&note, 0, sizeof note);
        CHECK(t_mach_msg(&note, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof note, p, 0) == 0, "receive one");
        CHECK(note.head.msgh_id == MACH_NOTIFY_SEND_ONCE && note.head.msgh_size == sizeof(mach_msg_header_t) &&
                  note.head.msgh_bits == MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE) &&
                  note.head.msgh_local_port == p && note.head.msgh_remote_port == 0,
              "MACH_NOTIFY_SEND_ONCE: a bare header to the port, local PORT_SEND_ONCE");
    }
    CHECK(status(p).mps_sorights == 0, "receiving them consumed the send-once rights");

    /* MOVE_RECEIVE: the receive right moves to a new name (the send rights stay under the old one). */
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &q);
    CHECK(MACH(port_insert_right, task, 0x52003, q, MACH_MSG_TYPE_MOVE_RECEIVE) == 0, "MOVE_RECEIVE to 0x52003");
    CHECK(t_port_type(q) == 0 && t_port_type(0x52003) == MACH_PORT_TYPE_RECEIVE, "the receive right changed names");
    CHECK(MACH(port_insert_right, task, 0x53003, p, MACH_MSG_TYPE_MOVE_RECEIVE) == KERN_RIGHT_EXISTS,
          "MOVE_RECEIVE of a port whose send right has another name: KERN_RIGHT_EXISTS");
    CHECK(t_port_type(p) == MACH_PORT_TYPE_DEAD_NAME, "the receive right copied in for it was destroyed: a dead name");

    /* Errors before anything moves. */
    unsigned r;
    MACH(port_allocate, task, MACH_PORT_RIGHT_RECEIVE, &r);
    CHECK(MACH(port_insert_right, task, r, r, MACH_MSG_TYPE_COPY_SEND) == KERN_INVALID_RIGHT,
          "COPY_SEND without a send right: KERN_INVALID_RIGHT");
    CHECK(MACH(port_insert_right, task, 0x54003, r, 22) == KERN_INVALID_RIGHT, "disposition 22: KERN_INVALID_RIGHT");
    CHECK(MACH(port_insert_right, task, 0x54003, 0x7703, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_NAME,
          "unknown source name: KERN_INVALID_NAME");
    CHECK(MACH(port_insert_right, task, 0x54003, task, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_RIGHT,
          "MAKE_SEND from a send right: KERN_INVALID_RIGHT");
    CHECK(MACH(port_insert_right, task, 0, r, MACH_MSG_TYPE_MAKE_SEND) == KERN_INVALID_VALUE,
          "into MACH_PORT_NULL: KERN_INVALID_VALUE");
    s = status(r);
    CHECK(s.mps_mscount == 1 && s.mps_srights == 0, "that send right was made (make-send count 1) and destroyed");
    CHECK(MACH(port_insert_right, task, 0x54004, r, MACH_MSG_TYPE_MAKE_SEND_ONCE) == KERN_INVALID_VALUE,
          "into a name without the generation bits: KERN_INVALID_VALUE");
    CHECK(MACH(port_insert_right, 0, r, r, MACH_MSG_TYPE_MAKE_SEND) == MACH_SEND_INVALID_DEST,
          "bad target: MACH_SEND_INVALID_DEST");
    return t_done();
}
