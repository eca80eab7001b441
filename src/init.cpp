#include "moe/init.hpp"

#include <algorithm>
#include <cmath>

#include "moe/error.hpp"
#include "moe/multinomial.hpp"

namespace moe {
namespace {

// y as k-means sees it: itself, or for a categorical response (multinomial
// experts) the indicators of its levels, which have no order.  Result: n×1 or n×C.
arma::mat response_features(const Dataset& data, Family family) {
  if (family != Family::multinomial) return data.y;
  return level_targets(data.y, arma::ones(data.n()), count_levels(data.y));
}

// The non-constant columns of `raw` (n×d), each centred and scaled to unit
// standard deviation (both with the rows' weights: n, or empty for 1),
// transposed: one column per observation, so that a row's features are
// contiguous for the Lloyd iterations.
arma::mat standardized(const arma::mat& raw, const arma::vec& weights) {
  const auto weighted = [&](const arma::mat& M) -> arma::mat { return weights.is_empty() ? M : M.each_col() % weights; };
  const double total = weights.is_empty() ? static_cast<double>(raw.n_rows) : arma::accu(weights);
  const arma::rowvec mean = arma::sum(weighted(raw), 0) / total;
  arma::mat F = raw.each_row() - mean;
  const arma::rowvec sd = arma::sqrt(arma::sum(weighted(arma::square(F)), 0) / total);
  const arma::uvec varying = arma::find(sd > 0.0);
  F = F.cols(varying);
  F.each_row() /= sd.cols(varying);
  return F.t();
}

// An observation drawn with probability ∝ mass (1×n), or uniformly when the mass is all 0.
arma::uword draw_observation(const arma::rowvec& mass, Rng& rng) {
  const double u = rng.uniform() * arma::accu(mass);
  const arma::uvec after = arma::find(arma::cumsum(mass) > u, 1);
  return after.is_empty() ? rng.index(mass.n_elem) : after(0);
}

// k-means++: each new centre drawn with probability ∝ weight × squared
// distance (the first ∝ weight). F: features × n; centres: features × K.
arma::mat seed_centres(const arma::mat& F, const arma::vec& weights, arma::uword K, Rng& rng) {
  arma::mat centres(F.n_rows, K);
  centres.col(0) = F.col(weights.is_empty() ? rng.index(F.n_cols) : draw_observation(weights.t(), rng));
  arma::rowvec nearest(F.n_cols);
  nearest.fill(arma::datum::inf);
  for (arma::uword k = 1; k < K; ++k) {
    nearest = arma::min(nearest, arma::sum(arma::square(F.each_col() - centres.col(k - 1)), 0));
    centres.col(k) = F.col(draw_observation(weights.is_empty() ? nearest : nearest % weights.t(), rng));
  }
  return centres;
}

// argmin_k ‖f − c_k‖² = argmin_k (‖c_k‖² − 2 f·c_k), one matrix product.
arma::urowvec nearest_centre(const arma::mat& F, const arma::mat& centres) {
  const arma::mat score = -2.0 * centres.t() * F;
  const arma::vec norms = arma::sum(arma::square(centres), 0).t();
  arma::urowvec label(F.n_cols);
  for (arma::uword i = 0; i < F.n_cols; ++i) {
    const double* s = score.colptr(i);
    arma::uword best = 0;
    for (arma::uword k = 1; k < norms.n_elem; ++k)
      if (s[k] + norms[k] < s[best] + norms[best]) best = k;
    label[i] = best;
  }
  return label;
}

// Weighted mean of each cluster's observations (weights: n, or empty for 1);
// an empty cluster is revived at a random observation.
arma::mat cluster_means(const arma::mat& F, const arma::vec& weights, const arma::urowvec& label, arma::uword K,
                        Rng& rng) {
  arma::mat sums(F.n_rows, K, arma::fill::zeros);
  arma::rowvec counts(K, arma::fill::zeros);
  for (arma::uword i = 0; i < F.n_cols; ++i) {
    const double* f = F.colptr(i);
    const double w = weights.is_empty() ? 1.0 : weights[i];
    double* sum = sums.colptr(label[i]);
    for (arma::uword j = 0; j < F.n_rows; ++j) sum[j] += w * f[j];
    counts[label[i]] += w;
  }
  for (arma::uword k = 0; k < K; ++k)
    sums.col(k) = counts(k) > 0 ? arma::vec(sums.col(k) / counts(k)) : F.col(rng.index(F.n_cols));
  return sums;
}


// Lloyd's iterations from k-means++ seeds.  F: features × n;  result: n labels.
arma::urowvec kmeans_labels(const arma::mat& F, const arma::vec& weights, arma::uword K, Rng& rng) {
  arma::mat centres = seed_centres(F, weights, K, rng);
  arma::urowvec label = nearest_centre(F, centres);
  for (int it = 0; it < 100; ++it) {
    centres = cluster_means(F, weights, label, K, rng);
    const arma::urowvec next = nearest_centre(F, centres);
    if (arma::all(next == label)) break;
    label = next;
  }
  return label;
}

// Hard labels softened: 1 − spread on the label, spread/K over all.  Result: n×K.
arma::mat softened(const arma::urowvec& label, arma::uword K) {
  const double spread = 0.1;
  arma::mat R(label.n_elem, K);
  R.fill(spread / static_cast<double>(K));
  for (arma::uword i = 0; i < label.n_elem; ++i) R(i, label(i)) += 1.0 - spread;
  return R;
}

// The non-constant columns of M.
arma::uvec varying_columns(const arma::mat& M) {
  arma::uvec out(M.n_cols);
  arma::uword n = 0;
  for (arma::uword j = 0; j < M.n_cols; ++j)
    if (M.n_rows > 0 && arma::any(M.col(j) != M(0, j))) out(n++) = j;
  return out.head(n);
}

}  // namespace

InitMethod parse_init(const std::string& name) {
  for (InitMethod m : {InitMethod::kmeans, InitMethod::random, InitMethod::hard, InitMethod::residual,
                       InitMethod::segments, InitMethod::mixed})
    if (name == to_string(m)) return m;
  throw std::invalid_argument("moe::parse_init(): unknown initialization '" + name + "' (use " + init_names() + ")");
}

std::string to_string(InitMethod method) {
  switch (method) {
    case InitMethod::kmeans: return "kmeans";
    case InitMethod::random: return "random";
    case InitMethod::hard: return "hard";
    case InitMethod::residual: return "residual";
    case InitMethod::segments: return "segments";
    case InitMethod::mixed: break;
  }
  return "mixed";
}

const char* init_names() { return "kmeans, random, hard, residual, segments, mixed"; }

arma::vec ordered_covariate(const Dataset& data) {
  const arma::uvec gate = varying_columns(data.Z);
  if (gate.n_elem == 1) return data.Z.col(gate(0));
  const arma::uvec experts = varying_columns(data.X);
  if (gate.is_empty() && experts.n_elem == 1) return data.X.col(experts(0));
  return {};
}

std::vector<InitMethod> init_cycle(const Dataset& data) {
  // the random strategies twice: each of their draws finds other basins, where
  // k-means, residuals and segments often repeat themselves
  std::vector<InitMethod> cycle{InitMethod::kmeans, InitMethod::hard, InitMethod::random, InitMethod::residual,
                                InitMethod::hard, InitMethod::random};
  if (!ordered_covariate(data).is_empty()) cycle.push_back(InitMethod::segments);
  return cycle;
}

InitMethod init_of_start(InitMethod method, const Dataset& data, arma::uword s) {
  if (method != InitMethod::mixed) return method;
  const std::vector<InitMethod> cycle = init_cycle(data);
  return cycle[s % cycle.size()];
}

arma::mat kmeans_responsibilities(const Dataset& data, arma::uword K, Rng& rng, Family family) {
  const arma::mat features = arma::join_horiz(data.X, response_features(data, family));
  return softened(kmeans_labels(standardized(features, data.weights), data.weights, K, rng), K);
}

arma::mat kmeans_responsibilities(const arma::mat& features, arma::uword K, Rng& rng) {
  return softened(kmeans_labels(standardized(features, {}), {}, K, rng), K);
}

arma::mat random_responsibilities(arma::uword n, arma::uword K, Rng& rng) {
  arma::mat R(n, K);
  R.imbue([&] { return -std::log(1.0 - rng.uniform()); });
  R.each_col() /= arma::sum(R, 1);
  return R;
}

arma::mat hard_responsibilities(arma::uword n, arma::uword K, Rng& rng) {
  arma::mat R(n, K, arma::fill::zeros);
  for (arma::uword i = 0; i < n; ++i) R(i, rng.index(K)) = 1.0;
  return R;
}

arma::mat perturbed_responsibilities(const arma::mat& R, double share, Rng& rng) {
  arma::mat out = R;
  for (arma::uword i = 0; i < out.n_rows; ++i) {
    if (rng.uniform() >= share) continue;
    out.row(i).zeros();
    out(i, rng.index(out.n_cols)) = 1.0;
  }
  return out;
}

arma::mat segment_responsibilities(const arma::vec& order, arma::uword K, Rng& rng) {
  const arma::uvec sorted = arma::stable_sort_index(order);
  const double n = static_cast<double>(order.n_elem);
  arma::urowvec label(order.n_elem, arma::fill::value(K - 1));
  arma::uword from = 0;
  for (arma::uword k = 0; k + 1 < K; ++k) {
    const double end = (static_cast<double>(k + 1) + 0.8 * (rng.uniform() - 0.5)) / static_cast<double>(K);
    const auto to = std::min(order.n_elem, static_cast<arma::uword>(std::llround(end * n)));
    for (; from < to; ++from) label(sorted(from)) = k;
  }
  return softened(label, K);
}

}  // namespace moe
