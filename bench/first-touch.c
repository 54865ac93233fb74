/*
 * What fresh memory costs on this machine: times writing 256 MiB the first time (each 4 KiB page
 * faulted in) and the second time (already mapped), in µs per MiB, four rounds with the memory
 * freed between them. On the bench's Firecracker guests, whose kernel hands unmapped pages back to
 * the host (DAMON "pageout"), the first write costs some 2.8 ms per MiB, about 11 µs per page (the
 * second 0.05 ms per MiB): what a server pays for every MiB it grows into under load (the heap,
 * Timer J's log). Every round pays it again: glibc unmaps blocks this large when they are freed.
 *
 *   gcc -O2 -o /tmp/first-touch bench/first-touch.c && /tmp/first-touch
 *
 * malloc then memset(0) may be folded into calloc, which on fresh pages writes nothing; so the first
 * write here is the one that sets every byte to 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    const int n = 256;
    for (int round = 0; round < 4; round++) {
        char **p = malloc(n * sizeof(char *));
        for (int i = 0; i < n; i++) {
            p[i] = malloc(1 << 20);
        }
        double t0 = now();
        for (int i = 0; i < n; i++) {
            memset(p[i], 1, 1 << 20);
        }
        double t1 = now();
        for (int i = 0; i < n; i++) {
            memset(p[i], 2, 1 << 20);
        }
        double t2 = now();
        for (int i = 0; i < n; i++) {
            free(p[i]);
        }
        free(p);
        printf("round %d: first write %.0f us/MiB, second write %.0f us/MiB\n", round, (t1 - t0) / n * 1e6,
               (t2 - t1) / n * 1e6);
    }
    return 0;
}
