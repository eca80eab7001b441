#include "moe/multivariate_information.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "moe/multivariate_bootstrap.hpp"

namespace moe {
namespace {

bool shared_covariance(Covariance s) { return s == Covariance::EII || s == Covariance::EEI || s == Covariance::EEE; }
bool full_covariance(Covariance s) { return s == Covariance::EEE || s == Covariance::VVV; }

// The covariance matrices that carry parameters: one when shared, else K.
arma::uword carriers(const MultivariateExperts& experts) {
  return shared_covariance(experts.structure) ? 1 : experts.n_experts();
}

// One covariance matrix's working parameters.
arma::vec covariance_parameters_of(Covariance structure, const arma::mat& sigma) {
  const arma::uword m = sigma.n_rows;
  if (full_covariance(structure)) {
    arma::mat L = arma::chol(sigma, "lower");
    L.diag() = arma::log(L.diag());
    return L.elem(arma::trimatl_ind(arma::size(m, m)));
  }
  if (structure == Covariance::EII || structure == Covariance::VII) return arma::vec{std::log(sigma(0, 0))};
  return arma::log(sigma.diag());
}

// The covariance matrix of m responses from its working parameters.
arma::mat covariance_of(Covariance structure, const arma::vec& c, arma::uword m) {
  if (full_covariance(structure)) {
    arma::mat L(m, m, arma::fill::zeros);
    L.elem(arma::trimatl_ind(arma::size(m, m))) = c;
    L.diag() = arma::exp(L.diag());
    return L * L.t();
  }
  if (structure == Covariance::EII || structure == Covariance::VII) return std::exp(c(0)) * arma::eye(m, m);
  return arma::diagmat(arma::exp(c));
}

// dℓ/dc of one covariance matrix's working parameters, from G = dℓ/dΣ (symmetric, summed over the experts that share it).
arma::vec covariance_gradient(Covariance structure, const arma::mat& sigma, const arma::mat& G) {
  const arma::uword m = sigma.n_rows;
  if (full_covariance(structure)) {
    const arma::mat L = arma::chol(sigma, "lower");
    arma::mat dL = 2.0 * G * L;
    dL.diag() %= L.diag();  // the diagonal is parametrized by its log
    return dL.elem(arma::trimatl_ind(arma::size(m, m)));
  }
  if (structure == Covariance::EII || structure == Covariance::VII) return arma::vec{arma::trace(G) * sigma(0, 0)};
  return G.diag() % sigma.diag();
}

// The central-difference step of a working parameter.
double difference_step(double value) { return 1e-5 * std::max(1.0, std::abs(value)); }

// θ with its j-th entry moved by h.
arma::vec shifted(arma::vec theta, arma::uword j, double h) {
  theta(j) += h;
  return theta;
}

// −(the central differences of a gradient g in θ), symmetrized: the
// information matrix of which g is the score.
arma::mat information_by_differences(const MultivariateModel& model,
                                     const std::function<arma::vec(const MultivariateModel&)>& g) {
  const arma::vec theta = pack(model);
  arma::mat H(theta.n_elem, theta.n_elem);
  for (arma::uword j = 0; j < theta.n_elem; ++j) {
    const double h = difference_step(theta(j));
    H.col(j) = (g(unpack(shifted(theta, j, h), model)) - g(unpack(shifted(theta, j, -h), model))) / (2.0 * h);
  }
  return -0.5 * (H + H.t());
}

}  // namespace

arma::vec pack(const MultivariateModel& model) {
  const MultivariateExperts& e = model.experts;
  arma::vec theta = arma::join_vert(arma::vectorise(model.gate.coef.head_cols(model.K() - 1)), arma::vectorise(e.coef));
  for (arma::uword k = 0; k < carriers(e); ++k)
    theta = arma::join_vert(theta, covariance_parameters_of(e.structure, e.covariance.slice(k)));
  return theta;
}

MultivariateModel unpack(const arma::vec& theta, const MultivariateModel& shape) {
  MultivariateModel model = shape;
  const arma::uword K = shape.K(), m = shape.experts.n_responses(), gate = shape.gate.coef.n_rows * (K - 1);
  model.gate.coef.zeros();
  model.gate.coef.head_cols(K - 1) = arma::reshape(theta.head(gate), shape.gate.coef.n_rows, K - 1);
  arma::uword at = gate;
  model.experts.coef = arma::cube(theta.memptr() + at, shape.experts.coef.n_rows, m, K);
  at += shape.experts.coef.n_elem;
  const arma::uword per = covariance_parameters(shape.experts.structure, m, 1);
  for (arma::uword k = 0; k < K; ++k) {
    const arma::uword carrier = shared_covariance(shape.experts.structure) ? 0 : k;
    model.experts.covariance.slice(k) = covariance_of(shape.experts.structure, theta.subvec(at + carrier * per, arma::size(per, 1)), m);
  }
  return model;
}

arma::vec gradient(const MultivariateModel& model, const MultivariateData& data) {
  return complete_gradient(model, data, responsibilities(model, data));  // Fisher's identity
}

arma::vec complete_gradient(const MultivariateModel& model, const MultivariateData& data,
                            const arma::mat& responsibilities) {
  const MultivariateExperts& e = model.experts;
  const arma::uword K = model.K();
  const arma::mat R = data.weighted(responsibilities), pi = data.weighted(arma::exp(model.gate.log_probs(data.Z)));
  arma::vec out = arma::vectorise(data.Z.t() * (R.head_cols(K - 1) - pi.head_cols(K - 1)));
  arma::cube dB(arma::size(e.coef));
  arma::cube G(arma::size(e.covariance));
  for (arma::uword k = 0; k < K; ++k) {
    const arma::mat inverse = arma::inv_sympd(e.covariance.slice(k));
    const arma::mat E = data.Y - data.X * e.coef.slice(k);
    const arma::mat RE = E.each_col() % R.col(k);
    dB.slice(k) = data.X.t() * RE * inverse;
    G.slice(k) = 0.5 * (inverse * (E.t() * RE) * inverse - arma::accu(R.col(k)) * inverse);
  }
  out = arma::join_vert(out, arma::vectorise(dB));
  if (shared_covariance(e.structure))
    return arma::join_vert(out, covariance_gradient(e.structure, e.covariance.slice(0), arma::sum(G, 2)));
  for (arma::uword k = 0; k < K; ++k)
    out = arma::join_vert(out, covariance_gradient(e.structure, e.covariance.slice(k), G.slice(k)));
  return out;
}

arma::mat observed_information(const MultivariateModel& model, const MultivariateData& data) {
  return information_by_differences(model, [&data](const MultivariateModel& m) { return gradient(m, data); });
}

arma::mat complete_information(const MultivariateModel& model, const MultivariateData& data) {
  const arma::mat R = responsibilities(model, data);
  return information_by_differences(model, [&](const MultivariateModel& m) { return complete_gradient(m, data, R); });
}

LocalRates local_rates(const MultivariateModel& model, const MultivariateData& data) {
  const arma::uword K = model.K(), gate = model.gate.coef.n_rows * (K - 1), per_expert = model.experts.coef.n_rows *
                                                                                      model.experts.n_responses();
  std::vector<std::string> names;
  if (K > 1) names.emplace_back("gate");
  for (arma::uword k = 0; k < K; ++k) names.push_back("expert" + std::to_string(k + 1));
  const bool shared = shared_covariance(model.experts.structure);
  if (shared) names.emplace_back("covariance");
  const arma::uword first_expert = K > 1 ? 1 : 0;
  const arma::uword per_covariance = covariance_parameters(model.experts.structure, model.experts.n_responses(), 1);
  arma::uvec block_of(pack(model).n_elem, arma::fill::zeros);
  for (arma::uword k = 0; k < K; ++k) block_of.subvec(gate + k * per_expert, arma::size(per_expert, 1)).fill(first_expert + k);
  const arma::uword covariances = gate + K * per_expert;
  for (arma::uword c = 0; c < carriers(model.experts); ++c)
    block_of.subvec(covariances + c * per_covariance, arma::size(per_covariance, 1)).fill(shared ? names.size() - 1 : first_expert + c);
  return LocalRates(observed_information(model, data), complete_information(model, data), data.total_weight(),
                    std::move(names), std::move(block_of));
}

MultivariateStandardErrors standard_errors(const MultivariateModel& model, const MultivariateData& data) {
  const arma::vec theta = pack(model);
  const arma::vec natural = multivariate_parameters(model);
  arma::mat J(natural.n_elem, theta.n_elem);
  for (arma::uword j = 0; j < theta.n_elem; ++j) {  // central differences of the natural parameters
    const double h = difference_step(theta(j));
    J.col(j) = (multivariate_parameters(unpack(shifted(theta, j, h), model)) -
                multivariate_parameters(unpack(shifted(theta, j, -h), model))) / (2.0 * h);
  }
  MultivariateStandardErrors out;
  arma::mat inverse;
  out.valid = arma::inv_sympd(inverse, observed_information(model, data));
  if (!out.valid) {
    out.note = "the observed information is not positive definite (a boundary, or too few rows)";
    out.se = arma::vec(natural.n_elem, arma::fill::value(arma::datum::nan));
    return out;
  }
  out.covariance = J * inverse * J.t();
  out.se = arma::sqrt(out.covariance.diag());
  return out;
}

}  // namespace moe
