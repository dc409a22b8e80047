// A STREAM-like measure of memory bandwidth on arrays of n doubles, split over 1 or 2 threads:
// copy a = b (16 bytes per element), triad a = b + s·c (24) and in-place update a = a + s·b (24,
// the access pattern of an optimizer step: every array written is also read), bytes counted as
// STREAM counts them. Each sample prints the best of the three in bytes per ns (GB/s).
//   stream <n> <threads>       serve timed samples (harness.h); the result is the bandwidth
#include <pthread.h>
#include "harness.h"

static double *a, *b, *c;
static long n, reps_now;
static int threads;
static double elapsed[3];

typedef struct { long from, to; } Slice;

static void *copy(void *arg) {
  const Slice *s = arg;
  double *restrict x = a + s->from;
  const double *restrict y = b + s->from;
  const long len = s->to - s->from;
  for (long r = 0; r < reps_now; r++) {
    for (long i = 0; i < len; i++) x[i] = y[i];
    __asm__ volatile("" ::: "memory"); // not a memcpy call, and not merged across repetitions
  }
  return NULL;
}

static void *triad(void *arg) {
  const Slice *s = arg;
  double *restrict x = a + s->from;
  const double *restrict y = b + s->from, *restrict z = c + s->from;
  const long len = s->to - s->from;
  for (long r = 0; r < reps_now; r++) {
    for (long i = 0; i < len; i++) x[i] = y[i] + 3.0 * z[i];
    __asm__ volatile("" ::: "memory");
  }
  return NULL;
}

static void *update(void *arg) {
  const Slice *s = arg;
  double *restrict x = a + s->from;
  const double *restrict y = b + s->from;
  const long len = s->to - s->from;
  for (long r = 0; r < reps_now; r++) {
    for (long i = 0; i < len; i++) x[i] = x[i] + 1e-9 * y[i];
    __asm__ volatile("" ::: "memory");
  }
  return NULL;
}

static double timed(void *(*kernel)(void *)) {
  pthread_t id[2];
  Slice slice[2] = {{0, threads == 1 ? n : n / 2}, {n / 2, n}};
  double start = now_ns();
  for (int k = 1; k < threads; k++) pthread_create(&id[k], NULL, kernel, &slice[k]);
  kernel(&slice[0]);
  for (int k = 1; k < threads; k++) pthread_join(id[k], NULL);
  return now_ns() - start;
}

static double run(long reps) {
  reps_now = reps;
  elapsed[0] = timed(copy), elapsed[1] = timed(triad), elapsed[2] = timed(update);
  const double bytes[3] = {16, 24, 24};
  double best = 0;
  for (int k = 0; k < 3; k++) {
    const double bandwidth = bytes[k] * (double)n * (double)reps / elapsed[k];
    if (bandwidth > best) best = bandwidth;
  }
  return best;
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  n = atol(argv[1]);
  threads = atoi(argv[2]) == 2 ? 2 : 1;
  double *x[3];
  arrays(3, n, x);
  a = x[0], b = x[1], c = x[2];
  for (long i = 0; i < n; i++) b[i] = 1, c[i] = 2;
  serve(run);
  return 0;
}
