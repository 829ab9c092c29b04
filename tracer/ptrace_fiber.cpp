#include "ptrace_fiber.hpp"

#include <cstring>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unordered_map>
#include <vector>

namespace tracer::fiber {
namespace {

// Enough for any handler (they keep large buffers out of the stack) and for fmt's formatting in --trace.
constexpr size_t kStack = 256 * 1024, kGuard = 4096;

struct Fiber {
    ucontext_t ctx{};
    int pid = 0;
    char* stack = nullptr;  // guard page, then kStack bytes
    std::function<void()> body;
    int status = 0;
    bool done = false;
};

ucontext_t g_main;
Fiber* g_current = nullptr;
std::vector<Fiber*> g_free;
std::unordered_map<int, Fiber*> g_waiting;  // thread id -> the fiber waiting for its next stop

// Per-process globals: where they live, and each process's saved copy. `g_loaded` is the process whose state
// the globals hold now.
struct Global {
    void* p;
    size_t n;
};
std::vector<Global> g_globals;
std::unordered_map<int, std::vector<char>> g_saved;
int g_loaded = 0;

std::vector<char> snapshot() {
    std::vector<char> v;
    for (const Global& g : g_globals) v.insert(v.end(), static_cast<char*>(g.p), static_cast<char*>(g.p) + g.n);
    return v;
}

void entry() {
    Fiber* f = g_current;
    f->body();
    f->body = nullptr;
    f->done = true;
}  // returns to uc_link: the main loop

void run(Fiber* f) {
    use_process(f->pid);
    g_current = f;
    swapcontext(&g_main, &f->ctx);
    g_current = nullptr;
    if (f->done) g_free.push_back(f);
}

}  // namespace

void start(int pid, std::function<void()> body) {
    Fiber* f;
    if (!g_free.empty()) {
        f = g_free.back();
        g_free.pop_back();
    } else {
        f = new Fiber;
        void* m = mmap(nullptr, kStack + kGuard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                       -1, 0);
        if (m == MAP_FAILED) {  // no fiber: run it here, as the supervisor did before fibers
            delete f;
            use_process(pid);
            body();
            return;
        }
        mprotect(m, kGuard, PROT_NONE);
        f->stack = static_cast<char*>(m);
    }
    f->body = std::move(body);
    f->pid = pid;
    f->done = false;
    getcontext(&f->ctx);
    f->ctx.uc_stack.ss_sp = f->stack + kGuard;
    f->ctx.uc_stack.ss_size = kStack;
    f->ctx.uc_link = &g_main;
    makecontext(&f->ctx, entry, 0);
    run(f);
}

int wait_for(int tid, int* status) {
    if (!g_current) return waitpid(tid, status, __WALL);
    Fiber* self = g_current;
    g_waiting[tid] = self;
    swapcontext(&self->ctx, &g_main);
    *status = self->status;
    return tid;
}

bool deliver(int tid, int status) {
    auto it = g_waiting.find(tid);
    if (it == g_waiting.end()) return false;
    Fiber* f = it->second;
    g_waiting.erase(it);
    f->status = status;
    run(f);
    return true;
}

void add_process_global(void* p, size_t n) { g_globals.push_back({p, n}); }

void use_process(int pid) {
    if (pid == g_loaded || g_globals.empty()) return;
    if (g_loaded) g_saved[g_loaded] = snapshot();
    g_loaded = pid;
    auto it = g_saved.find(pid);
    if (it == g_saved.end()) return;  // the first process: the globals are its state already
    const char* src = it->second.data();
    for (const Global& g : g_globals) memcpy(g.p, src, g.n), src += g.n;
}

void fork_process(int parent, int child) {
    if (g_globals.empty()) return;
    if (parent == g_loaded) g_saved[child] = snapshot();
    else if (auto it = g_saved.find(parent); it != g_saved.end()) g_saved[child] = it->second;
}

void forget_process(int pid) {
    g_saved.erase(pid);
    if (g_loaded == pid) g_loaded = 0;
}

}  // namespace tracer::fiber
