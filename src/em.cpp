#include "moe/em.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/grouping.hpp"
#include "moe/multinomial.hpp"
#include "moe/point_mass.hpp"
#include "moe/shape_family.hpp"
#include "moe/student_t.hpp"
#include "moe/search.hpp"
#include "moe/squarem.hpp"

namespace moe {

EM::EM(EMOptions options) : options_(std::move(options)) {
  validate(options_.control, "EM");
  require(std::isfinite(options_.experts.fixed_nu) && options_.experts.fixed_nu >= 0.0, "EM",
          "nu must be a positive number (the t experts' degrees of freedom), or 0 to estimate them");
  if (!options_.exact_gate) options_.gate.max_iter = 1;
}

namespace {

// The sample variance of y, each row counted as often as its weight (the
// variance of the rows repeated); 1 with fewer than two rows.
double variance_of_response(const Dataset& data) {
  const double total = data.total_weight();
  if (total <= 1.0) return 1.0;
  const double mean = data.weighted_sum(data.y) / total;
  return data.weighted_sum(arma::square(data.y - mean)) / (total - 1.0);
}

}  // namespace

ExpertMStepOptions EM::expert_options(const Dataset& data) const {
  ExpertMStepOptions experts = options_.experts;
  const double var_y = variance_of_response(data);
  experts.variance_floor = options_.relative_variance_floor * (var_y > 0.0 ? var_y : 1.0);
  return experts;
}

Model EM::m_step(const ExpertSums& experts, GateSums& gate, const ExpertMStepOptions& expert_options,
                 const Model& current, GateCurvature* curvature) const {
  Model next = current;
  update_experts(next.experts, experts, expert_options, *options_.control.kernels);
  update_gate(next.gate, gate, options_.gate, *options_.control.kernels, curvature);
  return next;
}

Model EM::m_step(const Dataset& data, const ExpertStatistics& stats, const arma::mat& gate_targets,
                 const Model& current, GateCurvature* curvature) const {
  const Kernels& kernels = *options_.control.kernels;
  HostGateSums gate(data.Z, gate_targets, kernels);
  return m_step(HostExpertSums(data.X, data.offset, stats, kernels), gate, expert_options(data), current, curvature);
}

Model EM::m_step(const Dataset& data, const arma::mat& R, const Model& current) const {
  return m_step(data, posterior_statistics(data.weighted(R), data.y, data.trials), data.group_weighted(R), current);
}

Fit EM::run(const Dataset& data, Model start, arma::uword s) const {
  const std::unique_ptr<Posterior> posterior = options_.control.kernels->posterior(data);
  const ExpertMStepOptions experts = expert_options(data);
  GateCurvature curvature;  // responsibilities' rows sum to 1: it depends on the gate alone
  Step step = [&](const Model& current) {
    return m_step(posterior->expert_sums(), posterior->gate_sums(), experts, current, &curvature);
  };
  if (options_.squarem) step = squarem(std::move(step), *posterior);
  return iterate(data, std::move(start), *posterior, step, options_.control, s);
}

Model EM::initial_model(const Dataset& data, arma::uword K, Family family, bool common_sigma,
                        arma::uword s) const {
  Rng rng(start_seed(options_.control.seed, s));
  return starting_model(*this, data, K, family, common_sigma, init_of_start(options_.control.init, data, s), rng);
}


// IRLS's first coefficients, as glm's: the weighted least-squares fit of the
// link of a mean near y (canonical.hpp) with weights R, for every expert. From
// β = 0 instead, counts of 1e12 need Newton steps that no halving brings back.
arma::mat EM::working_start(const Dataset& data, const arma::mat& R, Family family) const {
  const Kernels& kernels = *options_.control.kernels;
  Experts least_squares{Family::gaussian, arma::zeros(data.X.n_cols, R.n_cols), arma::ones(R.n_cols), false,
                        data.shared_columns, arma::vec(), data.point_mass};
  const ExpertStatistics stats = posterior_statistics(data.weighted(R), starting_link(family, data.y, data.trials));
  update_experts(least_squares, HostExpertSums(data.X, data.offset, stats, kernels), options_.experts, kernels);
  return least_squares.coef;
}

Model EM::model_from(const Dataset& data, const arma::mat& row_R, Family family, bool common_sigma) const {
  require(row_R.n_rows == data.n() && row_R.n_cols >= 1 && row_R.is_finite() && row_R.min() >= 0.0, "EM::model_from",
          "responsibilities must be a finite, non-negative n×K matrix");
  require(has_scale(family) || !common_sigma, "EM::model_from", "a common sigma is for gaussian and t experts only");
  arma::mat R = pooled_by_group(row_R, data);  // a group's rows share one expert
  if (data.point_mass) keep_point_mass_on_support(R, data.y, *data.point_mass);
  const arma::uword K = R.n_cols;
  Model shape{Gate::uniform(data.Z.n_cols, K), Experts{family, arma::zeros(data.X.n_cols, K), arma::vec(), common_sigma,
                                                       data.shared_columns, arma::vec(), data.point_mass}};
  if (has_scale(family))
    shape.experts.sigma = arma::vec(K, arma::fill::value(std::max(arma::stddev(data.y), 1e-8)));
  if (family == Family::multinomial) {  // Newton from β = 0: its objective is concave and bounded above
    shape.experts.levels = count_levels(data.y);
    shape.experts.coef.zeros(data.X.n_cols * (shape.experts.levels - 1), K);
  } else if (family != Family::gaussian) {  // the t's first scale weights come from least squares
    shape.experts.coef = working_start(data, R, family);
  }
  if (const ShapeFamily* shaped = shape_family(family))
    shape.experts.shape = arma::vec(K, arma::fill::value(shaped->moment_shape(data.y)));
  const double fixed_nu = options_.experts.fixed_nu;
  require(fixed_nu == 0.0 || family == Family::t, "EM::model_from", "nu is for t experts only");
  if (family == Family::t) {
    shape.experts.shape = arma::vec(K, arma::fill::value(fixed_nu > 0.0 ? fixed_nu : kStartNu));
    shape.experts.shape_fixed = fixed_nu > 0.0;
  }
  if (data.point_mass && shape.experts.has_dispersion()) shape.experts.dispersion()(K - 1) = 1.0;  // as unpack's
  return m_step(data, R, shape);
}

Fit EM::fit(const Dataset& data, arma::uword K, Family family, bool common_sigma) const {
  return search(data, K, family, common_sigma, *this,
                [&](const Dataset& rows, const Model&, const Fit& screened, arma::uword s, bool record_gradient) {
                  return resume(rows, screened, s, record_gradient);
                });
}

Fit EM::fit_from(const Dataset& data, const Model& start) const {
  validate_start(data, start, "EM::fit_from");
  return run(data, start, 0);
}

Fit EM::resume(const Dataset& data, const Fit& head, arma::uword s, bool record_gradient) const {
  const arma::uword left = options_.control.max_iter - std::min(head.iterations, options_.control.max_iter);
  if (head.trace.stop_reason != StopReason::max_iter || left == 0) return head;
  EMOptions rest = options_;
  rest.control.max_iter = left;
  rest.control = recording(rest.control, record_gradient);
  return continued(head, EM(rest).run(data, head.model, s));
}

void validate_start(const Dataset& data, const Model& start, const char* who) {
  validate_model(start, who);
  validate(data, start.experts.family, start.K());
  require(start.experts.n_inputs() == data.X.n_cols && start.gate.coef.n_rows == data.Z.n_cols,
          who, "the starting model does not match the data's designs");
  require(start.experts.family != Family::multinomial || start.experts.levels == count_levels(data.y), who,
          "the starting model's experts have " + std::to_string(start.experts.levels) + " levels, the response " +
              std::to_string(count_levels(data.y)));
  const arma::uvec& shared = start.experts.shared;
  require(shared.n_elem == data.shared_columns.n_elem && arma::all(shared == data.shared_columns), who,
          "the starting model's shared expert rows are not the data's shared columns");
}

}  // namespace moe
