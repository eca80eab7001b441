#pragma once
/// @file loss.hpp
/// Softmax cross-entropy and the calibration metrics of a classifier.

#include <armadillo>

namespace moe::nn {

/// Mean negative log-likelihood of `labels` under softmax(logits); when
/// `dlogits` is given, sets it to the gradient (softmax − one-hot)/n.
/// logits: n×C (eT: double or float);  labels: n (values < C).
template <class eT>
double cross_entropy(const arma::Mat<eT>& logits, const arma::uvec& labels, arma::Mat<eT>* dlogits = nullptr);

/// Row-wise softmax probabilities.  logits: n×C.
template <class eT>
arma::Mat<eT> softmax_rows(const arma::Mat<eT>& logits);

/// Expected calibration error with `bins` equal-width confidence bins:
/// Σ_b (n_b/n) |accuracy_b − confidence_b|, confidence = max probability.
double expected_calibration_error(const arma::mat& probs, const arma::uvec& labels, arma::uword bins = 15);

/// Accuracy (argmax), mean NLL (nats) and ECE of predicted probabilities.
struct ClassificationScores {
  double accuracy = 0.0, nll = 0.0, ece = 0.0;
};
ClassificationScores score_probabilities(const arma::mat& probs, const arma::uvec& labels, arma::uword bins = 15);

}  // namespace moe::nn
