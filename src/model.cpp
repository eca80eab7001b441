#include "moe/model.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/grouping.hpp"
#include "moe/multinomial.hpp"
#include "moe/point_mass.hpp"
#include "moe/shape_family.hpp"
#include "moe/student_t.hpp"

namespace moe {
namespace {

// Successes in m Bernoulli(p) trials.
double successes(double m, double p, Rng& rng) {
  double count = 0.0;
  for (double t = 0.0; t < m; t += 1.0) count += rng.uniform() < p ? 1.0 : 0.0;
  return count;
}

// The index that u ~ U(0, 1) falls on among the probabilities `probs` (the last when round-off leaves u above their sum).
arma::uword draw_index(const arma::rowvec& probs, double u) {
  arma::uword k = 0;
  for (double cum = probs(0); k + 1 < probs.n_elem && u >= cum; cum += probs(++k)) {
  }
  return k;
}

}  // namespace

void validate_model(const Model& model, const char* who) {
  const arma::mat& experts = model.experts.coef;
  const arma::mat& gate = model.gate.coef;
  const arma::uword K = gate.n_cols;
  require(K >= 1 && experts.n_cols == K, who,
          "the experts' and the gate's coefficients must have one column per expert (" +
              std::to_string(experts.n_cols) + " and " + std::to_string(K) + ")");
  require(experts.is_finite() && gate.is_finite(), who, "coefficients must be finite");
  require(arma::all(gate.col(K - 1) == 0.0), who,
          "the last gate column is the reference and must be zero (subtract it from every column)");
  const arma::uvec& shared = model.experts.shared;
  require(is_valid_shared_set(shared, experts.n_rows), who,
          "the shared expert rows must be distinct rows of the coefficients, leaving at least one row to each expert");
  for (const arma::uword j : shared)
    require(arma::all(experts.row(j) == experts(j, 0)), who,
            "shared expert row " + std::to_string(j + 1) + " must hold one value for every expert");
  require(!model.experts.point_mass || (K >= 2 && takes_point_mass(model.experts.family) &&
                                        std::isfinite(*model.experts.point_mass)),
          who, "a point-mass expert needs K >= 2 experts of a family of counts and a finite value");
  const Experts& e = model.experts;
  require((e.family == Family::multinomial) == (e.levels > 0), who, "levels are for multinomial experts only");
  require(e.levels == 0 || (e.levels >= 2 && experts.n_rows % (e.levels - 1) == 0 && e.shared.is_empty()), who,
          "multinomial experts need C >= 2 levels, p(C - 1) coefficients per expert and no shared rows");
  require(has_scale(model.experts.family) || !model.experts.common_sigma, who,
          "a common sigma is for gaussian and t experts only");
  if (const ShapeParameter s = shape_parameter(model.experts.family); !s.name.empty()) {
    const arma::vec& shape = model.experts.shape;
    require(shape.n_elem == K && shape.is_finite() && arma::all(shape > 0.0), who,
            s.name + " must hold K = " + std::to_string(K) + " positive finite values");
  }
  if (!has_scale(model.experts.family)) return;
  const arma::vec& sigma = model.experts.sigma;
  require(sigma.n_elem == K && sigma.is_finite() && arma::all(sigma > 0.0), who,
          "sigma must hold K = " + std::to_string(K) + " positive finite values");
  require(!model.experts.common_sigma || arma::all(sigma == sigma(0)), who,
          "with a common sigma, all K values of sigma must be equal");
}

arma::mat log_joint(const Model& model, const Dataset& data, const Kernels& kernels) {
  return model.gate.log_probs(data.Z, kernels) + model.experts.log_density(data.X, data.y, data.offset, data.trials);
}

double log_likelihood(const Model& model, const Dataset& data, const Kernels& kernels) {
  if (!data.grouped()) return data.weighted_sum(row_logsumexp(kernels, log_joint(model, data, kernels)));
  double loglik = 0.0;
  responsibilities(model, data, &loglik, kernels);
  return loglik;
}

arma::mat responsibilities(const Model& model, const Dataset& data, double* loglik,
                           const Kernels& kernels) {
  arma::mat R;
  const double l = e_step(data, model.gate.log_probs(data.Z, kernels),
                          model.experts.log_density(data.X, data.y, data.offset, data.trials), kernels, R);
  if (loglik) *loglik = l;
  return R;
}

Prediction predict(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& offset) {
  require(X.n_rows == Z.n_rows, "predict", "X and Z must have the same number of rows");
  require(X.n_cols == model.experts.n_inputs(), "predict",
          "X has " + std::to_string(X.n_cols) + " columns, the model expects " +
              std::to_string(model.experts.n_inputs()));
  require(Z.n_cols == model.gate.coef.n_rows, "predict",
          "Z has " + std::to_string(Z.n_cols) + " columns, the model expects " +
              std::to_string(model.gate.coef.n_rows));
  Prediction out;
  out.gate = arma::exp(model.gate.log_probs(Z));
  require(offset.is_empty() || offset.n_elem == X.n_rows, "predict", "the offset must have one value per row");
  if (model.experts.family == Family::multinomial) {
    out.expert_levels = level_probabilities(model.experts, X);
    out.levels.zeros(X.n_rows, model.experts.levels);
    for (arma::uword k = 0; k < model.K(); ++k) out.levels += out.expert_levels.slice(k).each_col() % out.gate.col(k);
    return out;
  }
  out.experts = model.experts.mean(X, offset);
  out.mean = arma::sum(out.gate % out.experts, 1);
  return out;
}

arma::vec sample(const Model& model, const arma::mat& X, const arma::mat& Z, Rng& rng,
                 arma::uvec* labels, const arma::vec& offset, const arma::vec& trials, const arma::uvec& group) {
  require(trials.is_empty() || trials.n_elem == X.n_rows, "sample", "the trials must have one value per row");
  require(group.is_empty() || group.n_elem == X.n_rows, "sample", "the groups must have one value per row");
  const Prediction p = predict(model, X, Z, offset);
  arma::vec y(X.n_rows);
  arma::uvec drawn(X.n_rows);
  const arma::uword none = model.K();  // a group not drawn yet
  arma::uvec expert_of_group(group.is_empty() ? 0 : group.max() + 1, arma::fill::value(none));
  for (arma::uword i = 0; i < X.n_rows; ++i) {
    arma::uword k = group.is_empty() ? none : expert_of_group(group(i));
    if (k == none) {
      k = draw_index(p.gate.row(i), rng.uniform());
      if (!group.is_empty()) expert_of_group(group(i)) = k;
    }
    drawn(i) = k;
    if (model.experts.point_mass && k + 1 == model.K()) {
      y(i) = *model.experts.point_mass;
      continue;
    }
    switch (model.experts.family) {
      case Family::gaussian: y(i) = p.experts(i, k) + model.experts.sigma(k) * rng.normal(); break;
      case Family::binomial: y(i) = successes(trials.is_empty() ? 1.0 : trials(i), p.experts(i, k), rng); break;
      case Family::poisson: y(i) = rng.poisson(p.experts(i, k)); break;
      case Family::negbin:  // a Poisson count whose rate is Gamma(θ, μ/θ)
        y(i) = rng.poisson(p.experts(i, k) / model.experts.shape(k) * rng.gamma(model.experts.shape(k)));
        break;
      case Family::gamma: y(i) = p.experts(i, k) / model.experts.shape(k) * rng.gamma(model.experts.shape(k)); break;
      case Family::t: {  // a normal draw over √(χ²_ν/ν), χ²_ν = 2 Gamma(ν/2)
        const double nu = model.experts.shape(k);
        y(i) = p.experts(i, k) + model.experts.sigma(k) * rng.normal() / std::sqrt(2.0 * rng.gamma(0.5 * nu) / nu);
        break;
      }
      case Family::multinomial: y(i) = draw_index(p.expert_levels.slice(k).row(i), rng.uniform()); break;
    }
  }
  if (labels) *labels = drawn;
  return y;
}

namespace {

// Gate columns 0..K−2 of `gate`, vectorise(experts) and, for families with a
// dispersion (σ or θ; t experts: σ and ν), `log_positive` (laid out as
// Experts::positive_parameters): free_index()'s full layout of these values.
arma::vec in_full_layout(const Model& model, const arma::mat& gate, const arma::mat& experts,
                         const arma::vec& log_positive) {
  arma::vec full = arma::join_vert(arma::vectorise(gate.head_cols(model.K() - 1)), arma::vectorise(experts));
  if (model.experts.has_dispersion()) full = arma::join_vert(full, log_positive);
  return full;
}

// first, first + 1, ..., first + count − 1.
arma::uvec consecutive(arma::uword first, arma::uword count) {
  arma::uvec v(count);
  for (arma::uword i = 0; i < count; ++i) v(i) = first + i;
  return v;
}

}  // namespace

arma::uvec free_index(const Model& model) {
  const arma::uword gate_free = model.gate.n_free(), coefficients = model.experts.n_coefficients();
  const arma::uword not_free = model.n_free();
  arma::uvec slots = gate_free + model.experts.coefficient_slots();
  slots.elem(arma::find(slots == gate_free + coefficients)).fill(not_free);  // a point mass's own rows
  arma::uvec index = arma::join_vert(consecutive(0, gate_free), slots);
  if (model.experts.has_dispersion()) {
    const arma::uword K = model.K(), first = gate_free + coefficients;
    arma::uvec dispersion = model.experts.common_sigma ? arma::uvec(K, arma::fill::value(first)) : consecutive(first, K);
    if (model.experts.point_mass) dispersion(K - 1) = not_free;
    index = arma::join_vert(index, dispersion);
  }
  if (model.experts.has_free_nu())  // after the σ's (t experts have no point mass)
    index = arma::join_vert(index, consecutive(gate_free + coefficients + (model.experts.common_sigma ? 1 : model.K()),
                                               model.K()));
  return index;
}

arma::vec pack(const Model& model) {
  arma::vec theta(model.n_free() + 1);  // the last entry takes what is not a parameter (free_index)
  theta.elem(free_index(model)) =
      in_full_layout(model, model.gate.coef, model.experts.coef, arma::log(model.experts.positive_parameters()));  // shared entries are equal: any one of them serves
  return theta.head(model.n_free());
}

arma::vec in_full_layout(const Model& model, const arma::vec& packed, double not_free) {
  arma::vec with_not_free(packed.n_elem + 1);
  with_not_free.head(packed.n_elem) = packed;
  with_not_free(packed.n_elem) = not_free;
  return with_not_free.elem(free_index(model));
}

Model unpack(const Model& shape, const arma::vec& theta) {
  require(theta.n_elem == shape.n_free(), "unpack", "parameter vector has the wrong length");
  Model model = shape;
  const arma::vec full = in_full_layout(shape, theta, 0.0);
  const arma::uword q = shape.gate.coef.n_rows, K = shape.K(), p = shape.experts.coef.n_rows, gate_free = q * (K - 1);
  model.gate.coef.zeros();
  if (K > 1) model.gate.coef.cols(0, K - 2) = arma::reshape(full.head(gate_free), q, K - 1);
  model.experts.coef = arma::reshape(full.subvec(gate_free, gate_free + p * K - 1), p, K);
  const arma::uword positive = full.n_elem - gate_free - p * K;
  if (positive > 0) model.experts.set_positive_parameters(arma::exp(full.tail(positive)));
  return model;
}

arma::vec gradient(const Model& model, const Dataset& data, const Kernels& kernels) {
  return gradient_at(model, data, responsibilities(model, data, nullptr, kernels), kernels);
}

arma::vec gradient_at(const Model& model, const Dataset& data, const arma::mat& R,
                      const Kernels& kernels) {
  const arma::mat Pi = arma::exp(model.gate.log_probs(data.Z, kernels));
  arma::mat g_gate;
  kernels.cross(g_gate, data.Z, data.group_weighted(R - Pi));  // ∂ℓ/∂w_k = Zᵀ diag(w) (r_k − π_k), a group once
  const arma::mat WR = data.weighted(R);
  arma::mat expert_weights;  // ∂ℓ/∂η_ik, η = x·β_k
  arma::rowvec g_sigma;  // ∂ℓ/∂log σ_k or ∂ℓ/∂log s_k; t experts: then ∂ℓ/∂log ν_k
  if (model.experts.family == Family::multinomial) {  // ∂ℓ/∂η_ikc for the levels c ≥ 1, expert by expert
    arma::mat g_experts;
    kernels.cross(g_experts, data.X, multinomial_eta_scores(model.experts, data.X, data.y, WR));
    return pack_gradient(model, g_gate, arma::reshape(g_experts, model.experts.coef.n_rows, model.K()), g_sigma);
  }
  const arma::mat mean = model.experts.mean(data.X, data.offset, data.trials);
  if (model.experts.family == Family::t) {
    const Experts& t = model.experts;
    const arma::mat u = t_scale_weights(data.y, mean, t.sigma, t.shape), resid = residuals(data.y, mean);
    arma::mat scaled = resid;
    scaled.each_row() /= arma::square(t.sigma.t());  // (y − xβ_k) / σ_k²
    expert_weights = WR % u % scaled;
    g_sigma = arma::sum(WR % (u % resid % scaled - 1.0), 0);  // ∂ℓ/∂log σ_k = Σ w (u z² − 1)
    if (t.has_free_nu()) {
      arma::mat nu_score, nu_curvature;
      t_log_nu_terms(nu_score, nu_curvature, data.y, mean, t.sigma, t.shape);
      g_sigma = arma::join_horiz(g_sigma, arma::sum(WR % nu_score, 0));
    }
  } else if (const ShapeFamily* shaped = shape_family(model.experts.family)) {
    const arma::mat eta = linear_predictor(data.X, model.experts.coef, data.offset);
    arma::mat curvature, shape_score;
    shaped->eta_terms(expert_weights, curvature, WR, WR.each_col() % data.y, eta, model.experts.shape);
    shaped->log_shape_terms(shape_score, curvature, data.y, eta, model.experts.shape);
    g_sigma = arma::sum(WR % shape_score, 0);
  } else if (model.experts.family == Family::gaussian) {
    const arma::rowvec var = arma::square(model.experts.sigma.t());
    const arma::mat resid = residuals(data.y, mean);
    arma::mat scaled = resid;
    scaled.each_row() /= var;  // (y − xβ_k) / σ_k²
    expert_weights = WR % scaled;
    g_sigma = arma::sum(WR % (resid % scaled - 1.0), 0);  // ∂ℓ/∂log σ_k
  } else {
    expert_weights = WR % residuals(data.y, mean);
  }
  arma::mat g_experts;
  kernels.cross(g_experts, data.X, expert_weights);
  return pack_gradient(model, g_gate, g_experts, g_sigma);
}

arma::vec pack_gradient(const Model& model, const arma::mat& gate, const arma::mat& experts,
                        const arma::rowvec& log_sigma) {
  const arma::vec full = in_full_layout(model, gate, experts, log_sigma.t());  // t experts: ∂/∂log σ, then ∂/∂log ν
  arma::vec g(model.n_free() + 1, arma::fill::zeros);  // the last entry takes what is not a parameter
  const arma::uvec index = free_index(model);
  for (arma::uword f = 0; f < full.n_elem; ++f) g(index(f)) += full(f);
  return g.head(model.n_free());
}

}  // namespace moe
