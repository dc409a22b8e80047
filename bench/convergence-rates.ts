// Learning rates tuned once by bench/tune-convergence.ts (the grid LR_GRID, lowest final loss within
// the budget), by problem and optimizer. Everything else is at the optimizer's defaults.
export const tunedRates: Record<string, Record<string, number>> = {
  "Gabor (UDL 6.3), from (−1.5, 8.5)": {
    "GradientDescent": 0.1,
    "Momentum": 0.1,
    "Nesterov": 0.3,
    "SGD (μ = 0.9)": 0.03,
    "NormalizedGradient": 0.01,
    "AdaGrad": 1,
    "RMSProp": 0.01,
    "Adam": 0.1,
    "Adamax": 0.1,
    "NAdam": 0.03,
    "RAdam": 0.3,
    "Adadelta": 0.3,
    "Rprop": 0.3
  },
  "anisotropic valley (UDL 6.5)": {
    "GradientDescent": 0.1,
    "Momentum": 0.1,
    "Nesterov": 0.1,
    "SGD (μ = 0.9)": 0.01,
    "NormalizedGradient": 0.001,
    "AdaGrad": 0.1,
    "RMSProp": 0.001,
    "Adam": 0.003,
    "Adamax": 0.003,
    "NAdam": 0.003,
    "RAdam": 0.01,
    "Adadelta": 0.3,
    "Rprop": 0.0001
  },
  "Rosenbrock, from (−1.5, 2)": {
    "GradientDescent": 0.001,
    "Momentum": 0.01,
    "Nesterov": 0.01,
    "SGD (μ = 0.9)": 0.001,
    "NormalizedGradient": 0.0003,
    "AdaGrad": 1,
    "RMSProp": 0.0003,
    "Adam": 0.01,
    "Adamax": 0.0003,
    "NAdam": 0.0003,
    "RAdam": 0.01,
    "Adadelta": 0.01,
    "Rprop": 0.001
  },
  "quadratic, κ = 1e4, 10-D": {
    "GradientDescent": 0.0001,
    "Momentum": 0.003,
    "Nesterov": 0.001,
    "SGD (μ = 0.9)": 0.0003,
    "NormalizedGradient": 0.0001,
    "AdaGrad": 0.1,
    "RMSProp": 0.0001,
    "Adam": 0.0003,
    "Adamax": 0.0003,
    "NAdam": 0.0003,
    "RAdam": 0.0003,
    "Adadelta": 0.003,
    "Rprop": 1
  },
  "logistic regression 100k × 20, batch 64": {
    "GradientDescent": 0.03,
    "Momentum": 0.03,
    "Nesterov": 0.03,
    "SGD (μ = 0.9)": 0.003,
    "NormalizedGradient": 0.001,
    "AdaGrad": 0.1,
    "RMSProp": 0.001,
    "Adam": 0.003,
    "Adamax": 0.003,
    "NAdam": 0.003,
    "RAdam": 0.003,
    "Adadelta": 1,
    "Rprop": 0.3
  }
};
