#include "moe/polygamma.hpp"

#include <cmath>

namespace moe {

double digamma(double x) {
  double shift = 0.0;
  for (; x < 10.0; x += 1.0) shift -= 1.0 / x;  // ψ(x) = ψ(x + 1) − 1/x
  const double r = 1.0 / (x * x);  // the asymptotic series, its first omitted term below 1e-13 at x ≥ 10
  return shift + std::log(x) - 0.5 / x -
         r * (1.0 / 12.0 - r * (1.0 / 120.0 - r * (1.0 / 252.0 - r * (1.0 / 240.0 - r * (1.0 / 132.0)))));
}

double trigamma(double x) {
  double shift = 0.0;
  for (; x < 10.0; x += 1.0) shift += 1.0 / (x * x);  // ψ'(x) = ψ'(x + 1) + 1/x²
  const double r = 1.0 / (x * x);
  return shift + 1.0 / x + 0.5 * r +
         r / x * (1.0 / 6.0 - r * (1.0 / 30.0 - r * (1.0 / 42.0 - r * (1.0 / 30.0 - r * (5.0 / 66.0)))));
}

}  // namespace moe
