// fault-cost: what the first touch of a fresh anonymous page costs on this machine (the kernel's fault path, the
// page's zeroing, and under a paravirtualized guest the exits around them). A short-lived process pays it for every
// new 4 KB of heap or stack it uses, which is why the metered call avoids new memory.
// Usage: gcc -O2 -o fault-cost fault-cost.c && ./fault-cost [PAGES]
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

int main(int argc, char **argv) {
    long pages = argc > 1 ? atol(argv[1]) : 2000;
    char *memory = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < pages; i++)
        memory[i * 4096] = 1;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double us = (end.tv_sec - start.tv_sec) * 1e6 + (end.tv_nsec - start.tv_nsec) / 1e3;
    printf("%.2f us per first touch of an anonymous page (%ld pages)\n", us / pages, pages);
    return 0;
}
