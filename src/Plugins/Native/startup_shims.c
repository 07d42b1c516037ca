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
#include <stdio.h>
#include <string.h>

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
