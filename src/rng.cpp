#include "moe/rng.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe {
namespace {

// Sequential search of the CDF: k with F(k − 1) ≤ u < F(k).
double poisson_by_inversion(double mean, double u) {
  double k = 0.0, probability = std::exp(-mean), cumulative = probability;
  while (u >= cumulative && probability > 0.0) {
    k += 1.0;
    probability *= mean / k;
    cumulative += probability;
  }
  return k;
}

}  // namespace

double Rng::poisson(double mean) {
  require(std::isfinite(mean) && mean >= 0.0, "Rng::poisson", "the mean must be finite and non-negative");
  if (mean < 10.0) return poisson_by_inversion(mean, uniform());
  // PTRS: a transformed-rejection sampler with a hat of the form (2a/u + b)·u + mean.
  const double root = std::sqrt(mean), log_mean = std::log(mean);
  const double b = 0.931 + 2.53 * root, a = -0.059 + 0.02483 * b;
  const double inverse_alpha = 1.1239 + 1.1328 / (b - 3.4), accept_box = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = uniform() - 0.5, v = uniform(), us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= accept_box) return k;
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inverse_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * log_mean - std::lgamma(k + 1.0))
      return k;
  }
}

double Rng::gamma(double shape) {
  require(std::isfinite(shape) && shape > 0.0, "Rng::gamma", "the shape must be finite and positive");
  if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  while (true) {
    const double x = normal(), v = std::pow(1.0 + c * x, 3);
    if (v <= 0.0) continue;
    const double u = uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}

}  // namespace moe
