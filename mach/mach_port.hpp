// The mach_port_* kernel calls (xnu osfmk/ipc/mach_port.c), shared by the _kernelrpc traps and the MIG
// routines of the mach_port subsystem. All run under the IPC lock on the caller's space.
#pragma once

#include "ipc.hpp"

namespace mach {

kern_return_t mp_allocate_full(Space* space, mach_port_right_t right, bool named, mach_port_name_t* name);
kern_return_t mp_deallocate(Space* space, mach_port_name_t name);
kern_return_t mp_destroy(Space* space, mach_port_name_t name);
kern_return_t mp_mod_refs(Space* space, mach_port_name_t name, mach_port_right_t right, int32_t delta);
kern_return_t mp_get_refs(Space* space, mach_port_name_t name, mach_port_right_t right, uint32_t* urefs);
kern_return_t mp_type(Space* space, mach_port_name_t name, uint32_t* type);
kern_return_t mp_insert_member(Space* space, mach_port_name_t name, mach_port_name_t pset);
kern_return_t mp_extract_member(Space* space, mach_port_name_t name, mach_port_name_t pset);
kern_return_t mp_move_member(Space* space, mach_port_name_t member, mach_port_name_t after);
kern_return_t mp_construct(Space* space, const mach_port_options_t& options, uint64_t context, mach_port_name_t* name);
kern_return_t mp_destruct(Space* space, mach_port_name_t name, int32_t srdelta, uint64_t guard);
kern_return_t mp_guard(Space* space, mach_port_name_t name, uint64_t guard, bool strict);
kern_return_t mp_unguard(Space* space, mach_port_name_t name, uint64_t guard);
kern_return_t mp_get_context(Space* space, mach_port_name_t name, uint64_t* context);
kern_return_t mp_set_context(Space* space, mach_port_name_t name, uint64_t context);
// info holds up to 17 integers; *count is the caller's room in, the flavor's size out.
kern_return_t mp_get_attributes(Space* space, mach_port_name_t name, int flavor, uint32_t* info, uint32_t* count);
kern_return_t mp_set_attributes(Space* space, mach_port_name_t name, int flavor, const uint32_t* info, uint32_t count);
// `notify` is a send-once right the call consumes on success; *previous receives the replaced one.
kern_return_t mp_request_notification(Space* space, mach_port_name_t name, int32_t id, uint32_t sync, Port* notify,
                                      Port** previous);
// mach_port_insert_right with a right already copied in (consumed on success only).
kern_return_t mp_insert_right(Space* space, mach_port_name_t name, Port* poly, mach_msg_type_name_t poly_poly);

// Names and types of every right (null arrays: count only); a port set's members (null: count only).
kern_return_t mp_names(Space* space, mach_port_name_t* names, uint32_t* types, uint32_t* count);
kern_return_t mp_get_set_status(Space* space, mach_port_name_t name, mach_port_name_t* members, uint32_t* count);
kern_return_t mp_set_mscount(Space* space, mach_port_name_t name, uint32_t mscount);
kern_return_t mp_get_srights(Space* space, mach_port_name_t name, uint32_t* srights);
// A right taken out of the space; *type is the right it is now (MACH_MSG_TYPE_PORT_*).
kern_return_t mp_extract_right(Space* space, mach_port_name_t name, mach_msg_type_name_t msgt, Port** port,
                               mach_msg_type_name_t* type);

constexpr uint32_t kPortInfoMax = 17;  // integers in mach_port_info_t (mach_port_info_ext_t)

}  // namespace mach
