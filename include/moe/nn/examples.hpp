#pragma once
/// @file examples.hpp
/// Labelled examples a classifier trains on, served in mini-batches so that
/// inputs may be built on the fly (one-hot contexts of a language model)
/// instead of being held as one dense matrix.

#include <armadillo>

namespace moe::nn {

class Examples {
 public:
  virtual ~Examples() = default;
  virtual arma::uword size() const = 0;
  virtual arma::uword features() const = 0;
  virtual arma::uword classes() const = 0;
  /// Inputs of the given examples.  Returns rows.n_elem × features().
  virtual arma::mat inputs(const arma::uvec& rows) const = 0;
  /// Labels (< classes()) of the given examples.
  virtual arma::uvec labels(const arma::uvec& rows) const = 0;
};

/// Examples held as a dense matrix (one row each) and a label vector.
class DenseExamples : public Examples {
 public:
  DenseExamples(arma::mat X, arma::uvec y, arma::uword classes);
  arma::uword size() const override { return X_.n_rows; }
  arma::uword features() const override { return X_.n_cols; }
  arma::uword classes() const override { return classes_; }
  arma::mat inputs(const arma::uvec& rows) const override { return X_.rows(rows); }
  arma::uvec labels(const arma::uvec& rows) const override { return y_.elem(rows); }

 private:
  arma::mat X_;
  arma::uvec y_;
  arma::uword classes_;
};

}  // namespace moe::nn
