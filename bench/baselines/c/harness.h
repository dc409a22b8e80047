// The harness shared by the C baselines: a clock, a memory layout free of 4K aliasing, and the
// line protocol through which bench/c-limit.ts times a job interleaved with gradstep's contenders:
// the process prints "ready", then for each line "<reps>" on stdin it runs the job reps times under
// clock_gettime and prints "<ns per rep> <a result>" (the result keeps the work observable).
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

// k arrays of n doubles in one block, array j starting 320·j bytes past a page boundary: arrays
// read and written together then never sit at the same offset modulo 4096 (no 4K aliasing).
static double *arrays(int k, long n, double **out) {
  long stride = ((n * 8 + 4095) / 4096) * 4096 + 4096;
  char *block = aligned_alloc(4096, (size_t)(stride * k + 4096));
  if (!block) { fprintf(stderr, "out of memory\n"); exit(2); }
  for (int j = 0; j < k; j++) {
    out[j] = (double *)(block + stride * j + 320 * j);
    memset(out[j], 0, (size_t)n * 8); // touched now: no page faults while timed
  }
  return (double *)block;
}

static void serve(double (*run)(long reps)) {
  printf("ready\n");
  fflush(stdout);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
    long reps = atol(line);
    if (reps <= 0) break;
    double start = now_ns();
    double result = run(reps);
    printf("%.6f %.17g\n", (now_ns() - start) / (double)reps, result);
    fflush(stdout);
  }
}

// Check mode: reads n doubles of params, then steps × n of gradients (binary, native order) from
// stdin, and writes the params after the steps to stdout.
static double *read_doubles(long count) {
  double *x = malloc((size_t)count * 8);
  if (!x || fread(x, 8, (size_t)count, stdin) != (size_t)count) { fprintf(stderr, "short input\n"); exit(2); }
  return x;
}
