#include "moe/inference.hpp"

#include <cmath>

namespace moe {

arma::mat observed_information(const Model& model, const Dataset& data, const Kernels& kernels) {
  const arma::vec theta = pack(model);
  arma::mat H(theta.n_elem, theta.n_elem);
  for (arma::uword j = 0; j < theta.n_elem; ++j) {
    const double h = 1e-5 * (1.0 + std::abs(theta(j)));
    arma::vec up = theta, down = theta;
    up(j) += h;
    down(j) -= h;
    H.col(j) = (gradient(unpack(model, up), data, kernels) -
                gradient(unpack(model, down), data, kernels)) / (2.0 * h);
  }
  return -0.5 * (H + H.t());
}

StandardErrors standard_errors(const Model& model, const Dataset& data, const Kernels& kernels) {
  const arma::mat info = observed_information(model, data, kernels);
  arma::mat covariance;
  arma::vec se(info.n_rows);
  StandardErrors out;
  out.valid = info.is_finite() && arma::inv_sympd(covariance, info);
  if (out.valid) {
    se = arma::sqrt(covariance.diag());
  } else {
    se.fill(arma::datum::nan);
    out.note = "the observed information is not positive definite (a boundary or unidentified fit)";
  }
  // pack() order: gate columns 0..K−2, expert coefficients, then log σ.
  const arma::uword q = model.gate.coef.n_rows, K = model.K(), p = model.experts.coef.n_rows;
  const arma::uword gate_free = q * (K - 1);
  out.gate.zeros(q, K);
  if (K > 1) out.gate.head_cols(K - 1) = arma::reshape(se.head(gate_free), q, K - 1);
  out.experts = arma::reshape(se.subvec(gate_free, gate_free + p * K - 1), p, K);
  if (model.experts.family == Family::gaussian) {
    const arma::vec log_sigma_se = se.tail(se.n_elem - gate_free - p * K);
    out.sigma = model.experts.sigma % (model.experts.common_sigma
                                           ? arma::vec(K, arma::fill::value(log_sigma_se(0)))
                                           : log_sigma_se);
  }
  return out;
}

}  // namespace moe
