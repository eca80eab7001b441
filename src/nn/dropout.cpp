#include "moe/nn/dropout.hpp"

#include "moe/error.hpp"

namespace moe::nn {

template <class eT>
Dropout<eT>::Dropout(double p) : p_(p) {
  require(p >= 0.0 && p < 1.0, "Dropout", "the dropout probability must be in [0, 1)");
}

template <class eT>
Mat<eT> Dropout<eT>::forward(const Mat<eT>& X, const Pass& pass) {
  if (!pass.training || p_ == 0.0) {
    mask_.reset();
    return X;
  }
  require(pass.rng != nullptr, "Dropout", "a training pass needs a random number generator");
  const eT keep = static_cast<eT>(1.0 / (1.0 - p_));
  mask_.set_size(arma::size(X));
  mask_.imbue([&] { return pass.rng->uniform() < p_ ? eT(0) : keep; });
  return X % mask_;
}

template <class eT>
Mat<eT> Dropout<eT>::backward(const Mat<eT>& dY) {
  return mask_.is_empty() ? dY : Mat<eT>(dY % mask_);
}

template class Dropout<double>;
template class Dropout<float>;

}  // namespace moe::nn
