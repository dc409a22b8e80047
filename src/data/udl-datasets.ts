import { type Dataset, dataset } from "./dataset.js";
import { stridedView } from "./strided-view.js";

// The data of Understanding Deep Learning's chapter 6 notebooks, copied number for number from
// udlbook/udlbook at commit a8fe82b5e155cb4f42415d2461ffa23224b1173b:
//   Notebooks/Chap06/6_2_Gradient_Descent.ipynb            (the 12-point linear data)
//   Notebooks/Chap06/6_3_Stochastic_Gradient_Descent.ipynb (the 30-point Gabor data, also in 6.4)
// The notebooks carry their own MIT license (the rest of that repository is CC BY-NC-ND 4.0 and is
// not used here). Their notice:
//
// Copyright 2023 Simon Prince
//
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

const LINEAR_X = [0.03, 0.19, 0.34, 0.46, 0.78, 0.81, 1.08, 1.18, 1.39, 1.6, 1.65, 1.9];
const LINEAR_Y = [0.67, 0.85, 1.05, 1.0, 1.4, 1.5, 1.3, 1.54, 1.55, 1.68, 1.73, 1.6];
const GABOR_X = [-1.92, -14.22, 1.49, -1.94, -2.389, -5.09, -8.861, 3.578, -6.01, -6.995, 3.634, 0.8743, -10.96, 0.4073, -9.467, 8.56, 10.62, -0.1729, 10.4, -12.61, 0.1574, -13.04, -2.156, -12.1, -11.19, 2.902, -8.22, -11.79, -8.391, -4.505];
const GABOR_Y = [-1.051, -0.02482, 0.8896, -0.4943, -0.9371, 0.4306, 0.009577, -0.07944, 0.1624, -0.2682, -0.3129, 0.8303, -0.02365, 0.5098, -0.2777, 0.3367, 0.1927, -0.2222, 0.06352, 0.006888, 0.03224, 0.01091, -0.5706, -0.05258, -0.03666, 0.1709, -0.04805, 0.2008, -0.1904, 0.5952];

/**
 * The 12 points of UDL notebook 6.2 (the lecture's convex scenario, §4): one input x, target y.
 * J(0.6, −0.2) = 12.367 under linear regression and the sum of squares.
 *
 * @example
 * ```ts
 * const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
 * ```
 */
export function udlLinearData(): Dataset {
  return dataset(stridedView(Float64Array.from(LINEAR_X), [LINEAR_X.length, 1]), LINEAR_Y);
}

/**
 * The 30 points of UDL notebooks 6.3 and 6.4 (the lecture's non-convex scenario, §5): one input
 * x, target y. J(0.6, −0.2) = 16.419 under the Gabor model and the sum of squares.
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * ```
 */
export function udlGaborData(): Dataset {
  return dataset(stridedView(Float64Array.from(GABOR_X), [GABOR_X.length, 1]), GABOR_Y);
}
