#include "moe/init.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe {
namespace {

// The non-constant columns of [X, y], each centred and scaled to unit
// standard deviation (both weighted), transposed: one column per observation,
// so that a row's features are contiguous for the Lloyd iterations.
arma::mat standardized_features(const Dataset& data) {
  const arma::mat raw = arma::join_horiz(data.X, data.y);
  const double total = data.total_weight();
  const arma::rowvec mean = arma::sum(data.weighted(raw), 0) / total;
  arma::mat F = raw.each_row() - mean;
  const arma::rowvec sd = arma::sqrt(arma::sum(data.weighted(arma::square(F)), 0) / total);
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

}  // namespace

InitMethod parse_init(const std::string& name) {
  if (name == "kmeans") return InitMethod::kmeans;
  if (name == "random") return InitMethod::random;
  throw std::invalid_argument("moe::parse_init(): unknown initialization '" + name +
                              "' (use kmeans or random)");
}

std::string to_string(InitMethod method) {
  return method == InitMethod::kmeans ? "kmeans" : "random";
}

arma::mat kmeans_responsibilities(const Dataset& data, arma::uword K, Rng& rng) {
  const arma::mat F = standardized_features(data);
  arma::mat centres = seed_centres(F, data.weights, K, rng);
  arma::urowvec label = nearest_centre(F, centres);
  for (int it = 0; it < 100; ++it) {
    centres = cluster_means(F, data.weights, label, K, rng);
    const arma::urowvec next = nearest_centre(F, centres);
    if (arma::all(next == label)) break;
    label = next;
  }
  const double spread = 0.1;
  arma::mat R(F.n_cols, K);
  R.fill(spread / static_cast<double>(K));
  for (arma::uword i = 0; i < F.n_cols; ++i) R(i, label(i)) += 1.0 - spread;
  return R;
}

arma::mat random_responsibilities(arma::uword n, arma::uword K, Rng& rng) {
  arma::mat R(n, K);
  R.imbue([&] { return -std::log(1.0 - rng.uniform()); });
  R.each_col() /= arma::sum(R, 1);
  return R;
}

arma::mat initial_responsibilities(InitMethod method, const Dataset& data, arma::uword K,
                                   Rng& rng) {
  if (method == InitMethod::kmeans) return kmeans_responsibilities(data, K, rng);
  return random_responsibilities(data.n(), K, rng);
}

}  // namespace moe
