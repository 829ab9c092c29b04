// The Mach IPC ABI a 64-bit macOS process sees: return codes, port names and rights, message options, header
// and descriptor layouts, trailers, MIG records. Facts from xnu osfmk/mach/{kern_return.h, port.h, message.h,
// mig_errors.h, ndr.h, notify.h, sync_policy.h, task_info.h, policy.h, thread_switch.h, clock_types.h} and
// osfmk/ipc/ipc_entry.h; layouts are the LP64 user ones (mach_msg_user_*), checked at compile time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mach {

using kern_return_t = int32_t;
using mach_port_name_t = uint32_t;
using mach_msg_return_t = kern_return_t;

// ---- kern_return.h ----
constexpr kern_return_t KERN_SUCCESS = 0;
constexpr kern_return_t KERN_INVALID_ADDRESS = 1;
constexpr kern_return_t KERN_PROTECTION_FAILURE = 2;
constexpr kern_return_t KERN_NO_SPACE = 3;
constexpr kern_return_t KERN_INVALID_ARGUMENT = 4;
constexpr kern_return_t KERN_FAILURE = 5;
constexpr kern_return_t KERN_RESOURCE_SHORTAGE = 6;
constexpr kern_return_t KERN_NOT_RECEIVER = 7;
constexpr kern_return_t KERN_NO_ACCESS = 8;
constexpr kern_return_t KERN_MEMORY_FAILURE = 9;
constexpr kern_return_t KERN_MEMORY_ERROR = 10;
constexpr kern_return_t KERN_NOT_IN_SET = 12;
constexpr kern_return_t KERN_NAME_EXISTS = 13;
constexpr kern_return_t KERN_ABORTED = 14;
constexpr kern_return_t KERN_INVALID_NAME = 15;
constexpr kern_return_t KERN_INVALID_TASK = 16;
constexpr kern_return_t KERN_INVALID_RIGHT = 17;
constexpr kern_return_t KERN_INVALID_VALUE = 18;
constexpr kern_return_t KERN_UREFS_OVERFLOW = 19;
constexpr kern_return_t KERN_INVALID_CAPABILITY = 20;
constexpr kern_return_t KERN_RIGHT_EXISTS = 21;
constexpr kern_return_t KERN_INVALID_HOST = 22;
constexpr kern_return_t KERN_ALREADY_IN_SET = 11;
constexpr kern_return_t KERN_NOT_WAITING = 48;
constexpr kern_return_t KERN_TERMINATED = 37;
constexpr kern_return_t KERN_OPERATION_TIMED_OUT = 49;
constexpr kern_return_t KERN_NOT_SUPPORTED = 46;

// ---- mig_errors.h ----
constexpr kern_return_t MIG_TYPE_ERROR = -300;
constexpr kern_return_t MIG_REPLY_MISMATCH = -301;
constexpr kern_return_t MIG_REMOTE_ERROR = -302;
constexpr kern_return_t MIG_BAD_ID = -303;
constexpr kern_return_t MIG_BAD_ARGUMENTS = -304;
constexpr kern_return_t MIG_NO_REPLY = -305;
constexpr kern_return_t MIG_ARRAY_TOO_LARGE = -307;

// ---- port.h, ipc_entry.h: names ----
constexpr mach_port_name_t MACH_PORT_NULL = 0;
constexpr mach_port_name_t MACH_PORT_DEAD = ~0u;
constexpr bool port_valid(mach_port_name_t n) { return n != MACH_PORT_NULL && n != MACH_PORT_DEAD; }
constexpr uint32_t MACH_PORT_INDEX(mach_port_name_t n) { return n >> 8; }
constexpr uint32_t MACH_PORT_GEN(mach_port_name_t n) { return (n & 0xff) << 24; }
constexpr mach_port_name_t MACH_PORT_MAKE(uint32_t index, uint32_t gen) { return (index << 8) | (gen >> 24); }

constexpr uint32_t IE_BITS_UREFS_MASK = 0x0000ffff;
constexpr uint32_t IE_BITS_TYPE_MASK = 0x001f0000;
constexpr uint32_t IE_BITS_EXTYPE_MASK = 0x00200000;  // MACH_PORT_TYPE_EX_RECEIVE
constexpr uint32_t IE_BITS_ROLL_MASK = 0x00c00000;
constexpr uint32_t IE_BITS_GEN_MASK = 0xff000000;
constexpr uint32_t IE_BITS_GEN_ONE = 0x04000000;
constexpr uint32_t MACH_PORT_UREFS_MAX = 0xffff;

// Rights and types.
using mach_port_right_t = uint32_t;
constexpr mach_port_right_t MACH_PORT_RIGHT_SEND = 0, MACH_PORT_RIGHT_RECEIVE = 1, MACH_PORT_RIGHT_SEND_ONCE = 2,
                            MACH_PORT_RIGHT_PORT_SET = 3, MACH_PORT_RIGHT_DEAD_NAME = 4, MACH_PORT_RIGHT_LABELH = 5,
                            MACH_PORT_RIGHT_NUMBER = 6;
constexpr uint32_t MACH_PORT_TYPE(mach_port_right_t r) { return 1u << (r + 16); }
constexpr uint32_t MACH_PORT_TYPE_NONE = 0;
constexpr uint32_t MACH_PORT_TYPE_SEND = MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND);
constexpr uint32_t MACH_PORT_TYPE_RECEIVE = MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE);
constexpr uint32_t MACH_PORT_TYPE_SEND_ONCE = MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE);
constexpr uint32_t MACH_PORT_TYPE_PORT_SET = MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET);
constexpr uint32_t MACH_PORT_TYPE_DEAD_NAME = MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME);
constexpr uint32_t MACH_PORT_TYPE_EX_RECEIVE = MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH);
constexpr uint32_t MACH_PORT_TYPE_DNREQUEST = 0x80000000;
constexpr uint32_t MACH_PORT_TYPE_SPREQUEST = 0x40000000;
constexpr uint32_t MACH_PORT_TYPE_SPREQUEST_DELAYED = 0x20000000;
constexpr uint32_t MACH_PORT_TYPE_SEND_RECEIVE = MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE;
constexpr uint32_t MACH_PORT_TYPE_SEND_RIGHTS = MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE;
constexpr uint32_t MACH_PORT_TYPE_PORT_RIGHTS = MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE;

constexpr uint32_t MACH_PORT_QLIMIT_ZERO = 0, MACH_PORT_QLIMIT_BASIC = 5, MACH_PORT_QLIMIT_DEFAULT = 5,
                   MACH_PORT_QLIMIT_LARGE = 1024, MACH_PORT_QLIMIT_KERNEL = 65534, MACH_PORT_QLIMIT_MAX = 1024;

// mach_port_construct options (port.h).
constexpr uint32_t MPO_CONTEXT_AS_GUARD = 0x01, MPO_QLIMIT = 0x02, MPO_TEMPOWNER = 0x04,
                   MPO_IMPORTANCE_RECEIVER = 0x08, MPO_INSERT_SEND_RIGHT = 0x10, MPO_STRICT = 0x20,
                   MPO_DENAP_RECEIVER = 0x40, MPO_IMMOVABLE_RECEIVE = 0x80;
struct mach_port_limits_t {
    uint32_t mpl_qlimit;
};
struct mach_port_options_t {
    uint32_t flags;
    mach_port_limits_t mpl;
    union {
        uint64_t reserved[2];
        mach_port_name_t work_interval_port;
        uint64_t service_port_info;
        mach_port_name_t service_port_name;
    };
};
static_assert(sizeof(mach_port_options_t) == 24);

// mach_port_get_attributes flavors and mach_port_status_t.
constexpr int MACH_PORT_LIMITS_INFO = 1, MACH_PORT_RECEIVE_STATUS = 2, MACH_PORT_DNREQUESTS_SIZE = 3,
              MACH_PORT_TEMPOWNER = 4, MACH_PORT_IMPORTANCE_RECEIVER = 5, MACH_PORT_DENAP_RECEIVER = 6,
              MACH_PORT_INFO_EXT = 7, MACH_PORT_GUARD_INFO = 8;
struct mach_port_status_t {
    mach_port_name_t mps_pset;
    uint32_t mps_seqno, mps_mscount, mps_qlimit, mps_msgcount, mps_sorights;
    int32_t mps_srights, mps_pdrequest, mps_nsrequest;
    uint32_t mps_flags;
};
static_assert(sizeof(mach_port_status_t) == 40);
struct mach_port_info_ext_t {
    mach_port_status_t mpie_status;
    uint32_t mpie_boost_cnt;
    uint32_t reserved[6];
};
static_assert(sizeof(mach_port_info_ext_t) == 68);  // the largest flavor: 17 integers
constexpr uint32_t MACH_PORT_STATUS_FLAG_GUARDED = 0x02, MACH_PORT_STATUS_FLAG_STRICT_GUARD = 0x04,
                   MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE = 0x40;

// ---- notify.h ----
constexpr int32_t MACH_NOTIFY_FIRST = 0100, MACH_NOTIFY_PORT_DELETED = 0101, MACH_NOTIFY_SEND_POSSIBLE = 0102,
                  MACH_NOTIFY_PORT_DESTROYED = 0105, MACH_NOTIFY_NO_SENDERS = 0106, MACH_NOTIFY_SEND_ONCE = 0107,
                  MACH_NOTIFY_DEAD_NAME = 0110;

// ---- message.h: dispositions ----
using mach_msg_type_name_t = uint32_t;
constexpr mach_msg_type_name_t MACH_MSG_TYPE_PORT_NONE = 0, MACH_MSG_TYPE_PORT_NAME = 15,
                               MACH_MSG_TYPE_MOVE_RECEIVE = 16, MACH_MSG_TYPE_MOVE_SEND = 17,
                               MACH_MSG_TYPE_MOVE_SEND_ONCE = 18, MACH_MSG_TYPE_COPY_SEND = 19,
                               MACH_MSG_TYPE_MAKE_SEND = 20, MACH_MSG_TYPE_MAKE_SEND_ONCE = 21,
                               MACH_MSG_TYPE_COPY_RECEIVE = 22, MACH_MSG_TYPE_DISPOSE_RECEIVE = 24,
                               MACH_MSG_TYPE_DISPOSE_SEND = 25, MACH_MSG_TYPE_DISPOSE_SEND_ONCE = 26;
constexpr mach_msg_type_name_t MACH_MSG_TYPE_PORT_RECEIVE = MACH_MSG_TYPE_MOVE_RECEIVE;
constexpr mach_msg_type_name_t MACH_MSG_TYPE_PORT_SEND = MACH_MSG_TYPE_MOVE_SEND;
constexpr mach_msg_type_name_t MACH_MSG_TYPE_PORT_SEND_ONCE = MACH_MSG_TYPE_MOVE_SEND_ONCE;
constexpr bool type_port_any(uint32_t x) { return x >= MACH_MSG_TYPE_MOVE_RECEIVE && x <= MACH_MSG_TYPE_MAKE_SEND_ONCE; }
constexpr bool type_port_any_send(uint32_t x) { return x >= MACH_MSG_TYPE_MOVE_SEND && x <= MACH_MSG_TYPE_MAKE_SEND_ONCE; }
constexpr bool type_port_any_send_once(uint32_t x) {
    return x == MACH_MSG_TYPE_MOVE_SEND_ONCE || x == MACH_MSG_TYPE_MAKE_SEND_ONCE;
}
constexpr bool type_port_any_right(uint32_t x) { return x >= MACH_MSG_TYPE_PORT_RECEIVE && x <= MACH_MSG_TYPE_PORT_SEND_ONCE; }

// ---- message.h: header bits ----
constexpr uint32_t MACH_MSGH_BITS_REMOTE_MASK = 0x0000001f, MACH_MSGH_BITS_LOCAL_MASK = 0x00001f00,
                   MACH_MSGH_BITS_VOUCHER_MASK = 0x001f0000, MACH_MSGH_BITS_PORTS_MASK = 0x001f1f1f,
                   MACH_MSGH_BITS_COMPLEX = 0x80000000u, MACH_MSGH_BITS_USER = 0x801f1f1fu,
                   MACH_MSGH_BITS_CIRCULAR = 0x10000000u;
constexpr uint32_t msgh_remote(uint32_t b) { return b & MACH_MSGH_BITS_REMOTE_MASK; }
constexpr uint32_t msgh_local(uint32_t b) { return (b & MACH_MSGH_BITS_LOCAL_MASK) >> 8; }
constexpr uint32_t msgh_voucher(uint32_t b) { return (b & MACH_MSGH_BITS_VOUCHER_MASK) >> 16; }
constexpr uint32_t msgh_other(uint32_t b) { return b & ~MACH_MSGH_BITS_PORTS_MASK; }
constexpr uint32_t msgh_bits_set(uint32_t remote, uint32_t local, uint32_t voucher, uint32_t other) {
    return (remote & 0x1f) | ((local & 0x1f) << 8) | ((voucher & 0x1f) << 16) | (other & ~MACH_MSGH_BITS_PORTS_MASK);
}

// ---- message.h: options ----
constexpr uint64_t MACH_SEND_MSG = 0x1, MACH_RCV_MSG = 0x2, MACH_RCV_LARGE = 0x4, MACH_RCV_LARGE_IDENTITY = 0x8,
                   MACH_SEND_TIMEOUT = 0x10, MACH_SEND_OVERRIDE = 0x20, MACH_SEND_INTERRUPT = 0x40,
                   MACH_SEND_NOTIFY = 0x80, MACH_SEND_ALWAYS = 0x10000, MACH_SEND_FILTER_NONFATAL = 0x10000,
                   MACH_SEND_TRAILER = 0x20000, MACH_SEND_NOIMPORTANCE = 0x40000, MACH_SEND_IMPORTANCE = 0x80000,
                   MACH_SEND_SYNC_OVERRIDE = 0x100000, MACH_SEND_PROPAGATE_QOS = 0x200000,
                   MACH_SEND_KERNEL = 0x400000, MACH_SEND_SYNC_BOOTSTRAP_CHECKIN = 0x800000,
                   MACH_RCV_TIMEOUT = 0x100, MACH_RCV_INTERRUPT = 0x400, MACH_RCV_VOUCHER = 0x800,
                   MACH_RCV_GUARDED_DESC = 0x1000, MACH_RCV_SYNC_WAIT = 0x4000, MACH_RCV_SYNC_PEEK = 0x8000,
                   MACH_MSG_STRICT_REPLY = 0x200, MACH_RCV_TRAILER_MASK = 0xf << 24;
constexpr uint64_t MACH64_MSG_VECTOR = 0x0000000100000000ull, MACH64_SEND_KOBJECT_CALL = 0x0000000200000000ull,
                   MACH64_SEND_MQ_CALL = 0x0000000400000000ull, MACH64_SEND_ANY = 0x0000000800000000ull,
                   MACH64_SEND_DK_CALL = 0x0000001000000000ull, MACH64_MACH_MSG2 = 0x8000000000000000ull;
constexpr uint64_t MACH64_MSG_OPTION_CFI_MASK =
    MACH64_SEND_KOBJECT_CALL | MACH64_SEND_MQ_CALL | MACH64_SEND_ANY | MACH64_SEND_DK_CALL;
// The options the kernel honors from user space (MACH_SEND_USER | MACH_RCV_USER, MACH64_MSG_OPTION_USER).
constexpr uint64_t MACH_SEND_USER = MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_SEND_NOTIFY | MACH_SEND_OVERRIDE |
                                    MACH_SEND_TRAILER | MACH_SEND_NOIMPORTANCE | MACH_SEND_SYNC_OVERRIDE |
                                    MACH_SEND_PROPAGATE_QOS | MACH_SEND_FILTER_NONFATAL |
                                    MACH_SEND_SYNC_BOOTSTRAP_CHECKIN | MACH_MSG_STRICT_REPLY | MACH_RCV_GUARDED_DESC;
constexpr uint64_t MACH_RCV_USER = MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
                                   MACH_RCV_VOUCHER | MACH_RCV_TRAILER_MASK | MACH_RCV_SYNC_WAIT |
                                   MACH_RCV_SYNC_PEEK | MACH_RCV_GUARDED_DESC | MACH_MSG_STRICT_REPLY;
constexpr uint64_t MACH64_MSG_OPTION_USER = MACH_SEND_USER | MACH_RCV_USER | MACH64_MSG_VECTOR | MACH64_MSG_OPTION_CFI_MASK;

// Trailers requested with MACH_RCV_TRAILER_ELEMENTS.
constexpr uint32_t MACH_RCV_TRAILER_NULL = 0, MACH_RCV_TRAILER_SEQNO = 1, MACH_RCV_TRAILER_SENDER = 2,
                   MACH_RCV_TRAILER_AUDIT = 3, MACH_RCV_TRAILER_CTX = 4, MACH_RCV_TRAILER_AV = 7,
                   MACH_RCV_TRAILER_LABELS = 8;
constexpr uint32_t rcv_trailer_elements(uint64_t option) { return uint32_t(option >> 24) & 0xf; }

// ---- message.h: return codes ----
constexpr mach_msg_return_t MACH_MSG_SUCCESS = 0;
constexpr mach_msg_return_t MACH_MSG_MASK = 0x3e00, MACH_MSG_IPC_SPACE = 0x2000, MACH_MSG_VM_SPACE = 0x1000,
                            MACH_MSG_IPC_KERNEL = 0x800, MACH_MSG_VM_KERNEL = 0x400;
constexpr mach_msg_return_t MACH_SEND_IN_PROGRESS = 0x10000001, MACH_SEND_INVALID_DATA = 0x10000002,
                            MACH_SEND_INVALID_DEST = 0x10000003, MACH_SEND_TIMED_OUT = 0x10000004,
                            MACH_SEND_INVALID_VOUCHER = 0x10000005, MACH_SEND_INTERRUPTED = 0x10000007,
                            MACH_SEND_MSG_TOO_SMALL = 0x10000008, MACH_SEND_INVALID_REPLY = 0x10000009,
                            MACH_SEND_INVALID_RIGHT = 0x1000000a, MACH_SEND_INVALID_NOTIFY = 0x1000000b,
                            MACH_SEND_INVALID_MEMORY = 0x1000000c, MACH_SEND_NO_BUFFER = 0x1000000d,
                            MACH_SEND_TOO_LARGE = 0x1000000e, MACH_SEND_INVALID_TYPE = 0x1000000f,
                            MACH_SEND_INVALID_HEADER = 0x10000010, MACH_SEND_INVALID_TRAILER = 0x10000011,
                            MACH_SEND_INVALID_CONTEXT = 0x10000012, MACH_SEND_INVALID_OPTIONS = 0x10000013,
                            MACH_SEND_INVALID_RT_OOL_SIZE = 0x10000015, MACH_SEND_NO_GRANT_DEST = 0x10000016,
                            MACH_SEND_MSG_FILTERED = 0x10000017;
constexpr mach_msg_return_t MACH_RCV_IN_PROGRESS = 0x10004001, MACH_RCV_INVALID_NAME = 0x10004002,
                            MACH_RCV_TIMED_OUT = 0x10004003, MACH_RCV_TOO_LARGE = 0x10004004,
                            MACH_RCV_INTERRUPTED = 0x10004005, MACH_RCV_PORT_CHANGED = 0x10004006,
                            MACH_RCV_INVALID_NOTIFY = 0x10004007, MACH_RCV_INVALID_DATA = 0x10004008,
                            MACH_RCV_PORT_DIED = 0x10004009, MACH_RCV_IN_SET = 0x1000400a,
                            MACH_RCV_HEADER_ERROR = 0x1000400b, MACH_RCV_BODY_ERROR = 0x1000400c,
                            MACH_RCV_INVALID_TYPE = 0x1000400d, MACH_RCV_INVALID_TRAILER = 0x1000400f,
                            MACH_RCV_INVALID_ARGUMENTS = 0x10004013;

// ---- message.h: descriptors ----
constexpr uint32_t MACH_MSG_PORT_DESCRIPTOR = 0, MACH_MSG_OOL_DESCRIPTOR = 1, MACH_MSG_OOL_PORTS_DESCRIPTOR = 2,
                   MACH_MSG_OOL_VOLATILE_DESCRIPTOR = 3, MACH_MSG_GUARDED_PORT_DESCRIPTOR = 4;
constexpr uint32_t MACH_MSG_PHYSICAL_COPY = 0, MACH_MSG_VIRTUAL_COPY = 1, MACH_MSG_ALLOCATE = 2;

// LP64 user layouts (mach_msg_user_header_t, mach_msg_user_port_descriptor_t, *_descriptor64_t).
struct mach_msg_header_t {
    uint32_t msgh_bits;
    uint32_t msgh_size;
    mach_port_name_t msgh_remote_port;
    mach_port_name_t msgh_local_port;
    mach_port_name_t msgh_voucher_port;
    int32_t msgh_id;
};
static_assert(sizeof(mach_msg_header_t) == 24);
struct mach_msg_base_t {
    mach_msg_header_t header;
    uint32_t msgh_descriptor_count;
};
static_assert(sizeof(mach_msg_base_t) == 28);
// osfmk/mach/mk_timer.h (#pragma pack(4))
struct __attribute__((packed, aligned(4))) mk_timer_expire_msg_t {
    mach_msg_header_t header;
    uint64_t unused[3];
};
static_assert(sizeof(mk_timer_expire_msg_t) == 48);
struct __attribute__((packed, aligned(4))) port_descriptor_t {
    mach_port_name_t name;
    uint32_t pad1;
    uint16_t pad2;
    uint8_t disposition;
    uint8_t type;
};
struct __attribute__((packed, aligned(4))) ool_descriptor_t {
    uint64_t address;
    uint8_t deallocate, copy, pad1, type;
    uint32_t size;
};
struct __attribute__((packed, aligned(4))) ool_ports_descriptor_t {
    uint64_t address;
    uint8_t deallocate, copy, disposition, type;
    uint32_t count;
};
struct __attribute__((packed, aligned(4))) guarded_port_descriptor_t {
    uint64_t context;
    uint16_t flags;
    uint8_t disposition, type;
    mach_port_name_t name;
};
static_assert(sizeof(port_descriptor_t) == 12 && sizeof(ool_descriptor_t) == 16 &&
              sizeof(ool_ports_descriptor_t) == 16 && sizeof(guarded_port_descriptor_t) == 16);
constexpr uint32_t kUserDescTypeOffset = 11;  // every descriptor keeps its type in byte 11
constexpr uint32_t user_desc_size(uint32_t type) { return type == MACH_MSG_PORT_DESCRIPTOR ? 12 : 16; }

// Guarded port descriptor flags.
constexpr uint16_t MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE = 0x1, MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND = 0x2,
                   MACH_MSG_GUARD_FLAGS_MASK = 0x3;

// mach_msg2 vectors (message.h mach_msg_vector_t).
struct mach_msg_vector_t {
    uint64_t msgv_data, msgv_rcv_addr;
    uint32_t msgv_send_size, msgv_rcv_size;
};
static_assert(sizeof(mach_msg_vector_t) == 24);
struct mach_msg_aux_header_t {
    uint32_t msgdh_size, msgdh_reserved;
};

// ---- trailers ----
struct audit_token_t {
    uint32_t val[8];
};
struct security_token_t {
    uint32_t val[2];
};
struct __attribute__((packed, aligned(4))) mach_msg_max_trailer_t {
    uint32_t msgh_trailer_type;
    uint32_t msgh_trailer_size;
    uint32_t msgh_seqno;
    security_token_t msgh_sender;
    audit_token_t msgh_audit;
    uint64_t msgh_context;
    int32_t msgh_ad;
    uint32_t msgh_labels;
};
static_assert(sizeof(mach_msg_max_trailer_t) == 68);
constexpr uint32_t MACH_MSG_TRAILER_FORMAT_0 = 0;
constexpr uint32_t MAX_TRAILER_SIZE = 68;
// REQUESTED_TRAILER_SIZE_NATIVE(option).
constexpr uint32_t requested_trailer_size(uint64_t option) {
    switch (rcv_trailer_elements(option)) {
        case MACH_RCV_TRAILER_NULL: return 8;
        case MACH_RCV_TRAILER_SEQNO: return 12;
        case MACH_RCV_TRAILER_SENDER: return 20;
        case MACH_RCV_TRAILER_AUDIT: return 52;
        case MACH_RCV_TRAILER_CTX: return 60;
        case MACH_RCV_TRAILER_AV: return 68;
        default: return 68;
    }
}

// Limits (osfmk/ipc/ipc_policy.h, ipc_init.c): the body of a message, physically copied OOL memory in flight,
// port rights carried in descriptors, and the size under which OOL data is copied into a kernel buffer.
constexpr uint32_t IPC_KMSG_MAX_BODY_SPACE = (64u * 1024 * 1024 * 3) / 4 - MAX_TRAILER_SIZE;
constexpr uint64_t IPC_KMSG_MAX_VM_SPACE = (8u * 1024 * 1024 * 7) / 8;
constexpr uint32_t IPC_KMSG_MAX_OOL_PORT_COUNT = 16383;
constexpr uint64_t MSG_OOL_SIZE_SMALL = 32 * 1024;  // KHEAP_MAX_SIZE on macOS
constexpr uint32_t IPC_KOBJECT_DESC_MAX = 3;

// ---- MIG: NDR record and error reply (ndr.h, mig_errors.h) ----
struct NDR_record_t {
    uint8_t mig_vers, if_vers, reserved1, mig_encoding, int_rep, char_rep, float_rep, reserved2;
};
constexpr NDR_record_t NDR_record = {0, 0, 0, 0, 1, 0, 0, 0};  // little-endian, ASCII, IEEE
struct mig_reply_error_t {
    mach_msg_header_t Head;
    NDR_record_t NDR;
    kern_return_t RetCode;
};
static_assert(sizeof(mig_reply_error_t) == 36);

// ---- guard exceptions (port.h mach_port_guard_exception_codes) ----
constexpr uint32_t kGUARD_EXC_DESTROY = 1, kGUARD_EXC_MOD_REFS = 2, kGUARD_EXC_INVALID_OPTIONS = 3,
                   kGUARD_EXC_SET_CONTEXT = 4, kGUARD_EXC_UNGUARDED = 8, kGUARD_EXC_INCORRECT_GUARD = 16,
                   kGUARD_EXC_IMMOVABLE = 32, kGUARD_EXC_STRICT_REPLY = 64, kGUARD_EXC_MSG_FILTERED = 128,
                   kGUARD_EXC_INVALID_RIGHT = 256, kGUARD_EXC_INVALID_NAME = 512, kGUARD_EXC_INVALID_VALUE = 1u << 10,
                   kGUARD_EXC_INVALID_ARGUMENT = 1u << 11, kGUARD_EXC_SEND_INVALID_REPLY = 1u << 16,
                   kGUARD_EXC_SEND_INVALID_VOUCHER = 1u << 17, kGUARD_EXC_SEND_INVALID_RIGHT = 1u << 18,
                   kGUARD_EXC_RCV_INVALID_NAME = 1u << 19;
constexpr uint32_t MAX_FATAL_kGUARD_EXC_CODE = kGUARD_EXC_MSG_FILTERED;

// ---- sync_policy.h, clock_types.h, thread_switch.h, policy.h ----
constexpr int SYNC_POLICY_FIFO = 0, SYNC_POLICY_FIXED_PRIORITY = 1, SYNC_POLICY_REVERSED = 2, SYNC_POLICY_LIFO = 2;
constexpr int SYNC_POLICY_USER_MASK = 0x3;  // ORDER_MASK: FIFO, FIXED_PRIORITY, REVERSED
constexpr uint32_t NSEC_PER_SEC = 1000000000u;
constexpr int SWITCH_OPTION_NONE = 0, SWITCH_OPTION_DEPRESS = 1, SWITCH_OPTION_WAIT = 2,
              SWITCH_OPTION_DISPATCH_CONTENTION = 3, SWITCH_OPTION_OSLOCK_DEPRESS = 4, SWITCH_OPTION_OSLOCK_WAIT = 5;
constexpr int POLICY_TIMESHARE = 1;

// ---- task_info.h ----
constexpr uint32_t TASK_BASIC_INFO_32 = 4, TASK_BASIC_INFO_64 = 5, TASK_DYLD_INFO = 17, MACH_TASK_BASIC_INFO = 20;
// task_thread_times_info: user and system time of the live threads, two time_value_t.
constexpr uint32_t TASK_THREAD_TIMES_INFO = 3, TASK_THREAD_TIMES_INFO_COUNT = 4;
constexpr uint32_t TASK_AUDIT_TOKEN = 15, TASK_AUDIT_TOKEN_COUNT = 8;
constexpr uint32_t TASK_INFO_MAX = 1024;
struct time_value_t {
    int32_t seconds, microseconds;
};
struct __attribute__((packed, aligned(4))) task_basic_info_64_t {
    int32_t suspend_count;
    uint64_t virtual_size, resident_size;
    time_value_t user_time, system_time;
    int32_t policy;
};
static_assert(sizeof(task_basic_info_64_t) == 40);  // task_info.h is #pragma pack(4)
constexpr uint32_t TASK_BASIC_INFO_64_COUNT = sizeof(task_basic_info_64_t) / 4;
struct __attribute__((packed, aligned(4))) mach_task_basic_info_t {
    uint64_t virtual_size, resident_size, resident_size_max;
    time_value_t user_time, system_time;
    int32_t policy, suspend_count;
};
static_assert(sizeof(mach_task_basic_info_t) == 48);
constexpr uint32_t MACH_TASK_BASIC_INFO_COUNT = sizeof(mach_task_basic_info_t) / 4;

// ---- mach_time.h ----
struct mach_timebase_info_t {
    uint32_t numer, denom;
};


// ---- host (osfmk/mach/host_info.h, vm_statistics.h, processor_info.h, clock_types.h, machine.h) ----
constexpr int32_t CPU_TYPE_X86_64 = 0x01000007;
constexpr int32_t CPU_SUBTYPE_X86_ARCH1 = 4, CPU_SUBTYPE_X86_64_H = 8;
constexpr int HOST_BASIC_INFO = 1, HOST_SCHED_INFO = 3, HOST_RESOURCE_SIZES = 4, HOST_PRIORITY_INFO = 5,
              HOST_PREFERRED_USER_ARCH = 12;
constexpr int HOST_LOAD_INFO = 1, HOST_VM_INFO = 2, HOST_CPU_LOAD_INFO = 3, HOST_VM_INFO64 = 4;
struct __attribute__((packed, aligned(4))) host_basic_info_t {
    int32_t max_cpus, avail_cpus;
    uint32_t memory_size;  // capped at 2 GiB (host_info: MIN(max_mem, 2^31))
    int32_t cpu_type, cpu_subtype, cpu_threadtype;
    int32_t physical_cpu, physical_cpu_max, logical_cpu, logical_cpu_max;
    uint64_t max_mem;
};
static_assert(sizeof(host_basic_info_t) == 48 && offsetof(host_basic_info_t, max_mem) == 40);
constexpr uint32_t HOST_BASIC_INFO_OLD_COUNT = 5, HOST_BASIC_INFO_COUNT = sizeof(host_basic_info_t) / 4;
struct host_sched_info_t {
    int32_t min_timeout, min_quantum;  // milliseconds
};
constexpr uint32_t HOST_SCHED_INFO_COUNT = 2;
struct host_load_info_t {
    int32_t avenrun[3];     // load averages scaled by LOAD_SCALE (1000)
    int32_t mach_factor[3];
};
constexpr uint32_t HOST_LOAD_INFO_COUNT = 6;
constexpr int CPU_STATE_USER = 0, CPU_STATE_SYSTEM = 1, CPU_STATE_IDLE = 2, CPU_STATE_NICE = 3, CPU_STATE_MAX = 4;
constexpr uint32_t HOST_CPU_LOAD_INFO_COUNT = 4;
struct vm_statistics_t {
    uint32_t free_count, active_count, inactive_count, wire_count, zero_fill_count, reactivations, pageins,
        pageouts, faults, cow_faults, lookups, hits, purgeable_count, purges, speculative_count;
};
static_assert(sizeof(vm_statistics_t) == 60);
constexpr uint32_t HOST_VM_INFO_COUNT = 15, HOST_VM_INFO_REV0_COUNT = 12;
struct __attribute__((aligned(8))) vm_statistics64_t {
    uint32_t free_count, active_count, inactive_count, wire_count;
    uint64_t zero_fill_count, reactivations, pageins, pageouts, faults, cow_faults, lookups, hits, purges;
    uint32_t purgeable_count, speculative_count;
    uint64_t decompressions, compressions, swapins, swapouts;
    uint32_t compressor_page_count, throttled_count, external_page_count, internal_page_count;
    uint64_t total_uncompressed_pages_in_compressor;
};
static_assert(sizeof(vm_statistics64_t) == 152 && offsetof(vm_statistics64_t, zero_fill_count) == 16 &&
              offsetof(vm_statistics64_t, purgeable_count) == 88 && offsetof(vm_statistics64_t, decompressions) == 96 &&
              offsetof(vm_statistics64_t, compressor_page_count) == 128 &&
              offsetof(vm_statistics64_t, total_uncompressed_pages_in_compressor) == 144);
constexpr uint32_t HOST_VM_INFO64_COUNT = sizeof(vm_statistics64_t) / 4;
constexpr int PROCESSOR_BASIC_INFO = 1, PROCESSOR_CPU_LOAD_INFO = 2;
struct processor_basic_info_t {
    int32_t cpu_type, cpu_subtype;
    int32_t running, slot_num, is_master;  // boolean_t
};
constexpr uint32_t PROCESSOR_BASIC_INFO_COUNT = 5, PROCESSOR_CPU_LOAD_INFO_COUNT = 4;
constexpr int SYSTEM_CLOCK = 0, CALENDAR_CLOCK = 1;
struct mach_timespec_t {
    uint32_t tv_sec;
    int32_t tv_nsec;
};

}  // namespace mach
