// spawnbench: whole-process cold-start timing, side by side in one run.
//
// Each line of the spec file names one command:  label <TAB> stdin-file <TAB> program [<TAB> KEY=VALUE]...
// [<TAB> arg:ARGUMENT]... (a field written arg:X is passed as the argument X, in order; any other is a variable).
// Every round runs every command once (posix_spawn, then wait4), in a shuffled order unless -s keeps
// the file order (an ADD line followed by its DEL line needs that). The first line is the baseline:
// `ratio` is the median over rounds of (command's time / baseline's time in the same round), so slow
// phases of a noisy machine hit both sides of each ratio alike. "{round}" in a variable or an argument becomes
// the round's number (warm-up rounds included, all distinct): a fresh container ID or namespace name per round.
// -g N shuffles groups of N consecutive lines instead, each group keeping its order (-g 2: ADD/DEL pairs in a random
// order every round, so no pair always runs first).
// -r FILE also writes every round's times there (one line a round: each command's wall time, then each one's CPU
// time, user + system, in microseconds), for paired differences between commands of the same round.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 32
#define MAX_ENV 32
#define MAX_ARGS 16

typedef struct {
    char label[64];
    char stdin_path[512];
    char program[512];
    char *env[MAX_ENV + 1];
    char *argv[MAX_ARGS + 2];
    double *wall_us;
    double *cpu_us;
    int failures;
} command;

static command cmds[MAX_CMDS];
static int ncmds;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double *v, int n, double p) {
    double *s = malloc(sizeof(double) * n);
    memcpy(s, v, sizeof(double) * n);
    qsort(s, n, sizeof(double), cmp_double);
    double r = s[(int)(p * (n - 1) + 0.5)];
    free(s);
    return r;
}

// A copy of s with every "{round}" replaced by the round's number; s itself when it has none.
static char *with_round(char *s, int round) {
    const char *mark = "{round}";
    if (!strstr(s, mark)) return s;
    char num[16], *out = malloc(strlen(s) * 2 + 32), *o = out;
    snprintf(num, sizeof num, "%d", round);
    for (const char *p = s; *p;) {
        if (strncmp(p, mark, 7) == 0) { o = stpcpy(o, num); p += 7; }
        else *o++ = *p++;
    }
    *o = 0;
    return out;
}

static void free_round(char **v, char **orig) {
    for (int i = 0; v[i]; i++) if (v[i] != orig[i]) free(v[i]);
}

static double last_cpu_us;

static double run_once(command *c, int round) {
    char *env[MAX_ENV + 1], *argv[MAX_ARGS + 2];
    int i;
    for (i = 0; c->env[i]; i++) env[i] = with_round(c->env[i], round);
    env[i] = NULL;
    for (i = 0; c->argv[i]; i++) argv[i] = with_round(c->argv[i], round);
    argv[i] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, c->stdin_path, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now_us();
    int rc = posix_spawn(&pid, c->program, &fa, NULL, argv, env);
    if (rc != 0) {
        fprintf(stderr, "spawn %s: %s\n", c->program, strerror(rc));
        exit(2);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {}
    double t1 = now_us();
    last_cpu_us = ru.ru_utime.tv_sec * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1e6 + ru.ru_stime.tv_usec;
    posix_spawn_file_actions_destroy(&fa);
    free_round(env, c->env);
    free_round(argv, c->argv);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        c->failures++;
    return t1 - t0;
}

static void parse_spec(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 0 || line[0] == '#') continue;
        if (ncmds == MAX_CMDS) { fprintf(stderr, "too many commands\n"); exit(2); }
        command *c = &cmds[ncmds++];
        char *save, *tok = strtok_r(line, "\t", &save);
        int field = 0, nenv = 0, nargs = 1;
        for (; tok; tok = strtok_r(NULL, "\t", &save), field++) {
            if (field == 0) snprintf(c->label, sizeof c->label, "%s", tok);
            else if (field == 1) snprintf(c->stdin_path, sizeof c->stdin_path, "%s", tok);
            else if (field == 2) snprintf(c->program, sizeof c->program, "%s", tok);
            else if (strncmp(tok, "arg:", 4) == 0) {
                if (nargs > MAX_ARGS) { fprintf(stderr, "too many arguments for %s\n", c->label); exit(2); }
                c->argv[nargs++] = strdup(tok + 4);
            }
            else if (nenv < MAX_ENV) c->env[nenv++] = strdup(tok);
        }
        if (field < 3) { fprintf(stderr, "bad spec line for %s\n", c->label); exit(2); }
        c->env[nenv] = NULL;
        c->argv[0] = c->program;
        c->argv[nargs] = NULL;
    }
    fclose(f);
}

int main(int argc, char **argv) {
    int runs = 300, keep_order = 0, warmup = 10, opt;
    const char *raw_path = NULL;
    int group = 1;
    while ((opt = getopt(argc, argv, "n:w:sr:g:")) != -1) {
        if (opt == 'n') runs = atoi(optarg);
        else if (opt == 'g') group = atoi(optarg);
        else if (opt == 'r') raw_path = optarg;
        else if (opt == 'w') warmup = atoi(optarg);
        else if (opt == 's') keep_order = 1;
        else { fprintf(stderr, "usage: spawnbench [-n runs] [-w warmup] [-s | -g group] [-r raw-file] SPEC\n"); return 2; }
    }
    if (optind >= argc) { fprintf(stderr, "usage: spawnbench [-n runs] [-w warmup] [-s | -g group] [-r raw-file] SPEC\n"); return 2; }
    parse_spec(argv[optind]);
    if (ncmds == 0) { fprintf(stderr, "empty spec\n"); return 2; }
    for (int i = 0; i < ncmds; i++) {
        cmds[i].wall_us = calloc(runs, sizeof(double));
        cmds[i].cpu_us = calloc(runs, sizeof(double));
    }

    int order[MAX_CMDS];
    srand(12345); // a fixed seed: the same shuffles every run
    for (int r = -warmup; r < runs; r++) {
        for (int i = 0; i < ncmds; i++) order[i] = i;
        if (group > 1) {
            int groups = ncmds / group, g[MAX_CMDS];
            for (int i = 0; i < groups; i++) g[i] = i;
            for (int i = groups - 1; i > 0; i--) { int j = rand() % (i + 1); int t = g[i]; g[i] = g[j]; g[j] = t; }
            for (int i = 0; i < groups * group; i++) order[i] = g[i / group] * group + i % group;
        }
        else if (!keep_order)
            for (int i = ncmds - 1; i > 0; i--) { int j = rand() % (i + 1); int t = order[i]; order[i] = order[j]; order[j] = t; }
        for (int k = 0; k < ncmds; k++) {
            double t = run_once(&cmds[order[k]], r + warmup);
            if (r >= 0) {
                cmds[order[k]].wall_us[r] = t;
                cmds[order[k]].cpu_us[r] = last_cpu_us;
            }
        }
    }
    if (raw_path) {
        FILE *raw = fopen(raw_path, "w");
        if (!raw) { perror(raw_path); return 2; }
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < ncmds; i++) fprintf(raw, "%.1f\t", cmds[i].wall_us[r]);
            for (int i = 0; i < ncmds; i++) fprintf(raw, "%.0f%c", cmds[i].cpu_us[r], i + 1 < ncmds ? '\t' : '\n');
        }
        fclose(raw);
    }

    double *ratios = malloc(sizeof(double) * runs);
    printf("%-28s %10s %10s %10s %8s %8s\n", "command", "median_us", "p10_us", "p90_us", "ratio", "failed");
    for (int i = 0; i < ncmds; i++) {
        for (int r = 0; r < runs; r++) ratios[r] = cmds[i].wall_us[r] / cmds[0].wall_us[r];
        printf("%-28s %10.0f %10.0f %10.0f %8.2f %8d\n", cmds[i].label,
               percentile(cmds[i].wall_us, runs, 0.5), percentile(cmds[i].wall_us, runs, 0.1),
               percentile(cmds[i].wall_us, runs, 0.9), percentile(ratios, runs, 0.5), cmds[i].failures);
    }
    return 0;
}
