#include "moe/nn/examples.hpp"

#include "moe/error.hpp"

namespace moe::nn {

DenseExamples::DenseExamples(arma::mat X, arma::uvec y, arma::uword classes)
    : X_(std::move(X)), y_(std::move(y)), classes_(classes) {
  require(X_.n_rows == y_.n_elem, "DenseExamples", "need one label per row");
  require(y_.is_empty() || y_.max() < classes_, "DenseExamples", "a label is out of range");
}

}  // namespace moe::nn
