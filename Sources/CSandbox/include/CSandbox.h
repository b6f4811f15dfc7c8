#ifndef C_SANDBOX_H
#define C_SANDBOX_H

// What NimbusSandbox needs from the kernel that Swift's Glibc module does not export: thread
// CPU affinity, a spawn that sets up the child between its fork and its exec, and a mount
// made inside a running child's mount namespace.

#include <sys/types.h>

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

/// What `nimbus_spawn` sets up in the child before it execs `path`.
struct nimbus_spawn_request {
    /// The program, an absolute path (no PATH search).
    const char *path;
    /// NULL-terminated, `arguments[0]` included.
    char *const *arguments;
    /// NULL-terminated `NAME=value` entries: the child's whole environment.
    char *const *environment;
    const char *working_directory;
    /// Becomes the child's stdout and stderr; stdin is `/dev/null`, every other descriptor is closed.
    int output;
    /// `RLIMIT_NOFILE` and `RLIMIT_NPROC` (soft and hard); a negative value keeps the inherited limit.
    long open_files;
    long processes;
    /// The CPUs the child may run on; none (`cpu_count` 0) keeps the spawning thread's.
    const int *cpus;
    int cpu_count;
    /// The child's scheduling policy (`SCHED_BATCH`, `SCHED_IDLE`) when it would otherwise run
    /// under `SCHED_OTHER`; negative keeps the inherited one.
    int scheduling_policy;
    /// Descriptors open for writing on cgroup `tasks` (v1) or `cgroup.procs` (v2) files: the child
    /// writes `0` to each, so it is inside its cgroups before anything else runs.
    const int *cgroup_files;
    int cgroup_file_count;
};

/// The step of `nimbus_spawn` that failed.
enum nimbus_spawn_step {
    NIMBUS_SPAWN_FORK = 1,
    NIMBUS_SPAWN_CGROUP,
    NIMBUS_SPAWN_SESSION,
    NIMBUS_SPAWN_DESCRIPTORS,
    NIMBUS_SPAWN_DIRECTORY,
    NIMBUS_SPAWN_LIMITS,
    NIMBUS_SPAWN_EXEC,
};

/// Why `nimbus_spawn` failed: the step, the errno, and for `NIMBUS_SPAWN_CGROUP` the index of
/// the cgroup file that refused.
struct nimbus_spawn_failure {
    int step;
    int error;
    int index;
};

/// Starts `request->path` as `posix_spawn` would (a `vfork`-style clone: the calling thread waits
/// until the child has exec'd), with the child, before its exec: in its cgroups, with default
/// signal dispositions and an empty signal mask, in a new session, on its CPUs and scheduling
/// policy, with its descriptors, working directory and rlimits. Returns 0 and the pid in
/// `child`, or -1 with `failure` filled in (the child, if it existed, has been reaped).
int nimbus_spawn(const struct nimbus_spawn_request *request, pid_t *child, struct nimbus_spawn_failure *failure);

/// The step of `nimbus_mount_read_only` that failed.
enum nimbus_mount_step {
    NIMBUS_MOUNT_NAMESPACE = 1,
    NIMBUS_MOUNT_CLONE_TREE,
    NIMBUS_MOUNT_READ_ONLY,
    NIMBUS_MOUNT_FORK,
    NIMBUS_MOUNT_ENTER,
    NIMBUS_MOUNT_ATTACH,
};

/// Why `nimbus_mount_read_only` failed: the step and its errno.
struct nimbus_mount_failure {
    int step;
    int error;
};

/// Mounts the host directory `source` at `destination` inside the mount namespace of process
/// `holder`: read-only, nosuid and nodev from the start, so no process in that namespace ever
/// sees it writable. Nothing is mounted in the caller's own namespace. Needs `CAP_SYS_ADMIN`
/// over both namespaces. Returns 0, or -1 with `failure` filled in.
int nimbus_mount_read_only(pid_t holder, const char *source, const char *destination, struct nimbus_mount_failure *failure);

#endif
