#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

// The mount is made in the host's namespace as a detached tree (open_tree), made read-only
// there (mount_setattr), and attached inside the child's namespace by a short-lived clone that
// enters it (setns, which a multithreaded process may not do for a mount namespace itself).

struct attach_context {
    int tree;
    int namespace;
    const char *destination;
    volatile int step;
    volatile int error;
};

enum { attach_stack_size = 16 * 1024 };

static int attach(void *argument) {
    struct attach_context *context = argument;
    if (setns(context->namespace, CLONE_NEWNS) != 0) {
        context->error = errno;
        context->step = NIMBUS_MOUNT_ENTER;
        _exit(1);
    }
    if (move_mount(context->tree, "", AT_FDCWD, context->destination, MOVE_MOUNT_F_EMPTY_PATH) != 0) {
        context->error = errno;
        context->step = NIMBUS_MOUNT_ATTACH;
        _exit(1);
    }
    _exit(0);
}

int nimbus_mount_read_only(pid_t holder, const char *source, const char *destination, struct nimbus_mount_failure *failure) {
    struct attach_context context = {.tree = -1, .namespace = -1, .destination = destination};
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)holder);
    int step = NIMBUS_MOUNT_NAMESPACE;
    context.namespace = open(path, O_RDONLY | O_CLOEXEC);
    if (context.namespace < 0) goto failed;
    step = NIMBUS_MOUNT_CLONE_TREE;
    context.tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (context.tree < 0) goto failed;
    step = NIMBUS_MOUNT_READ_ONLY;
    struct mount_attr attributes = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
    if (mount_setattr(context.tree, "", AT_EMPTY_PATH, &attributes, sizeof attributes) != 0) goto failed;

    step = NIMBUS_MOUNT_FORK;
    // The calling thread is suspended until the helper exits (CLONE_VFORK), so the helper may
    // run on a stack in this frame.
    char stack[attach_stack_size] __attribute__((aligned(16)));
    // SIGCHLD is not asked for: the helper is reaped here, by its pid, and no server thread's
    // waiter for "any child" can take it (__WALL waits for a child that signals nothing).
    pid_t helper = clone(attach, stack + sizeof stack, CLONE_VM | CLONE_VFORK, &context);
    if (helper < 0) goto failed;
    int status = 0;
    while (waitpid(helper, &status, __WALL) < 0) {
        if (errno != EINTR) goto failed;
    }
    close(context.tree);
    close(context.namespace);
    if (context.step != 0) {
        failure->step = context.step;
        failure->error = context.error;
        return -1;
    }
    return 0;

failed:
    failure->step = step;
    failure->error = errno;
    if (context.tree >= 0) close(context.tree);
    if (context.namespace >= 0) close(context.namespace);
    return -1;
}
