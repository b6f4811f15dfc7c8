#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// The child shares the parent's memory until it execs (CLONE_VM | CLONE_VFORK), like glibc's
// posix_spawn: it runs on a stack of its own, calls only system-call wrappers, and reports a
// failed step through `context` before `_exit`.

struct child_context {
    const struct nimbus_spawn_request *request;
    volatile struct nimbus_spawn_failure failure;
};

enum { child_stack_size = 64 * 1024 };

static _Noreturn void fail(struct child_context *context, int step, int index) {
    context->failure.error = errno;
    context->failure.index = index;
    context->failure.step = step;
    _exit(127);
}

static int set_limit(int resource, long value) {
    if (value < 0) return 0;
    struct rlimit limit = {.rlim_cur = (rlim_t)value, .rlim_max = (rlim_t)value};
    return setrlimit(resource, &limit);
}

static void close_from(int first) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, first, ~0U, 0) == 0) return;
#endif
    struct rlimit limit;
    long last = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY ? (long)limit.rlim_cur : 65536;
    for (long descriptor = first; descriptor < last; descriptor++) close((int)descriptor);
}

static void place(const struct nimbus_spawn_request *request) {
    if (request->cpu_count > 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int index = 0; index < request->cpu_count; index++) {
            if (request->cpus[index] >= 0 && request->cpus[index] < CPU_SETSIZE) CPU_SET(request->cpus[index], &set);
        }
        // A set the kernel refuses (CPUs outside the server's cpuset) leaves the inherited one.
        (void)sched_setaffinity(0, sizeof set, &set);
    }
}

// Last before the exec: the spawning thread waits for the exec, and a child under SCHED_IDLE on a
// busy CPU would keep it waiting.
static void schedule(const struct nimbus_spawn_request *request) {
    if (request->scheduling_policy >= 0 && sched_getscheduler(0) == SCHED_OTHER) {
        struct sched_param parameters = {0};
        (void)sched_setscheduler(0, request->scheduling_policy, &parameters);
    }
}

static int run_child(void *argument) {
    struct child_context *context = argument;
    const struct nimbus_spawn_request *request = context->request;

    // First, so that everything the child does from here on is charged to its cgroups.
    for (int index = 0; index < request->cgroup_file_count; index++) {
        if (write(request->cgroup_files[index], "0", 1) != 1) fail(context, NIMBUS_SPAWN_CGROUP, index);
    }

    // Every signal is blocked (the parent blocked them before the clone) while the server's
    // dispositions are replaced by the defaults; the mask is emptied just before the exec. The
    // system call itself, because glibc's sigaction refuses its own signals (32 and 33), and an
    // ignored signal stays ignored across an exec. An all-zero kernel sigaction is SIG_DFL with
    // no flags and an empty mask whatever the architecture's layout.
    static const unsigned long defaults[8];
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        (void)syscall(SYS_rt_sigaction, signal_number, defaults, NULL, (NSIG - 1) / 8);  // SIGKILL, SIGSTOP refuse
    }

    if (setsid() < 0) fail(context, NIMBUS_SPAWN_SESSION, 0);
    place(request);

    // The output moves above 2 first, so that placing stdin, stdout and stderr cannot overwrite it.
    int output = fcntl(request->output, F_DUPFD, 3);
    if (output < 0) fail(context, NIMBUS_SPAWN_DESCRIPTORS, 0);
    int null = open("/dev/null", O_RDONLY);
    if (null < 0) fail(context, NIMBUS_SPAWN_DESCRIPTORS, 0);
    if (null != 0 && dup2(null, 0) < 0) fail(context, NIMBUS_SPAWN_DESCRIPTORS, 0);
    if (dup2(output, 1) < 0 || dup2(output, 2) < 0) fail(context, NIMBUS_SPAWN_DESCRIPTORS, 0);
    close_from(3);

    if (request->working_directory && chdir(request->working_directory) != 0) fail(context, NIMBUS_SPAWN_DIRECTORY, 0);
    if (set_limit(RLIMIT_NOFILE, request->open_files) != 0 || set_limit(RLIMIT_NPROC, request->processes) != 0) {
        fail(context, NIMBUS_SPAWN_LIMITS, 0);
    }

    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    schedule(request);
    execve(request->path, request->arguments, request->environment);
    fail(context, NIMBUS_SPAWN_EXEC, 0);
}

int nimbus_spawn(const struct nimbus_spawn_request *request, pid_t *child, struct nimbus_spawn_failure *failure) {
    memset(failure, 0, sizeof *failure);
    char *stack = mmap(NULL, child_stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        failure->step = NIMBUS_SPAWN_FORK;
        failure->error = errno;
        return -1;
    }
    struct child_context context = {.request = request};
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    pid_t pid = clone(run_child, stack + child_stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &context);
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    munmap(stack, child_stack_size);
    if (pid < 0) {
        failure->step = NIMBUS_SPAWN_FORK;
        failure->error = clone_error;
        return -1;
    }
    if (context.failure.step != 0) {
        failure->step = context.failure.step;
        failure->error = context.failure.error;
        failure->index = context.failure.index;
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        return -1;
    }
    *child = pid;
    return 0;
}
