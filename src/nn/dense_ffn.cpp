#include "moe/nn/dense_ffn.hpp"

#include <cmath>

namespace moe::nn {

template <class eT>
DenseFFN<eT>::DenseFFN(arma::uword d, arma::uword d_ff, Activation act, Rng& rng)
    : W1(d, d_ff), dW1(d, d_ff, arma::fill::zeros), W2(d_ff, d), dW2(d_ff, d, arma::fill::zeros),
      act_(act) {
  const double sd1 = 1.0 / std::sqrt(static_cast<double>(d));
  const double sd2 = 1.0 / std::sqrt(static_cast<double>(d_ff));
  W1.imbue([&] { return static_cast<eT>(sd1 * rng.normal()); });
  W2.imbue([&] { return static_cast<eT>(sd2 * rng.normal()); });
}

template <class eT>
Mat<eT> DenseFFN<eT>::forward(const Mat<eT>& X, const Pass&) {
  X_ = X;
  H_ = X * W1;
  A_ = activate(act_, H_);
  return A_ * W2;
}

template <class eT>
Mat<eT> DenseFFN<eT>::backward(const Mat<eT>& dY) {
  dW2 = A_.t() * dY;
  const Mat<eT> dH = activation_backward(act_, H_, Mat<eT>(dY * W2.t()));
  dW1 = X_.t() * dH;
  return dH * W1.t();
}

template <class eT>
void DenseFFN<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "w1", W1, dW1, true));
  out.push_back(parameter(prefix + "w2", W2, dW2, true));
}

template class DenseFFN<double>;
template class DenseFFN<float>;

}  // namespace moe::nn
