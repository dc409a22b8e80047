// The end-to-end job of bench/end-to-end.ts in C: logistic regression on N × D examples (X.f64 and
// y.f64 in <dir>, row-major float64), mini-batches of 64 in file order (the last batch of an epoch
// keeps the N mod 64 rest), Adam (lr 0.01, PyTorch's convention), <epochs> epochs from θ = 0, then
// the mean binary cross-entropy over all the data. θ = (bias, w_1 … w_D). The same arithmetic, in
// the same order, as the hand-written JavaScript loop of bench/end-to-end.ts. With "shuffled", each
// epoch reads the rows in a new random order (Fisher–Yates with xorshift64*, not gradstep's stream):
// what random-order row reads cost at the limit, beside gradstep's EpochSampler run.
//   logistic-adam <dir> <N> <D> <epochs> [shuffled]    serve timed runs (harness.h); the result is the final loss
#include "harness.h"

enum { BATCH = 64, MAXD = 256 };
static double *X, *y;
static long N, D, epochs;
static long *order; // the rows of an epoch in reading order; NULL in file order
static unsigned long long seed = 2026;

static unsigned long long next_random(void) {
  seed ^= seed >> 12, seed ^= seed << 25, seed ^= seed >> 27;
  return seed * 2685821657736338717ULL;
}

static void shuffle(void) {
  for (long i = N - 1; i > 0; i--) {
    const long j = (long)(next_random() % (unsigned long long)(i + 1)), t = order[i];
    order[i] = order[j], order[j] = t;
  }
}

static double *load(const char *dir, const char *file, long count) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "rb");
  double *x = malloc((size_t)count * 8);
  if (!f || !x || fread(x, 8, (size_t)count, f) != (size_t)count) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
  fclose(f);
  return x;
}

static double train(void) {
  double p[MAXD + 1] = {0}, g[MAXD + 1], m[MAXD + 1] = {0}, v[MAXD + 1] = {0};
  long t = 0;
  for (long epoch = 0; epoch < epochs; epoch++) {
    if (order) shuffle();
    for (long first = 0; first < N; first += BATCH) {
      const long count = first + BATCH <= N ? BATCH : N - first;
      for (long j = 0; j <= D; j++) g[j] = 0;
      for (long i = first; i < first + count; i++) {
        const long k = order ? order[i] : i;
        const double *x = X + k * D;
        double z = p[0];
        for (long j = 0; j < D; j++) z += p[j + 1] * x[j];
        const double e = exp(-fabs(z));
        const double w = ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[k]) / (double)count;
        g[0] += w;
        for (long j = 0; j < D; j++) g[j + 1] += w * x[j];
      }
      t++;
      const double stepSize = 0.01 / (1 - pow(0.9, (double)t)), c = 1 / (1 - pow(0.999, (double)t));
      for (long i = 0; i <= D; i++) {
        m[i] = 0.9 * m[i] + (1 - 0.9) * g[i];
        v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i];
        p[i] = p[i] - stepSize * (m[i] / (sqrt(v[i] * c) + 1e-8));
      }
    }
  }
  double loss = 0;
  for (long i = 0; i < N; i++) {
    double z = p[0];
    for (long j = 0; j < D; j++) z += p[j + 1] * X[i * D + j];
    loss += fmax(z, 0) - y[i] * z + log1p(exp(-fabs(z)));
  }
  return loss / (double)N;
}

static double run(long reps) {
  double loss = 0;
  for (long r = 0; r < reps; r++) loss = train();
  return loss;
}

int main(int argc, char **argv) {
  if (argc < 5) return 2;
  N = atol(argv[2]), D = atol(argv[3]), epochs = atol(argv[4]);
  if (D > MAXD) return 2;
  X = load(argv[1], "X.f64", N * D);
  y = load(argv[1], "y.f64", N);
  if (argc > 5 && strcmp(argv[5], "shuffled") == 0) {
    order = malloc((size_t)N * sizeof *order);
    if (!order) return 2;
    for (long i = 0; i < N; i++) order[i] = i;
  }
  serve(run);
  return 0;
}
