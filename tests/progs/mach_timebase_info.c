/* Mach time and scheduling traps: mach_timebase_info_trap (89) says 1/1 (macrun's mach_absolute_time counts
 * nanoseconds), mach_wait_until_trap (90) sleeps until an absolute mach time, thread_switch (61) yields or waits
 * (SWITCH_OPTION_WAIT in milliseconds, SWITCH_OPTION_DISPATCH_CONTENTION in microseconds), swtch_pri (59) and
 * swtch (60) yield and answer a boolean.
 * Facts: xnu osfmk/kern/clock.c (mach_timebase_info_trap, mach_wait_until_trap), osfmk/kern/syscall_subr.c
 * (thread_switch, swtch_pri, swtch), osfmk/mach/thread_switch.h, bsd/kern/kern_time.c (gettimeofday's
 * mach_absolute_time argument). */
#include "xnu.h"

#include <mach/kern_return.h>
#include <mach/mach_time.h>
#include <mach/thread_switch.h>

static unsigned long abs_now(void) {
    long tv[2];
    unsigned long abs = 0;
    BSD(gettimeofday, tv, 0, &abs);
    return abs;
}

int main(void) {
    mach_timebase_info_data_t tb = {0, 0};
    CHECK(MACH(timebase_info, &tb) == KERN_SUCCESS, "mach_timebase_info_trap");
    CHECK(tb.numer == 1 && tb.denom == 1, "numer 1, denom 1: mach time is in nanoseconds");
    CHECK(MACH(timebase_info, BAD_PTR) == KERN_SUCCESS, "a bad pointer is ignored: KERN_SUCCESS");

    unsigned long t0 = abs_now();
    CHECK(MACH(wait_until, t0 + 30000000UL) == KERN_SUCCESS, "mach_wait_until(now + 30 ms)");
    unsigned long t1 = abs_now();
    CHECK(t1 >= t0 + 30000000UL && t1 < t0 + 2000000000UL, "returns once the deadline passed");
    CHECK(MACH(wait_until, t0) == KERN_SUCCESS && abs_now() - t1 < 20000000UL, "a deadline in the past returns at once");
    CHECK(MACH(wait_until, 0) == KERN_SUCCESS, "deadline 0: at once");

    CHECK(MACH(thread_switch, 0, SWITCH_OPTION_NONE, 0) == KERN_SUCCESS, "thread_switch(NONE)");
    CHECK(MACH(thread_switch, 0, SWITCH_OPTION_DEPRESS, 10) == KERN_SUCCESS, "thread_switch(DEPRESS)");
    t0 = abs_now();
    CHECK(MACH(thread_switch, 0, SWITCH_OPTION_WAIT, 25) == KERN_SUCCESS, "thread_switch(WAIT, 25 ms)");
    CHECK(abs_now() - t0 >= 25000000UL, "waited 25 ms");
    t0 = abs_now();
    CHECK(MACH(thread_switch, 0, 3 /* SWITCH_OPTION_DISPATCH_CONTENTION */, 2000) == KERN_SUCCESS,
          "thread_switch(DISPATCH_CONTENTION, 2000 us)");
    CHECK(abs_now() - t0 >= 2000000UL, "waited 2 ms");
    CHECK(MACH(thread_switch, 0, 6, 0) == KERN_INVALID_ARGUMENT, "option 6: KERN_INVALID_ARGUMENT");
    CHECK(MACH(thread_switch, 0x7703, SWITCH_OPTION_NONE, 0) == KERN_SUCCESS, "a thread name that is nothing: just a hint");
    int r = MACH(swtch_pri, 0);
    CHECK(r == 0 || r == 1, "swtch_pri: a boolean");
    r = MACH0(swtch);
    CHECK(r == 0 || r == 1, "swtch: a boolean");
    return t_done();
}
