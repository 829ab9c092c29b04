// IPC spaces: the name table of a task (xnu osfmk/ipc/ipc_entry.c, ipc_space.c, ipc_hash.c).
//
// A name is index << 8 | generation. Index 0 is the head of the free list. A fresh table has 32 entries whose
// first 8 are handed out in order and the rest in a pseudo-random order (CONFIG_SEMI_RANDOM_ENTRIES); each
// entry's generation starts "rolled over", so its first name ends in 0x03 (0x103, 0x203, ...) and every reuse
// adds 4 to the low byte (0x107, 0x10b, ...) until a random rollover point brings it back to 0x03.
#include <cstring>
#include <x86intrin.h>

#include "ipc.hpp"

namespace mach {


namespace {

constexpr uint32_t kTableMin = 32, kSeqEntries = 8;

uint32_t rng_bits(Space* s, int n) {
    uint64_t x = s->rng;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    s->rng = x;
    return uint32_t(x >> 11) & ((1u << n) - 1);
}

// ipc_entry_new_gen / ipc_entry_gen_rolled / ipc_entry_new_rollpoint (ipc_entry.h).
uint32_t new_gen(uint32_t old) {
    uint32_t sum = (old + IE_BITS_GEN_ONE) & IE_BITS_GEN_MASK;
    uint32_t roll = old & IE_BITS_ROLL_MASK;
    uint32_t rollv = ((old & IE_BITS_ROLL_MASK) << 8) ^ IE_BITS_GEN_MASK;
    return (sum % rollv) | roll;
}
bool gen_rolled(uint32_t oldgen, uint32_t newgen) { return (oldgen & IE_BITS_GEN_MASK) > (newgen & IE_BITS_GEN_MASK); }
uint32_t new_rollpoint(uint32_t rollbits) {
    rollbits = (rollbits << 22) & IE_BITS_ROLL_MASK;
    return (IE_BITS_GEN_MASK + IE_BITS_GEN_ONE) | rollbits;
}

// ipc_space_rand_freelist: links entries [bottom, size) into a free list starting at `bottom`.
void rand_freelist(Space* s, Entry* table, uint32_t bottom, uint32_t size) {
    bool at_start = bottom == 0;
    uint32_t total = 0, curr = bottom, top = size - 1;
    bottom++;
    while (bottom <= top) {
        uint32_t which = (at_start && total++ < kSeqEntries) ? 0 : rng_bits(s, 1);
        uint32_t next;
        if (which) next = top--;
        else next = bottom++;
        table[curr].bits = IE_BITS_GEN_MASK;
        table[curr].next = next;
        curr = next;
    }
    table[curr].bits = IE_BITS_GEN_MASK;
    table[curr].next = 0;
}

// Grows the table to at least `want` entries (doubling). Only called with an empty free list or to reach a
// given index; the new entries go on the free list.
kern_return_t grow(Space* s, uint32_t want) {
    if (want > s->max_size) return KERN_NO_SPACE;
    uint32_t nsize = s->size ? s->size : kTableMin;
    while (nsize < want) nsize *= 2;
    if (nsize > s->max_size) nsize = s->max_size;
    if (nsize <= s->size) return KERN_NO_SPACE;
    auto* nt = static_cast<Entry*>(kalloc(sizeof(Entry) * nsize));
    if (!nt) return KERN_RESOURCE_SHORTAGE;
    uint32_t osize = s->size;
    if (s->table) memcpy(nt, s->table, sizeof(Entry) * osize);
    if (osize == 0) {
        rand_freelist(s, nt, 0, nsize);
    } else {
        rand_freelist(s, nt, osize, nsize);
        // Append the new entries to the end of the existing free list.
        uint32_t i = 0;
        while (nt[i].next) i = nt[i].next;
        nt[i].next = osize;
    }
    kfree(s->table);
    s->table = nt;
    s->size = nsize;
    return KERN_SUCCESS;
}

size_t rev_slot(uintptr_t key, uint32_t cap) {
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return size_t(h >> 32) & (cap - 1);
}
constexpr uintptr_t kTomb = 1;

void rev_grow(Space* s) {
    uint32_t ncap = s->rev_cap ? s->rev_cap * 2 : 64;
    auto* keys = static_cast<uintptr_t*>(kalloc(sizeof(uintptr_t) * ncap));
    auto* names = static_cast<mach_port_name_t*>(kalloc(sizeof(mach_port_name_t) * ncap));
    MACH_ASSERT(keys && names);
    uint32_t used = 0;
    for (uint32_t i = 0; i < s->rev_cap; i++) {
        uintptr_t k = s->rev_keys[i];
        if (k == 0 || k == kTomb) continue;
        size_t j = rev_slot(k, ncap);
        while (keys[j]) j = (j + 1) & (ncap - 1);
        keys[j] = k;
        names[j] = s->rev_names[i];
        used++;
    }
    kfree(s->rev_keys);
    kfree(s->rev_names);
    s->rev_keys = keys;
    s->rev_names = names;
    s->rev_cap = ncap;
    s->rev_used = used;
}

}  // namespace

Space* space_create(Task* task) {
    Space* s = knew<Space>();
    if (!s) return nullptr;
    s->task = task;
    s->rng = __rdtsc() ^ reinterpret_cast<uintptr_t>(s) ^ 0x9E3779B97F4A7C15ull;
    if (!s->rng) s->rng = 1;
    if (grow(s, kTableMin) != KERN_SUCCESS) {
        kdelete(s);
        return nullptr;
    }
    return s;
}

Entry* entry_lookup(Space* space, mach_port_name_t name) {
    uint32_t index = MACH_PORT_INDEX(name);
    if (index == 0 || index >= space->size) return nullptr;
    Entry* e = &space->table[index];
    if (ie_gen(e->bits) != MACH_PORT_GEN(name) || ie_type(e->bits) == MACH_PORT_TYPE_NONE) return nullptr;
    return e;
}

mach_port_name_t entry_name(Space* space, Entry* entry) {
    auto index = uint32_t(entry - space->table);
    return MACH_PORT_MAKE(index, ie_gen(entry->bits));
}

/// Contract: the new entry holds `obj` (whose reference the caller transfers) and no type bits yet.
kern_return_t entry_alloc(Space* space, Object* obj, mach_port_name_t* name, Entry** entry) {
    if (!space->active) return KERN_INVALID_TASK;
    if (space->table[0].next == 0) {
        kern_return_t kr = grow(space, space->size + 1);
        if (kr != KERN_SUCCESS) return kr;
    }
    uint32_t first = space->table[0].next;
    Entry* e = &space->table[first];
    MACH_ASSERT(e->obj == nullptr && ie_type(e->bits) == 0);
    space->table[0].next = e->next;
    uint32_t gen = new_gen(e->bits);
    if (gen_rolled(e->bits, gen)) gen = new_rollpoint(rng_bits(space, 2));
    e->bits = gen;
    e->request = 0;
    e->next = 0;
    e->obj = obj;
    *name = MACH_PORT_MAKE(first, gen);
    *entry = e;
    return KERN_SUCCESS;
}

kern_return_t entry_alloc_name(Space* space, mach_port_name_t name, Entry** entry) {
    uint32_t index = MACH_PORT_INDEX(name);
    uint32_t gen = MACH_PORT_GEN(name);
    if (index > space->max_size) return KERN_NO_SPACE;
    // ipc_entry_name_mask: the generation's low two bits are always set in names the kernel makes.
    if (name != (name | 0x03)) return KERN_INVALID_VALUE;
    if (index == 0) return KERN_FAILURE;
    if (!space->active) return KERN_INVALID_TASK;
    if (index >= space->size) {
        kern_return_t kr = grow(space, index + 1);
        if (kr != KERN_SUCCESS) return kr;
    }
    Entry* e = &space->table[index];
    if (ie_type(e->bits) == 0) {
        uint32_t prev = 0;
        while (space->table[prev].next != index) {
            prev = space->table[prev].next;
            MACH_ASSERT(prev != 0);
        }
        space->table[prev].next = e->next;
        e->bits = gen;
        e->request = 0;
        e->next = 0;
        e->obj = nullptr;
        *entry = e;
        return KERN_SUCCESS;
    }
    if (ie_gen(e->bits) == gen) {
        *entry = e;
        return KERN_SUCCESS;
    }
    return KERN_FAILURE;
}

void entry_dealloc(Space* space, mach_port_name_t name, Entry* entry) {
    uint32_t index = MACH_PORT_INDEX(name);
    MACH_ASSERT(index > 0 && index < space->size && entry == &space->table[index]);
    MACH_ASSERT(entry->request == 0);
    entry->bits &= IE_BITS_GEN_MASK | IE_BITS_ROLL_MASK;
    entry->obj = nullptr;
    entry->next = space->table[0].next;
    space->table[0].next = index;
}

void reverse_insert(Space* space, Port* port, mach_port_name_t name) {
    if ((space->rev_used + 1) * 2 > space->rev_cap) rev_grow(space);
    auto key = reinterpret_cast<uintptr_t>(port);
    size_t j = rev_slot(key, space->rev_cap);
    while (space->rev_keys[j] != 0 && space->rev_keys[j] != kTomb) {
        MACH_ASSERT(space->rev_keys[j] != key);
        j = (j + 1) & (space->rev_cap - 1);
    }
    if (space->rev_keys[j] == 0) space->rev_used++;
    space->rev_keys[j] = key;
    space->rev_names[j] = name;
}

void reverse_delete(Space* space, Port* port) {
    if (!space->rev_cap) return;
    auto key = reinterpret_cast<uintptr_t>(port);
    size_t j = rev_slot(key, space->rev_cap);
    while (space->rev_keys[j] != 0) {
        if (space->rev_keys[j] == key) {
            space->rev_keys[j] = kTomb;
            return;
        }
        j = (j + 1) & (space->rev_cap - 1);
    }
}

// ipc_right_reverse: the name under which `space` holds send or receive rights for `port`.
bool right_reverse(Space* space, Port* port, mach_port_name_t* name, Entry** entry) {
    if (!port->active) return false;
    if (ip_in_space(port, space)) {
        Entry* e = entry_lookup(space, port->receiver_name);
        MACH_ASSERT(e && e->obj == port && (e->bits & MACH_PORT_TYPE_RECEIVE));
        *name = port->receiver_name;
        *entry = e;
        return true;
    }
    if (!space->rev_cap) return false;
    auto key = reinterpret_cast<uintptr_t>(port);
    size_t j = rev_slot(key, space->rev_cap);
    while (space->rev_keys[j] != 0) {
        if (space->rev_keys[j] == key) {
            *name = space->rev_names[j];
            *entry = entry_lookup(space, *name);
            MACH_ASSERT(*entry && (*entry)->obj == port && ((*entry)->bits & MACH_PORT_TYPE_SEND));
            return true;
        }
        j = (j + 1) & (space->rev_cap - 1);
    }
    return false;
}

// ipc_space_terminate: every right in the space is destroyed (receive rights first, then the rest).
void space_terminate(Space* space) {
    if (!space->active) return;
    space->active = false;
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = 1; i < space->size; i++) {
            Entry* e = &space->table[i];
            uint32_t type = ie_type(e->bits);
            if (type == 0) continue;
            bool receive_like = type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET);
            if ((round == 0) != receive_like) continue;
            Object* obj = e->obj;
            e->obj = nullptr;
            e->bits &= IE_BITS_GEN_MASK | IE_BITS_ROLL_MASK;
            e->request = 0;
            if (type == MACH_PORT_TYPE_DEAD_NAME) continue;
            if (type & MACH_PORT_TYPE_PORT_SET) {
                pset_destroy(static_cast<PortSet*>(obj));
                continue;
            }
            auto* port = static_cast<Port*>(obj);
            if (!port->active) {
                port_release(port);
                continue;
            }
            if (type & MACH_PORT_TYPE_SEND) {
                MACH_ASSERT(port->srights > 0);
                port->srights--;
                if (port->srights == 0) notify_no_senders_check(port);
            }
            if (type & MACH_PORT_TYPE_RECEIVE) {
                port_destroy(port);
            } else if (type & MACH_PORT_TYPE_SEND_ONCE) {
                notify_send_once(port);
            } else {
                port_release(port);
            }
        }
    }
    kfree(space->table);
    kfree(space->rev_keys);
    kfree(space->rev_names);
    space->table = nullptr;
    space->rev_keys = nullptr;
    space->rev_names = nullptr;
    space->size = space->rev_cap = space->rev_used = 0;
}

}  // namespace mach
