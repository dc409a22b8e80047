/**
 * Which of the library's own models and losses the WebAssembly batch (risk-batch.wat) can evaluate,
 * and as what: a model's code is bits 0–1 of the batch's `form`, a loss's bits 2–3.
 * Only objects made by the library's factories are registered, and they are frozen, so that a
 * registered object always does what its code says; any other model or loss takes the JavaScript path.
 * (The models and losses import this file, so it takes them as plain objects: no import cycle.)
 */
const forms = new WeakMap<object, number>();

/** Model code: f = θ0 + θ·x (linearRegression, logisticRegression). */
export const SCORE_MODEL = 0;
/** Model code: f = σ(θ0 + θ·x) (sigmoidRegression). */
export const SQUASHED_MODEL = 1;
/** Model code: f = sin(z)·e^(−z²/32), z = θ0 + 0.06·θ1·x (gaborModel). */
export const GABOR_MODEL = 2;
/** Loss code (bits 2–3): sumOfSquares. */
export const SUM_OF_SQUARES = 0 << 2;
/** Loss code: meanSquaredError. */
export const MEAN_SQUARED_ERROR = 1 << 2;
/** Loss code: binaryCrossEntropy, averaged. */
export const CROSS_ENTROPY_MEAN = 2 << 2;
/** Loss code: binaryCrossEntropy, summed. */
export const CROSS_ENTROPY_SUM = 3 << 2;

/** Registers a factory's fresh model or loss under its code, frozen; returns it. */
export function withBatchForm<T extends object>(object: T, code: number): Readonly<T> {
  forms.set(object, code);
  return Object.freeze(object);
}

/** The batch's `form` for a model and a loss, or -1 where either is not one the Wasm batch knows. */
export function batchForm(model: object, loss: object): number {
  const m = forms.get(model);
  const l = forms.get(loss);
  return m === undefined || l === undefined || (m & ~3) !== 0 || m === 3 || (l & 3) !== 0 ? -1 : m | l;
}
