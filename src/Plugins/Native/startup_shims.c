#define _GNU_SOURCE
// Start-up shims linked into the NativeAOT plugin executables (see ../Plugin.Executable.props).
//
// The runtime's start-up reads /proc/self/mountinfo and /proc/self/cgroup twice (once for the GC's memory
// limit, once for the CPU quota) to find the process's cgroup. The kernel renders mountinfo line by line
// on every open, so on a node with many pods (hundreds of mounts) that alone costs milliseconds, and here it
// was a fifth of azure-vnet's cold start. A CNI plugin lives for a few milliseconds with a fixed heap limit
// (System.GC.HeapHardLimit), one GC heap and no worker threads, so the cgroup limits change nothing it
// does. The GC also reads /proc/meminfo once for MemAvailable; without it, it asks sysinfo(2) for free
// memory instead, which is one system call rather than a rendered text file.
// The link wraps fopen64 (-Wl,--wrap=fopen64): only the runtime's own objects call it by that name
// (glibc's internal callers bind to internal aliases), and only these three paths are answered "not
// found", which the runtime treats as "no cgroup" and "use sysinfo".
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

FILE *__real_fopen64(const char *path, const char *mode);

static int is_skipped_at_startup(const char *path)
{
    return strcmp(path, "/proc/self/mountinfo") == 0
        || strcmp(path, "/proc/self/cgroup") == 0
        || strcmp(path, "/proc/meminfo") == 0;
}

FILE *__wrap_fopen64(const char *path, const char *mode)
{
    if (path != NULL && is_skipped_at_startup(path))
    {
        errno = ENOENT;
        return NULL;
    }
    return __real_fopen64(path, mode);
}

// The runtime asks for the bounds of the main thread's stack (pthread_getattr_np), and glibc answers by
// reading and sscanf-parsing /proc/self/maps to find the mapping that holds the stack: about 0.1 M
// instructions plus the kernel rendering the file. The top of that mapping is known without it: execve
// puts the executable's name (AT_EXECFN) last on the new stack, followed by one null pointer that ends
// exactly at the top. The size is RLIMIT_STACK, as glibc computes it; the kernel keeps at least that gap
// below the stack free (mmap_base), so glibc's cap by the next mapping down would change nothing. Any other
// thread, an unlimited stack, or a layout that does not check out goes to glibc. tests/AzureCni.Cni.Tests
// compiles this file into a probe that compares both answers.
extern void *__libc_stack_end;
int __real_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);

int __wrap_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr)
{
    if (!pthread_equal(thread, pthread_self()) || gettid() != getpid())
        return __real_pthread_getattr_np(thread, attr);

    const char *execfn = (const char *)getauxval(AT_EXECFN);
    long page = sysconf(_SC_PAGESIZE);
    struct rlimit limit;
    if (execfn == NULL || page <= 0 || getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return __real_pthread_getattr_np(thread, attr);

    // glibc's answer: the stack ends with the page holding __libc_stack_end (argv, environment and auxv
    // above it do not count), and reaches RLIMIT_STACK below the top of the mapping.
    // The kernel ends AT_EXECFN's string exactly one pointer below the top; valgrind, which builds the stack itself,
    // pads the strings to a word first, so the instruction-count gate measures this path whatever the lengths of
    // the binary's path and environment (without the round-up it took glibc's /proc/self/maps parse 7 times in 8).
    uintptr_t word = sizeof(void *);
    uintptr_t mapping_top = ((uintptr_t)execfn + strlen(execfn) + 1 + word + word - 1) & ~(word - 1);
    uintptr_t limit_size = (uintptr_t)limit.rlim_cur & ~((uintptr_t)page - 1);
    uintptr_t top = ((uintptr_t)__libc_stack_end & ~((uintptr_t)page - 1)) + (uintptr_t)page;
    if ((mapping_top & ((uintptr_t)page - 1)) != 0 || top > mapping_top || limit_size > mapping_top
        || mapping_top - limit_size >= top - (uintptr_t)page)
        return __real_pthread_getattr_np(thread, attr);
    size_t size = (size_t)(top - (mapping_top - limit_size));

    int error = pthread_attr_init(attr);
    if (error != 0)
        return error;
    error = pthread_attr_setstack(attr, (void *)(top - size), size);
    if (error != 0)
        pthread_attr_destroy(attr);
    return error;
}
