#include "moe/trace.hpp"

#include <cmath>

namespace moe {

std::string to_string(StopReason reason) {
  switch (reason) {
    case StopReason::converged: return "converged";
    case StopReason::max_iter: return "max_iter";
    case StopReason::numerical_error: return "numerical_error";
    case StopReason::diverged: return "diverged";
  }
  return "unknown";
}

std::vector<arma::uword> Trace::decreases(double rel_tol) const {
  std::vector<arma::uword> out;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i].delta < -rel_tol * (1.0 + std::abs(rows[i].loglik))) out.push_back(rows[i].iteration);
  return out;
}

}  // namespace moe
