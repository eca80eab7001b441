#include "moe/diagnostics.hpp"

#include <cmath>
#include <map>
#include <vector>

#include "moe/shape_family.hpp"

namespace moe {

Diagnostics diagnose(const Trace& trace, double best_loglik, double rel) {
  Diagnostics d;
  const TraceRow& last = trace.rows.back();
  d.iterations = last.iteration;
  d.seconds = last.seconds;
  d.final_loglik = last.loglik;
  d.decreases = trace.decreases().size();
  for (const TraceRow& row : trace.rows)
    if (row.loglik >= best_loglik - rel * std::abs(best_loglik)) {
      d.reached_target = true;
      d.iterations_to_target = row.iteration;
      d.seconds_to_target = row.seconds;
      break;
    }
  std::vector<double> ratios;
  const double floor = 1e-9 * std::abs(best_loglik);
  for (std::size_t t = 0; t + 1 < trace.rows.size(); ++t) {
    const double gap = best_loglik - trace.rows[t].loglik, next = best_loglik - trace.rows[t + 1].loglik;
    if (gap > floor && next > floor) ratios.push_back(next / gap);
  }
  if (!ratios.empty()) d.linear_rate = arma::median(arma::vec(ratios));
  return d;
}

namespace {

// The mean of v over the rows, each counted `weights` times (once when empty).
double row_mean(const arma::vec& v, const arma::vec& weights) {
  return weights.is_empty() ? arma::mean(v) : arma::dot(weights, v) / arma::accu(weights);
}

// The experts' linear predictors at X: n×K, or for multinomial experts
// n×K(C−1), expert k's log-odds of the levels c ≥ 1 in columns k(C−1) + c − 1.
arma::mat expert_predictors(const Experts& experts, const arma::mat& X, const arma::vec& offset) {
  if (experts.family != Family::multinomial) return linear_predictor(X, experts.coef, offset);
  return X * arma::reshape(experts.coef, experts.n_inputs(), experts.coef.n_elem / experts.n_inputs());
}

// Multinomial experts k and j: as binomial ones, over every level's log-odds.
double multinomial_pair_snr(const Experts& experts, const arma::mat& eta, const arma::vec& weights, arma::uword k,
                            arma::uword j) {
  const arma::uword others = experts.levels - 1;
  const arma::mat difference = eta.cols(k * others, (k + 1) * others - 1) - eta.cols(j * others, (j + 1) * others - 1);
  return std::sqrt(row_mean(arma::mean(arma::square(difference), 1), weights)) / (arma::datum::pi / std::sqrt(3.0));
}

// The SNR of experts k and j from the linear predictors eta (expert_predictors):
// the root mean square of η_k − η_j over a noise scale (see diagnostics.hpp).
double pair_snr(const Model& model, const arma::mat& eta, const arma::vec& weights, arma::uword k, arma::uword j) {
  if (model.experts.family == Family::multinomial) return multinomial_pair_snr(model.experts, eta, weights, k, j);
  const arma::vec difference = eta.col(k) - eta.col(j);
  if (const ShapeFamily* shaped = shape_family(model.experts.family)) {  // Var(log y) ≈ Var(y)/μ², the delta method
    const arma::uvec pair = {k, j};
    const arma::mat mu = arma::exp(eta.cols(pair));
    const arma::mat relative = shaped->variance(mu, model.experts.shape.elem(pair)) / arma::square(mu);
    return std::sqrt(row_mean(arma::square(difference) / arma::mean(relative, 1), weights));
  }
  switch (model.experts.family) {
    case Family::gaussian:
    case Family::t: {  // σ: the t's scale
      const arma::vec& sigma = model.experts.sigma;
      return std::sqrt(row_mean(arma::square(difference), weights) / (0.5 * (sigma(k) * sigma(k) + sigma(j) * sigma(j))));
    }
    case Family::binomial:
      return std::sqrt(row_mean(arma::square(difference), weights)) / (arma::datum::pi / std::sqrt(3.0));
    case Family::poisson: {  // 1/√μ: the standard deviation of log y, observation by observation
      const arma::vec mean_count = 0.5 * (arma::exp(eta.col(k)) + arma::exp(eta.col(j)));
      return std::sqrt(row_mean(arma::square(difference) % mean_count, weights));
    }
    default:
      return arma::datum::nan;
  }
}

}  // namespace

double snr_estimate(const Model& model, const arma::mat& X, const arma::vec& offset, const arma::vec& weights) {
  const arma::mat eta = expert_predictors(model.experts, X, offset);
  double snr = arma::datum::inf;
  for (arma::uword k = 0; k < model.K(); ++k)
    for (arma::uword j = k + 1; j < model.K(); ++j) snr = std::min(snr, pair_snr(model, eta, weights, k, j));
  return snr;
}

std::string boundary_warning(const Model& model, const arma::mat& X, const arma::vec& offset) {
  constexpr double kLogTenEpsilon = 33.7;  // −log(10 ε), ε = 2.2e-16
  constexpr double kLogZeroRate = -30.0;   // a rate below 1e-13: no count but 0 is expected
  const Family family = model.experts.family;
  if (has_scale(family) || X.n_rows == 0) return "";
  const arma::mat eta = expert_predictors(model.experts, X, offset);
  if ((family == Family::binomial || family == Family::multinomial) && arma::abs(eta).max() > kLogTenEpsilon)
    return "fitted probabilities numerically 0 or 1 occurred: an expert's levels may be perfectly separated "
           "(its coefficients then grow without bound)";
  if ((family == Family::poisson || family == Family::negbin) && eta.min() < kLogZeroRate)
    return "fitted rates numerically 0 occurred: an expert's counts may all be 0 where it is chosen "
           "(its coefficients then grow without bound)";
  return "";
}

namespace {

// The rows where exactly the same two or more experts have a share (a hyperedge
// of the experts' graph): how many, and whether they all have one gate design
// (one value of the gate's covariates, often a tied one, where no gate can
// tell them apart).
struct SharedRows {
  std::vector<arma::uword> experts;
  arma::uword rows = 0;
  bool one_design = true;
  arma::uword first_row = 0;
};

// The distinct sets of experts that the rows share (present: n×K, 1 where the
// expert has a share of the row; Z: the gate designs).
std::vector<SharedRows> shared_rows(const arma::umat& present, const arma::mat& Z) {
  std::map<std::vector<arma::uword>, SharedRows> sets;
  for (arma::uword i = 0; i < present.n_rows; ++i) {
    const arma::uvec at = arma::find(present.row(i));
    if (at.n_elem < 2) continue;
    const std::vector<arma::uword> experts(at.begin(), at.end());
    auto [it, first] = sets.try_emplace(experts, SharedRows{experts, 0, true, i});
    SharedRows& set = it->second;
    ++set.rows;
    if (!first && arma::any(Z.row(i) != Z.row(set.first_row))) set.one_design = false;
  }
  std::vector<SharedRows> out;
  for (auto& [experts, set] : sets) out.push_back(std::move(set));
  return out;
}

// The experts present at some row (`anywhere`, K), grouped by the rows they
// share (`sets`, but set `skip` when it is one of them): two experts that share
// a row are in one group, and so are the groups they are in. Each group lists
// its experts in order; the groups are in the order of their first expert.
std::vector<std::vector<arma::uword>> experts_sharing_rows(const std::vector<SharedRows>& sets, const arma::uvec& anywhere,
                                                           std::size_t skip) {
  std::vector<arma::uword> root(anywhere.n_elem);
  for (arma::uword k = 0; k < root.size(); ++k) root[k] = k;
  const auto find = [&](arma::uword k) {
    while (root[k] != k) k = root[k] = root[root[k]];  // path halving
    return k;
  };
  for (std::size_t s = 0; s < sets.size(); ++s)
    if (s != skip)
      for (arma::uword k : sets[s].experts) root[find(k)] = find(sets[s].experts.front());
  std::vector<std::vector<arma::uword>> groups;
  std::vector<arma::uword> group_of_root(root.size(), root.size());
  for (arma::uword k = 0; k < root.size(); ++k) {
    if (!anywhere(k)) continue;
    arma::uword& g = group_of_root[find(k)];
    if (g == root.size()) {
      g = groups.size();
      groups.emplace_back();
    }
    groups[g].push_back(k);
  }
  return groups;
}

// "{1, 3} and {2, 4}" (experts numbered from 1).
std::string group_list(const std::vector<std::vector<arma::uword>>& groups) {
  std::string out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    out += g == 0 ? "{" : (g + 1 == groups.size() ? " and {" : ", {");
    for (std::size_t j = 0; j < groups[g].size(); ++j) out += (j ? ", " : "") + std::to_string(groups[g][j] + 1);
    out += "}";
  }
  return out;
}

}  // namespace

std::string gate_separation_warning(const Model& model, const arma::mat& Z) {
  constexpr double kAbsentLogProb = -15.0;  // π below 3e-7: the expert has no share of the row
  if (model.K() < 2 || Z.n_cols < 2 || Z.n_rows == 0) return "";
  const arma::umat present = GateEvaluation(Z, model.gate.coef, cpu_kernels()).log_probs() > kAbsentLogProb;
  const arma::uvec anywhere = arma::any(present, 0).t();
  const std::vector<SharedRows> sets = shared_rows(present, Z);
  const auto warning = [](const std::vector<std::vector<arma::uword>>& groups, const std::string& but) {
    return "the gate splits the experts into groups that share no row" + but + ", " + group_list(groups) +
           ": the probability of each group is numerically 0 or 1 at every row" + (but.empty() ? "" : " but those") +
           ", a hard boundary between their rows (the gate's coefficients then grow without bound, and the "
           "log-likelihood approaches a supremum that no finite gate attains)";
  };
  if (const auto groups = experts_sharing_rows(sets, anywhere, sets.size()); groups.size() >= 2) return warning(groups, "");
  // A boundary through one value of the gate's covariates (often a tied one)
  // leaves the rows there soft however sharp the gate: the only rows that some
  // groups share.
  for (std::size_t s = 0; s < sets.size(); ++s) {
    if (!sets[s].one_design) continue;
    if (const auto groups = experts_sharing_rows(sets, anywhere, s); groups.size() >= 2)
      return warning(groups, " but at one value of the gate's covariates (" + std::to_string(sets[s].rows) +
                                 (sets[s].rows == 1 ? " row)" : " rows)"));
  }
  return "";
}

std::string boundary_warnings(const Model& model, const Dataset& data) {
  const std::string experts = boundary_warning(model, data.X, data.offset);
  const std::string gate = gate_separation_warning(model, data.Z);
  return experts + (experts.empty() || gate.empty() ? "" : "; ") + gate;
}

}  // namespace moe
