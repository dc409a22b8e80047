// TensorFlow.js's CPU backend with its own optimizer of the same kind. TF.js computes in float32,
// so it moves half the bytes of the float64 contenders; it is measured as a user would call it.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";

let ready: Promise<boolean> | undefined;

/** Selects the CPU backend once. */
export function tfjsReady(): Promise<boolean> {
  ready ??= tf.setBackend("cpu");
  return ready;
}

const makers: Record<string, () => tf.Optimizer> = {
  GradientDescent: () => tf.train.sgd(1e-3),
  SGD: () => tf.train.momentum(1e-3, 0.9),
  AdaGrad: () => tf.train.adagrad(1e-3),
  RMSProp: () => tf.train.rmsprop(1e-3, 0.99),
  Adam: () => tf.train.adam(1e-3),
  Adamax: () => tf.train.adamax(1e-3),
  Adadelta: () => tf.train.adadelta(1),
};

/** A TF.js step on n parameters (its own variable and gradient), or undefined if TF.js has no such optimizer. */
export function tfjsBaseline(rule: string, n: number): { step: () => void; dispose: () => void } | undefined {
  const make = makers[rule];
  if (!make) return undefined;
  const variable = tf.variable(tf.zeros([n]));
  const grad = tf.tensor1d(Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3));
  const optimizer = make();
  const named = { [variable.name]: grad };
  return {
    step: () => optimizer.applyGradients(named),
    dispose: () => {
      optimizer.dispose();
      variable.dispose();
      grad.dispose();
    },
  };
}
