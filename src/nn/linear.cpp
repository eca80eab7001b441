#include "moe/nn/linear.hpp"

#include <cmath>

namespace moe::nn {

template <class eT>
Linear<eT>::Linear(arma::uword d_in, arma::uword d_out, Rng& rng)
    : W(d_in, d_out), dW(d_in, d_out, arma::fill::zeros), b(d_out, arma::fill::zeros),
      db(d_out, arma::fill::zeros) {
  const double sd = 1.0 / std::sqrt(static_cast<double>(d_in));
  W.imbue([&] { return static_cast<eT>(sd * rng.normal()); });
}

template <class eT>
Mat<eT> Linear<eT>::forward(const Mat<eT>& X, const Pass&) {
  X_ = X;
  Mat<eT> Y = X * W;
  Y.each_row() += b;
  return Y;
}

template <class eT>
Mat<eT> Linear<eT>::backward(const Mat<eT>& dY) {
  dW = X_.t() * dY;
  db = arma::sum(dY, 0);
  return dY * W.t();
}

template <class eT>
void Linear<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "weight", W, dW, true));
  out.push_back(parameter(prefix + "bias", b, db, false));
}

template class Linear<double>;
template class Linear<float>;

}  // namespace moe::nn
