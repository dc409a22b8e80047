// Adam in PyTorch's convention, as gradstep's default Adam (src/optimizers/adam.rule.ts, plain
// path) computes it, in the same operation order: m = β·m + (1−β)·g, v = γ·v + ((1−γ)·g)·g,
// p = p − a·(m / (√(v·c) + ε)), a = η / (1 − β^t), c = 1 / (1 − γ^t) with pow each step.
//   adam time <n>              serve timed steps on n parameters (harness.h)
//   adam check <n> <steps>     params and gradients on stdin, params after the steps on stdout
#include "harness.h"

static const double lr = 1e-3, beta = 0.9, gamma_ = 0.999, eps = 1e-8;
static double *p, *g, *m, *v;
static long n, t;

__attribute__((noinline)) static void step(double *restrict p, const double *restrict g, double *restrict m, double *restrict v, long n) {
  t++;
  const double a = lr / (1 - pow(beta, (double)t)), c = 1 / (1 - pow(gamma_, (double)t));
  const double oneMinusBeta = 1 - beta, oneMinusGamma = 1 - gamma_;
  for (long i = 0; i < n; i++) {
    const double gi = g[i];
    const double mi = beta * m[i] + oneMinusBeta * gi;
    const double vi = gamma_ * v[i] + oneMinusGamma * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = p[i] - a * (mi / (sqrt(vi * c) + eps));
  }
}

static double run(long reps) {
  for (long r = 0; r < reps; r++) step(p, g, m, v, n);
  return p[n / 2];
}

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  n = atol(argv[2]);
  double *x[4];
  arrays(4, n, x);
  p = x[0], g = x[1], m = x[2], v = x[3];
  if (strcmp(argv[1], "check") == 0) {
    long steps = atol(argv[3]);
    memcpy(p, read_doubles(n), (size_t)n * 8);
    double *grads = read_doubles(n * steps);
    for (long s = 0; s < steps; s++) step(p, grads + s * n, m, v, n);
    fwrite(p, 8, (size_t)n, stdout);
    return 0;
  }
  for (long i = 0; i < n; i++) g[i] = sin((double)i) * 1e-3;
  serve(run);
  return 0;
}
