// The session's bootstrap server: the name service every task reaches through its TASK_BOOTSTRAP_PORT, which
// on macOS is launchd's. Here it is a kernel object of macrun's Mach kernel, shared by every task of the
// session, answering the three calls of the classic bootstrap protocol (launchd's bootstrap.defs, subsystem
// 400): bootstrap_check_in (402: a receive right for a service name, made on first check-in), bootstrap_register
// (403: a send right filed under a name) and bootstrap_look_up (404: a send right to a named service).
// Requests and replies are MIG's (name_t is 128 bytes inline); errors are bootstrap.h's codes in a
// mig_reply_error_t. Services whose port has died are forgotten when next looked at. Without launchd's plist
// files there is no list of declared services: a check-in makes the service it names.
#include <cstring>

#include "kglobals.hpp"
#include "mig_server.hpp"

namespace mach {

struct BootstrapService {
    char name[128];
    Port* port;     // a send right the server holds
    bool checked_in;  // a task holds (or held) its receive right through bootstrap_check_in
    BootstrapService* next;
};

namespace {

constexpr kern_return_t BOOTSTRAP_NAME_IN_USE = 1101, BOOTSTRAP_UNKNOWN_SERVICE = 1102,
                        BOOTSTRAP_SERVICE_ACTIVE = 1103, BOOTSTRAP_NO_MEMORY = 1105;
constexpr int32_t kCheckIn = 402, kRegister = 403, kLookUp = 404;
constexpr uint32_t kNameSize = 128;

// The service named by the request's name_t (at body offset 8, after the NDR record), dropping entries whose
// port is dead. The name must be NUL-terminated within its 128 bytes.
BootstrapService** lookup(const char* name) {
    for (BootstrapService** pp = &kg().services; *pp;) {
        BootstrapService* s = *pp;
        if (!s->port->active) {
            *pp = s->next;
            port_release_send(s->port);
            kfree(s);
            continue;
        }
        if (!strncmp(s->name, name, kNameSize)) return pp;
        pp = &s->next;
    }
    return nullptr;
}

bool request_name(const Kmsg* req, uint32_t offset, char* name) {
    if (offset + kNameSize > req->body_size) return false;
    memcpy(name, req->body + offset, kNameSize);
    return memchr(name, 0, kNameSize) != nullptr;
}

BootstrapService* add_service(const char* name, Port* port, bool checked_in) {
    auto* s = static_cast<BootstrapService*>(kalloc(sizeof(BootstrapService)));
    if (!s) return nullptr;
    memcpy(s->name, name, kNameSize);
    s->port = port;
    s->checked_in = checked_in;
    s->next = kg().services;
    kg().services = s;
    return s;
}

namespace mig_bs = mig;

// bootstrap_check_in: header, NDR, name (160 bytes); the reply carries the service's receive right.
kern_return_t check_in(mig::MigCtx& c) {
    if (!mig::simple_request(c.req, 24 + 8 + kNameSize)) return MIG_BAD_ARGUMENTS;
    char name[kNameSize];
    if (!request_name(c.req, 8, name)) return MIG_BAD_ARGUMENTS;
    if (BootstrapService** pp = lookup(name)) {
        if ((*pp)->checked_in) return BOOTSTRAP_SERVICE_ACTIVE;
        return BOOTSTRAP_NAME_IN_USE;  // a name bootstrap_register filed: someone else holds its receive right
    }
    Port* port = port_alloc_in_transit();
    if (!port) return BOOTSTRAP_NO_MEMORY;
    port_make_send(port);
    port->mscount = 0;  // the receive right is leaving for the task: ipc_port_clear_receiver's count reset
    if (!add_service(name, port, true)) {
        port_release_send(port);
        port_release_receive(port);
        return BOOTSTRAP_NO_MEMORY;
    }
    return mig_bs::port_reply(c, port, MACH_MSG_TYPE_PORT_RECEIVE);
}

// bootstrap_register: header, body, the service's port descriptor (a send right), NDR, name (176 bytes).
kern_return_t do_register(mig::MigCtx& c) {
    if (!mig::complex_request(c.req, 24 + 4 + 12 + 8 + kNameSize, 1)) return MIG_BAD_ARGUMENTS;
    KDesc& d = c.req->descs[0];
    if (d.type != MACH_MSG_PORT_DESCRIPTOR || (ip_valid(d.port) && d.disposition != MACH_MSG_TYPE_PORT_SEND))
        return MIG_TYPE_ERROR;
    char name[kNameSize];
    if (!request_name(c.req, 8, name)) return MIG_BAD_ARGUMENTS;
    if (!ip_valid(d.port)) return BOOTSTRAP_UNKNOWN_SERVICE;
    if (lookup(name)) return BOOTSTRAP_NAME_IN_USE;
    if (!add_service(name, d.port, false)) return BOOTSTRAP_NO_MEMORY;
    d.port = nullptr;
    c.reply = mig::simple_reply(c, nullptr, 0);
    return c.reply ? KERN_SUCCESS : BOOTSTRAP_NO_MEMORY;
}

// bootstrap_look_up: header, NDR, name (160 bytes); the reply carries a send right.
kern_return_t look_up(mig::MigCtx& c) {
    if (!mig::simple_request(c.req, 24 + 8 + kNameSize)) return MIG_BAD_ARGUMENTS;
    char name[kNameSize];
    if (!request_name(c.req, 8, name)) return MIG_BAD_ARGUMENTS;
    BootstrapService** pp = lookup(name);
    if (!pp) return BOOTSTRAP_UNKNOWN_SERVICE;
    Port* port = (*pp)->port;
    port_copy_send(port);
    return mig_bs::port_reply(c, port, MACH_MSG_TYPE_PORT_SEND);
}

}  // namespace

const char* bootstrap_routine_name(int32_t id) {
    switch (id) {
        case kCheckIn: return "bootstrap_check_in";
        case kRegister: return "bootstrap_register";
        case kLookUp: return "bootstrap_look_up";
        default: return nullptr;
    }
}

Port* bootstrap_port() {
    KernelGlobals& g = kg();
    if (!g.bootstrap) g.bootstrap = port_alloc_kobject(Kotype::Bootstrap, nullptr);
    return g.bootstrap;
}

namespace mig {

kern_return_t bootstrap_routine(MigCtx& c) {
    switch (c.req->id) {
        case kCheckIn: return check_in(c);
        case kRegister: return do_register(c);
        case kLookUp: return look_up(c);
        default: return MIG_BAD_ID;
    }
}

}  // namespace mig

}  // namespace mach
