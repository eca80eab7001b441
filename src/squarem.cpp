#include "moe/squarem.hpp"

#include "moe/error.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace moe {
namespace {

// Whether ℓ(model) is at least `floor`; false where the E-step fails on it.
bool acceptable(Posterior& posterior, const Model& model, double floor) {
  try {
    const double loglik = posterior.update(model);
    return std::isfinite(loglik) && loglik >= floor;
  } catch (const numerical_error&) {
    return false;
  }
}

}  // namespace

Step squarem(Step map, Posterior& posterior) {
  auto alpha_max = std::make_shared<double>(1.0);
  return [map = std::move(map), &posterior, alpha_max](const Model& current) {
    const Model first = map(current);
    const double first_loglik = posterior.update(first);
    const Model second = map(first);
    const arma::vec theta = pack(current), r = pack(first) - theta, v = pack(second) - pack(first) - r;
    const double v_norm = arma::norm(v);
    if (!(v_norm > 0.0) || !std::isfinite(first_loglik)) return second;
    const double alpha = std::clamp(arma::norm(r) / v_norm, 1.0, *alpha_max);
    if (alpha == *alpha_max) *alpha_max *= 4.0;
    if (alpha == 1.0) return second;
    const arma::vec target = theta + 2.0 * alpha * r + alpha * alpha * v;
    const Model extrapolated = unpack(current, target);
    if (!(target.is_finite() && acceptable(posterior, extrapolated, first_loglik))) {
      *alpha_max = std::max(1.0, *alpha_max / 4.0);
      return second;
    }
    return map(extrapolated);
  };
}

}  // namespace moe
