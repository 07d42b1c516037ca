// cold-update: the system calls of one metered call's metrics update, made once by a process that has just started,
// each one timed. The floor of what the update can cost a short-lived plugin on this machine, whatever the language:
// lock (open O_CREAT, flock), the record (pread, pwrite), the temp file (open, F_SETSIG, F_SETLEASE, pwrite of
// ~3.9 KB, lseek, close), renameat2(RENAME_EXCHANGE) and the lock's close.
// Usage: gcc -O2 -static -o cold-update cold-update.c && for i in $(seq 30); do ./cold-update DIR; done
// (prints one line a run, microseconds per call; take the medians over runs)
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    char prom[512], temp[512], lock[512];
    snprintf(prom, sizeof prom, "%s/x.prom", argv[1]);
    snprintf(temp, sizeof temp, "%s/x.prom.tmp", argv[1]);
    snprintf(lock, sizeof lock, "%s/x.prom.lock", argv[1]);
    static char text[4096];
    memset(text, 'a', sizeof text);

    static const char *names[] = {"open", "flock", "pread", "pwrite", "open", "F_SETSIG", "F_SETLEASE", "pwrite", "lseek",
                                  "close", "renameat2", "close"};
    long t[13];
    int n = 0;
    t[n++] = now_ns();
    int held = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    t[n++] = now_ns();
    flock(held, LOCK_EX | LOCK_NB);
    t[n++] = now_ns();
    pread(held, text, sizeof text, 0);
    t[n++] = now_ns();
    pwrite(held, text, 328, 0);
    t[n++] = now_ns();
    int fd = open(temp, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    t[n++] = now_ns();
    fcntl(fd, F_SETSIG, SIGURG);
    t[n++] = now_ns();
    fcntl(fd, F_SETLEASE, F_WRLCK);
    t[n++] = now_ns();
    pwrite(fd, text, 3888, 0);
    t[n++] = now_ns();
    lseek(fd, 0, SEEK_END);
    t[n++] = now_ns();
    close(fd);
    t[n++] = now_ns();
    if (renameat2(AT_FDCWD, temp, AT_FDCWD, prom, RENAME_EXCHANGE) != 0)
        rename(temp, prom);
    t[n++] = now_ns();
    close(held);
    t[n++] = now_ns();

    for (int i = 1; i < n; i++)
        printf("%s=%.1f ", names[i - 1], (t[i] - t[i - 1]) / 1000.0);
    printf("total=%.1f\n", (t[n - 1] - t[0]) / 1000.0);
    return 0;
}
