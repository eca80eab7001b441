#include "moe/covariance.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe {

const std::vector<Covariance>& covariance_structures() {
  static const std::vector<Covariance> all{Covariance::EII, Covariance::VII, Covariance::EEI,
                                           Covariance::VVI, Covariance::EEE, Covariance::VVV};
  return all;
}

std::string to_string(Covariance structure) {
  switch (structure) {
    case Covariance::EII: return "EII";
    case Covariance::VII: return "VII";
    case Covariance::EEI: return "EEI";
    case Covariance::VVI: return "VVI";
    case Covariance::EEE: return "EEE";
    case Covariance::VVV: break;
  }
  return "VVV";
}

Covariance parse_covariance(const std::string& name) {
  for (const Covariance s : covariance_structures())
    if (name == to_string(s)) return s;
  throw std::invalid_argument("moe::parse_covariance(): unknown covariance structure '" + name +
                              "' (use EII, VII, EEI, VVI, EEE or VVV)");
}

arma::uword covariance_parameters(Covariance structure, arma::uword m, arma::uword K) {
  const arma::uword full = m * (m + 1) / 2;
  switch (structure) {
    case Covariance::EII: return 1;
    case Covariance::VII: return K;
    case Covariance::EEI: return m;
    case Covariance::VVI: return K * m;
    case Covariance::EEE: return full;
    case Covariance::VVV: break;
  }
  return K * full;
}

namespace {

// Σ_k of one expert from its scatter W_k and weight n_k, and the pooled W and n.
arma::mat structured(Covariance structure, const arma::mat& W_k, double n_k, const arma::mat& W, double n) {
  const double m = static_cast<double>(W.n_rows);
  switch (structure) {
    case Covariance::EII: return arma::trace(W) / (m * n) * arma::eye(W.n_rows, W.n_rows);
    case Covariance::VII: return arma::trace(W_k) / (m * n_k) * arma::eye(W.n_rows, W.n_rows);
    case Covariance::EEI: return arma::diagmat(W.diag() / n);
    case Covariance::VVI: return arma::diagmat(W_k.diag() / n_k);
    case Covariance::EEE: return W / n;
    case Covariance::VVV: break;
  }
  return W_k / n_k;
}

}  // namespace

arma::cube covariance_step(Covariance structure, const arma::cube& scatter, const arma::vec& weight) {
  const arma::mat pooled = arma::sum(scatter, 2);
  const double n = arma::accu(weight);
  arma::cube out(arma::size(scatter));
  for (arma::uword k = 0; k < scatter.n_slices; ++k)
    out.slice(k) = structured(structure, scatter.slice(k), weight(k), pooled, n);
  return out;
}

double covariance_objective(const arma::cube& covariance, const arma::cube& scatter, const arma::vec& weight) {
  double q = 0.0;
  for (arma::uword k = 0; k < covariance.n_slices; ++k) {
    double log_det = 0.0, sign = 0.0;
    arma::log_det(log_det, sign, covariance.slice(k));
    q -= 0.5 * (weight(k) * log_det + arma::trace(arma::solve(covariance.slice(k), scatter.slice(k))));
  }
  return q;
}

arma::mat mvn_log_density(const arma::mat& Y, const arma::cube& means, const arma::cube& covariance) {
  const double m = static_cast<double>(Y.n_cols);
  arma::mat out(Y.n_rows, covariance.n_slices);
  for (arma::uword k = 0; k < covariance.n_slices; ++k) {
    arma::mat L;
    if (!arma::chol(L, covariance.slice(k), "lower"))
      throw numerical_error("moe::mvn_log_density(): the covariance matrix of expert " + std::to_string(k + 1) +
                            " is not positive definite");
    const arma::mat z = arma::solve(arma::trimatl(L), (Y - means.slice(k)).t());  // m×n
    out.col(k) = -0.5 * arma::sum(arma::square(z), 0).t() - arma::accu(arma::log(L.diag())) -
                 0.5 * m * std::log(2.0 * arma::datum::pi);
  }
  return out;
}

}  // namespace moe
