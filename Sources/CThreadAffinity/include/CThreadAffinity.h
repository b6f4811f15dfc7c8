#ifndef C_THREAD_AFFINITY_H
#define C_THREAD_AFFINITY_H

/// The CPUs the calling thread may run on (`sched_getaffinity`, which Swift's Glibc module does
/// not export): writes up to `capacity` CPU numbers to `cpus` in ascending order and returns
/// how many it wrote, or -1 with `errno` set.
int nimbus_thread_cpus(int *cpus, int capacity);

/// The CPUs the process's main thread may run on, as `nimbus_thread_cpus` writes them: the
/// CPUs the process was started with, when only other threads were restricted since.
int nimbus_main_thread_cpus(int *cpus, int capacity);

/// Restricts the calling thread to the `count` CPUs in `cpus` (`sched_setaffinity`); children
/// it forks from then on inherit the restriction. Returns 0, or -1 with `errno` set.
int nimbus_restrict_thread_cpus(const int *cpus, int count);

#endif
