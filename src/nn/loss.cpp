#include "moe/nn/loss.hpp"

#include <cmath>

#include "moe/error.hpp"
#include "moe/nn/layer_kernels.hpp"

namespace moe::nn {

template <class eT>
arma::Mat<eT> softmax_rows(const arma::Mat<eT>& logits) {
  arma::Mat<eT> P;
  arma::Col<eT> lse;
  cpu_layer_kernels().row_softmax(P, lse, logits);
  return P;
}

template <class eT>
double cross_entropy(const arma::Mat<eT>& logits, const arma::uvec& labels, arma::Mat<eT>* dlogits) {
  require(labels.n_elem == logits.n_rows && logits.n_rows > 0, "cross_entropy",
          "need one label per row of logits");
  require(labels.max() < logits.n_cols, "cross_entropy", "a label is out of range");
  arma::Mat<eT> P;
  arma::Col<eT> lse;
  cpu_layer_kernels().row_softmax(P, lse, logits);
  const double n = static_cast<double>(logits.n_rows);
  double nll = 0.0;
  for (arma::uword i = 0; i < logits.n_rows; ++i) nll += static_cast<double>(lse(i) - logits(i, labels(i)));
  if (dlogits) {
    for (arma::uword i = 0; i < logits.n_rows; ++i) P(i, labels(i)) -= eT(1);
    *dlogits = P / static_cast<eT>(n);
  }
  return nll / n;
}

template arma::mat softmax_rows(const arma::mat&);
template arma::fmat softmax_rows(const arma::fmat&);
template double cross_entropy(const arma::mat&, const arma::uvec&, arma::mat*);
template double cross_entropy(const arma::fmat&, const arma::uvec&, arma::fmat*);

double expected_calibration_error(const arma::mat& probs, const arma::uvec& labels, arma::uword bins) {
  require(labels.n_elem == probs.n_rows && probs.n_rows > 0 && bins >= 1, "expected_calibration_error",
          "need one label per row of probabilities and at least one bin");
  arma::vec count(bins, arma::fill::zeros), correct(bins, arma::fill::zeros), confidence(bins, arma::fill::zeros);
  for (arma::uword i = 0; i < probs.n_rows; ++i) {
    const arma::uword predicted = probs.row(i).index_max();
    const double c = probs(i, predicted);
    // Bin b holds confidences in (b/B, (b+1)/B]; 0 goes to the first bin.
    const auto b = std::min<arma::uword>(bins - 1, c <= 0.0 ? 0 : static_cast<arma::uword>(std::ceil(c * bins)) - 1);
    count(b) += 1.0;
    correct(b) += predicted == labels(i) ? 1.0 : 0.0;
    confidence(b) += c;
  }
  return arma::accu(arma::abs(correct - confidence)) / static_cast<double>(probs.n_rows);
}

ClassificationScores score_probabilities(const arma::mat& probs, const arma::uvec& labels, arma::uword bins) {
  ClassificationScores s;
  s.ece = expected_calibration_error(probs, labels, bins);  // checks the shapes
  for (arma::uword i = 0; i < probs.n_rows; ++i) s.nll -= std::log(probs(i, labels(i)));
  s.nll /= static_cast<double>(probs.n_rows);
  s.accuracy = arma::mean(arma::conv_to<arma::vec>::from(arma::index_max(probs, 1) == labels));
  return s;
}

}  // namespace moe::nn
