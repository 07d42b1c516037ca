// soakrun: runs one plugin call and reports what it cost the node, for scripts/soak.sh.
//
//   soakrun LOG PROGRAM [ARG]...   (stdin, stdout and the environment pass through to PROGRAM)
//
// Appends one line to LOG: "exit maxrss_kb max_fds wall_us". The peak RSS is the kernel's (wait4's ru_maxrss);
// the descriptors are counted in /proc/PID/fd every 500 us while the call runs, so a call that opens more and
// more of them as the state grows shows up even though each call is a new process. Exits with PROGRAM's status.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int count_fds(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *dir = opendir(path);
    if (!dir) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(dir);
    return n;
}

static long long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: soakrun LOG PROGRAM [ARG]...\n");
        return 2;
    }
    long long start = now_us();
    pid_t pid;
    int rc = posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (rc != 0) {
        fprintf(stderr, "soakrun: cannot start %s: %d\n", argv[2], rc);
        return 127;
    }
    int max_fds = 0, status = 0;
    struct rusage ru;
    for (;;) {
        pid_t done = wait4(pid, &status, WNOHANG, &ru);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) { perror("wait4"); return 1; }
        int fds = count_fds(pid);
        if (fds > max_fds) max_fds = fds;
        usleep(500);
    }
    long long wall = now_us() - start;
    FILE *log = fopen(argv[1], "a");
    if (!log) { perror(argv[1]); return 1; }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(log, "%d %ld %d %lld\n", code, ru.ru_maxrss, max_fds, wall);
    fclose(log);
    return code;
}
