#include "moe/degeneracy.hpp"

#include <cmath>
#include <cstdio>

namespace moe {
namespace {

// Expert k's parameters: its coefficients, then its log dispersion (log σ_k, log θ_k) if it has one.
arma::vec expert_parameters(const Experts& experts, arma::uword k) {
  arma::vec theta = experts.coef.col(k);
  if (experts.has_dispersion()) theta = arma::join_vert(theta, arma::vec{std::log(experts.dispersion()(k))});
  return theta;
}

std::string numbered(const char* format, double a, double b, double c = 0.0) {
  char text[160];
  std::snprintf(text, sizeof text, format, a, b, c);
  return text;
}

}  // namespace

std::string coinciding_experts(const Experts& experts, double tol) {
  for (arma::uword k = 1; k < experts.n_regression(); ++k) {
    const arma::vec theta_k = expert_parameters(experts, k);
    for (arma::uword j = 0; j < k; ++j)
      if (arma::norm(expert_parameters(experts, j) - theta_k) <= tol * (1.0 + arma::norm(theta_k)))
        return numbered("experts %.0f and %.0f coincide", static_cast<double>(j + 1), static_cast<double>(k + 1));
  }
  return "";
}

std::string degeneracy(const Model& model, const Dataset& data, const arma::mat& R) {
  const std::string same = coinciding_experts(model.experts);
  if (!same.empty()) return same;
  const arma::rowvec rows = arma::sum(data.weighted(R), 0);
  const double parameters = static_cast<double>(model.experts.coef.n_rows) +
                            (model.experts.has_dispersion() ? 1.0 : 0.0);
  for (arma::uword k = 0; k < model.experts.n_regression(); ++k)  // rows counted to the nearest whole row
    if (rows(k) < parameters - 0.5)
      return numbered("expert %.0f has %.3g effective rows for %.0f parameters", static_cast<double>(k + 1), rows(k),
                      parameters);
  return "";
}

}  // namespace moe
