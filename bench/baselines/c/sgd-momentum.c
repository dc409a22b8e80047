// SGD with momentum in PyTorch's convention, as gradstep's SGD (src/optimizers/sgd.rule.ts) with
// momentum μ = 0.9, dampening 0: B = g on the first step, else B = μ·B + g; p = p − η·B.
//   sgd-momentum time <n>            serve timed steps on n parameters (harness.h)
//   sgd-momentum check <n> <steps>   params and gradients on stdin, params after the steps on stdout
#include "harness.h"

static const double lr = 1e-3, mu = 0.9;
static double *p, *g, *b;
static long n, t;

__attribute__((noinline)) static void step(double *restrict p, const double *restrict g, double *restrict b, long n) {
  if (t++ == 0) {
    for (long i = 0; i < n; i++) {
      b[i] = g[i];
      p[i] = p[i] - lr * g[i];
    }
    return;
  }
  for (long i = 0; i < n; i++) {
    const double bi = mu * b[i] + g[i];
    b[i] = bi;
    p[i] = p[i] - lr * bi;
  }
}

static double run(long reps) {
  for (long r = 0; r < reps; r++) step(p, g, b, n);
  return p[n / 2];
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  n = atol(argv[2]);
  double *x[3];
  arrays(3, n, x);
  p = x[0], g = x[1], b = x[2];
  if (strcmp(argv[1], "check") == 0) {
    long steps = atol(argv[3]);
    memcpy(p, read_doubles(n), (size_t)n * 8);
    double *grads = read_doubles(n * steps);
    for (long s = 0; s < steps; s++) step(p, grads + s * n, b, n);
    fwrite(p, 8, (size_t)n, stdout);
    return 0;
  }
  for (long i = 0; i < n; i++) g[i] = sin((double)i) * 1e-3;
  serve(run);
  return 0;
}
