#include "moe/init.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe {
namespace {

// Columns of [X, y] that vary, each scaled to unit standard deviation.
arma::mat standardized_features(const Dataset& data) {
  const arma::mat raw = arma::join_horiz(data.X, data.y);
  const arma::rowvec sd = arma::stddev(raw, 0, 0);
  const arma::uvec varying = arma::find(sd > 0.0);
  arma::mat F = raw.cols(varying);
  F.each_row() -= arma::mean(F, 0);
  F.each_row() /= sd.cols(varying);
  return F;
}

// k-means++: each new centre drawn with probability ∝ squared distance.
arma::mat seed_centres(const arma::mat& F, arma::uword K, Rng& rng) {
  arma::mat centres(K, F.n_cols);
  centres.row(0) = F.row(rng.index(F.n_rows));
  arma::vec nearest(F.n_rows);
  nearest.fill(arma::datum::inf);
  for (arma::uword k = 1; k < K; ++k) {
    nearest = arma::min(nearest, arma::sum(arma::square(F.each_row() - centres.row(k - 1)), 1));
    const double u = rng.uniform() * arma::accu(nearest);
    const arma::vec cum = arma::cumsum(nearest);
    const arma::uvec after = arma::find(cum > u, 1);
    centres.row(k) = F.row(after.is_empty() ? rng.index(F.n_rows) : after(0));
  }
  return centres;
}

// argmin_k ‖f − c_k‖² = argmin_k (‖c_k‖² − 2 f·c_k), one matrix product.
arma::uvec nearest_centre(const arma::mat& F, const arma::mat& centres) {
  arma::mat score = -2.0 * F * centres.t();
  score.each_row() += arma::sum(arma::square(centres), 1).t();
  return arma::index_min(score, 1);
}

// Mean of each cluster's rows; an empty cluster is revived at a random row.
arma::mat cluster_means(const arma::mat& F, const arma::uvec& label, arma::uword K, Rng& rng) {
  arma::mat sums(K, F.n_cols, arma::fill::zeros);
  arma::vec counts(K, arma::fill::zeros);
  for (arma::uword i = 0; i < F.n_rows; ++i) {
    sums.row(label(i)) += F.row(i);
    counts(label(i)) += 1.0;
  }
  for (arma::uword k = 0; k < K; ++k)
    sums.row(k) = counts(k) > 0 ? arma::rowvec(sums.row(k) / counts(k)) : F.row(rng.index(F.n_rows));
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
  arma::mat centres = seed_centres(F, K, rng);
  arma::uvec label = nearest_centre(F, centres);
  for (int it = 0; it < 100; ++it) {
    centres = cluster_means(F, label, K, rng);
    const arma::uvec next = nearest_centre(F, centres);
    if (arma::all(next == label)) break;
    label = next;
  }
  const double spread = 0.1;
  arma::mat R(F.n_rows, K);
  R.fill(spread / static_cast<double>(K));
  for (arma::uword i = 0; i < F.n_rows; ++i) R(i, label(i)) += 1.0 - spread;
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
