#include "moe/standard_errors.hpp"

#include <algorithm>
#include <cmath>

#include "moe/diagnostics.hpp"
#include "moe/shape_family.hpp"

namespace moe {

namespace {

// Root mean square of each column of a design (1 for a column of zeros).
arma::rowvec column_rms(const arma::mat& D) {
  arma::rowvec rms = arma::sqrt(arma::mean(arma::square(D), 0));
  return rms.replace(0.0, 1.0);
}

// The size of a unit change of each parameter, in pack() order: a gate
// coefficient moves its log-odds by about 1 at 1 / rms(z_j), an expert
// coefficient its mean by σ_k (Gaussian) or its log-odds by 1 (logistic) at
// σ_k / rms(x_j) or 1 / rms(x_j); log σ is unitless. A difference step taken
// relative to these does not depend on the covariates' or the response's units.
arma::vec parameter_scales(const Model& model, const Dataset& data) {
  const arma::uword K = model.K();
  const arma::rowvec gate_unit = 1.0 / column_rms(data.Z), expert_unit = 1.0 / column_rms(data.X);
  arma::mat gate = arma::repmat(gate_unit.t(), 1, K);
  arma::mat experts = arma::repmat(expert_unit.t(), model.experts.coef.n_rows / data.X.n_cols, K);  // multinomial: C − 1 blocks
  if (has_scale(model.experts.family)) experts.each_row() %= model.experts.sigma.t();
  Model scales = model;
  scales.gate.coef = gate;
  scales.experts.coef = experts;
  const arma::uword positive = model.experts.positive_parameters().n_elem;  // log σ, log θ, log ν: 1
  if (positive > 0) scales.experts.set_positive_parameters(arma::vec(positive, arma::fill::value(std::exp(1.0))));
  return pack(scales);
}

}  // namespace

arma::mat observed_information(const Model& model, const Dataset& data, const Kernels& kernels) {
  const arma::vec theta = pack(model), scale = parameter_scales(model, data);
  arma::mat H(theta.n_elem, theta.n_elem);
  for (arma::uword j = 0; j < theta.n_elem; ++j) {
    const double h = 1e-5 * (scale(j) + std::abs(theta(j)));
    arma::vec up = theta, down = theta;
    up(j) += h;
    down(j) -= h;
    H.col(j) = (gradient(unpack(model, up), data, kernels) -
                gradient(unpack(model, down), data, kernels)) / (2.0 * h);
  }
  return -0.5 * (H + H.t());
}

std::vector<std::string> parameter_names(const Model& model, const Dataset& data) {
  const arma::uword K = model.K(), p = model.experts.n_inputs(), levels = model.experts.levels;
  const auto expert = [](arma::uword k) { return "expert" + std::to_string(k + 1); };
  std::vector<std::string> full;  // free_index()'s full layout
  for (arma::uword k = 0; k + 1 < K; ++k)
    for (arma::uword j = 0; j < model.gate.coef.n_rows; ++j) full.push_back("gate." + expert(k) + ":" + data.z_name(j));
  const arma::uvec is_shared = model.experts.row_is_shared();
  for (arma::uword k = 0; k < K; ++k)
    for (arma::uword c = 1; c < std::max<arma::uword>(levels, 2); ++c)  // multinomial: level c's log-odds against level 0
      for (arma::uword j = 0; j < p; ++j)
        full.push_back((is_shared(j) ? std::string("shared") : expert(k)) +
                       (levels > 0 ? "." + data.level_name(c) : std::string()) + ":" + data.x_name(j));
  const std::string& dispersion = family_entry(model.experts.family).dispersion;
  if (!dispersion.empty())
    for (arma::uword k = 0; k < K; ++k)
      full.push_back("log_" + dispersion + "." + (model.experts.common_sigma ? std::string("common") : expert(k)));
  if (model.experts.has_free_nu())
    for (arma::uword k = 0; k < K; ++k) full.push_back("log_nu." + expert(k));
  std::vector<std::string> names(model.n_free() + 1);  // the last takes what is not a parameter (a point mass's)
  const arma::uvec index = free_index(model);
  for (arma::uword f = 0; f < full.size(); ++f) names[index(f)] = full[f];
  names.pop_back();
  return names;
}

namespace {

// The parameters of pack(model) but the log shapes at their family's ceiling
// (negbin θ, gamma and t: ν), where the expert is at a limit (Poisson, a spike,
// Gaussian) and ℓ is flat: the standard errors hold them there (NaN for them).
arma::uvec free_of_ceiling(const Model& model) {
  const Experts& e = model.experts;
  const double ceiling = shape_parameter(e.family).max;
  if (!has_shape(e.family) || e.shape_fixed) return arma::regspace<arma::uvec>(0, model.n_free() - 1);
  // free_index()'s full layout: the shapes after the coefficients (t experts: after their K σ's)
  const arma::uword K = model.K(), first = model.gate.n_free() + e.coef.n_rows * K + (has_scale(e.family) ? K : 0);
  const arma::uvec index = free_index(model);
  arma::uvec is_free(model.n_free() + 1, arma::fill::ones);  // the last takes what is not a parameter
  for (arma::uword k = 0; k < e.n_regression(); ++k)
    if (e.shape(k) >= ceiling * (1.0 - 1e-9)) is_free(index(first + k)) = 0;
  return arma::find(is_free.head(model.n_free()));
}

}  // namespace

StandardErrors standard_errors(const Model& model, const Dataset& data, const Kernels& kernels) {
  return standard_errors(model, data, observed_information(model, data, kernels));
}

StandardErrors standard_errors(const Model& model, const Dataset& data, const arma::mat& info) {
  arma::mat covariance(arma::size(info), arma::fill::value(arma::datum::nan));
  arma::vec se(info.n_rows);
  StandardErrors out;
  out.estimates = pack(model);
  out.parameters = parameter_names(model, data);
  const bool at_boundary = !boundary_warnings(model, data).empty();
  const arma::uvec free = free_of_ceiling(model);  // a shape at its ceiling is held there
  arma::mat free_covariance;
  out.valid = !at_boundary && info.is_finite() && arma::inv_sympd(free_covariance, info(free, free));
  if (out.valid) {
    covariance(free, free) = free_covariance;
    se = arma::sqrt(covariance.diag());
    out.covariance = covariance;
  } else {
    se.fill(arma::datum::nan);
    out.note = at_boundary ? at_boundary_note
                           : "the observed information is not positive definite (a boundary or unidentified fit)";
  }
  // a shared row's error in every column; NaN for a point mass's, which are not parameters
  const arma::vec full = in_full_layout(model, se, arma::datum::nan);
  const arma::uword q = model.gate.coef.n_rows, K = model.K(), p = model.experts.coef.n_rows, gate_free = q * (K - 1);
  out.gate.zeros(q, K);
  if (K > 1) out.gate.head_cols(K - 1) = arma::reshape(full.head(gate_free), q, K - 1);
  out.experts = arma::reshape(full.subvec(gate_free, gate_free + p * K - 1), p, K);
  const arma::vec positive = full.tail(full.n_elem - gate_free - p * K);  // of the logs of σ (θ, the shape), then ν
  if (has_scale(model.experts.family)) out.sigma = model.experts.sigma % positive.head(K);  // from log σ's
  if (shape_family(model.experts.family)) out.shape = model.experts.shape % positive.head(K);  // from log θ's or log ν's
  if (model.experts.has_free_nu()) out.shape = model.experts.shape % positive.tail(K);  // t: from log ν's
  return out;
}

}  // namespace moe
