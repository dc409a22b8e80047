// Two small problems from the lecture (and the UDL chapter 6 notebooks it follows), with analytic
// gradients, for the demo. The models and datasets move into the library with the training issue.

/** A differentiable objective: its value, and its gradient written into `out`. */
export interface Problem {
  name: string;
  start: readonly number[];
  minimum: readonly number[];
  minimumLoss: number;
  loss(theta: Float64Array): number;
  gradient(theta: Float64Array, out: Float64Array): void;
}

// The 12 points of UDL notebook 6.2 (Notebooks/Chap06/6_2_Gradient_Descent.ipynb, udlbook/udlbook).
// Copyright 2023 Simon Prince. MIT License: Permission is hereby granted, free of charge, to any
// person obtaining a copy of this software and associated documentation files (the "Software"), to
// deal in the Software without restriction, including without limitation the rights to use, copy,
// modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
// persons to whom the Software is furnished to do so, subject to the following conditions: The above
// copyright notice and this permission notice shall be included in all copies or substantial
// portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
// OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
// PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
// LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
// OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
// THE SOFTWARE.
const x = [0.03, 0.19, 0.34, 0.46, 0.78, 0.81, 1.08, 1.18, 1.39, 1.6, 1.65, 1.9];
const y = [0.67, 0.85, 1.05, 1.0, 1.4, 1.5, 1.3, 1.54, 1.55, 1.68, 1.73, 1.6];

/** SPEC §4: ŷ = θ0 + θ1·x, J(θ) = Σ (ŷ_i − y_i)², the convex scenario. */
export const linearRegression: Problem = {
  name: "linear regression (UDL 6.2, 12 points)",
  start: [1.6, -0.5],
  minimum: [0.8259500451387297, 0.5222260699680318], // least squares, from the normal equations
  minimumLoss: 0.19986635693424945,
  loss(theta) {
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += (theta[0] + theta[1] * x[i] - y[i]) ** 2;
    return sum;
  },
  gradient(theta, out) {
    out[0] = 0;
    out[1] = 0;
    for (let i = 0; i < x.length; i++) {
      const r = theta[0] + theta[1] * x[i] - y[i];
      out[0] += 2 * r;
      out[1] += 2 * r * x[i];
    }
  },
};

/**
 * The anisotropic function of UDL notebook 6.5: L = 1 − exp(−2·θ1² − (θ0 − 0.7)²/8), steep along θ1
 * and shallow along θ0 (curvatures 4 and 0.25 at the minimum (0.7, 0)).
 */
export const anisotropic: Problem = {
  name: "anisotropic valley (UDL 6.5)",
  start: [-0.7, -0.9],
  minimum: [0.7, 0],
  minimumLoss: 0,
  loss(theta) {
    return 1 - Math.exp(-2 * theta[1] ** 2 - (theta[0] - 0.7) ** 2 / 8);
  },
  gradient(theta, out) {
    const h = Math.exp(-2 * theta[1] ** 2 - (theta[0] - 0.7) ** 2 / 8);
    out[0] = (h * (theta[0] - 0.7)) / 4;
    out[1] = 4 * h * theta[1];
  },
};
