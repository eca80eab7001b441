#include "moe/nn/attention.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

// A d×d matrix of N(0, 1/d) draws.
template <class eT>
Mat<eT> projection(arma::uword d, Rng& rng) {
  const double sd = 1.0 / std::sqrt(static_cast<double>(d));
  Mat<eT> W(d, d);
  W.imbue([&] { return static_cast<eT>(sd * rng.normal()); });
  return W;
}

// The rows of sequence b and the columns of head h.
struct Block {
  arma::span rows, cols;
};

Block block(arma::uword b, arma::uword h, arma::uword context, arma::uword head_size) {
  return {arma::span(b * context, (b + 1) * context - 1), arma::span(h * head_size, (h + 1) * head_size - 1)};
}

// Row-wise softmax of the scores S (T×T) over j ≤ i (the causal mask).
template <class eT>
Mat<eT> causal_softmax(Mat<eT> S) {
  if (S.n_cols > 1) S.elem(arma::trimatu_ind(arma::size(S), 1)).fill(-std::numeric_limits<eT>::infinity());
  S.each_col() -= arma::max(S, 1);
  S = arma::exp(S);
  S.each_col() /= arma::sum(S, 1);
  return S;
}

}  // namespace

template <class eT>
CausalSelfAttention<eT>::CausalSelfAttention(arma::uword d, arma::uword heads, arma::uword context, Rng& rng,
                                             bool alibi)
    : Wq(projection<eT>(d, rng)), dWq(d, d, arma::fill::zeros), Wk(projection<eT>(d, rng)), dWk(d, d, arma::fill::zeros),
      Wv(projection<eT>(d, rng)), dWv(d, d, arma::fill::zeros), Wo(projection<eT>(d, rng)), dWo(d, d, arma::fill::zeros),
      bo(d, arma::fill::zeros), dbo(d, arma::fill::zeros), heads_(heads), context_(context) {
  require(d >= 1 && heads >= 1 && d % heads == 0, "CausalSelfAttention",
          "the features (" + std::to_string(d) + ") must be a positive multiple of the heads (" + std::to_string(heads) + ")");
  require(context >= 1, "CausalSelfAttention", "the context must be at least 1 token");
  if (!alibi) return;
  slopes_ = arma::exp2(-8.0 * arma::regspace<arma::vec>(1, heads) / static_cast<double>(heads));
  const arma::vec position = arma::regspace<arma::vec>(0, context - 1);
  arma::mat distance = arma::repmat(position, 1, context) - arma::repmat(position.t(), context, 1);
  distance_ = arma::conv_to<Mat<eT>>::from(arma::trimatl(distance));
}

template <class eT>
Mat<eT> CausalSelfAttention<eT>::forward(const Mat<eT>& X, const Pass&) {
  require(X.n_cols == Wq.n_rows && X.n_rows % context_ == 0, "CausalSelfAttention",
          "the input must have " + std::to_string(Wq.n_rows) + " columns and whole sequences of " +
              std::to_string(context_) + " rows");
  const arma::uword sequences = X.n_rows / context_, head_size = Wq.n_rows / heads_;
  const eT scale = eT(1) / std::sqrt(static_cast<eT>(head_size));
  X_ = X;
  Q_ = X * Wq;
  K_ = X * Wk;
  V_ = X * Wv;
  O_.set_size(arma::size(X));
  A_.set_size(context_, context_, sequences * heads_);
  for (arma::uword b = 0; b < sequences; ++b)
    for (arma::uword h = 0; h < heads_; ++h) {
      const Block at = block(b, h, context_, head_size);
      Mat<eT>& A = A_.slice(b * heads_ + h);
      Mat<eT> S = Q_(at.rows, at.cols) * K_(at.rows, at.cols).t() * scale;
      if (!slopes_.is_empty()) S -= static_cast<eT>(slopes_(h)) * distance_;
      A = causal_softmax<eT>(std::move(S));
      O_(at.rows, at.cols) = A * V_(at.rows, at.cols);
    }
  Mat<eT> Y = O_ * Wo;
  Y.each_row() += bo;
  return Y;
}

template <class eT>
Mat<eT> CausalSelfAttention<eT>::backward(const Mat<eT>& dY) {
  const arma::uword sequences = X_.n_rows / context_, head_size = Wq.n_rows / heads_;
  const eT scale = eT(1) / std::sqrt(static_cast<eT>(head_size));
  dWo = O_.t() * dY;
  dbo = arma::sum(dY, 0);
  const Mat<eT> dO = dY * Wo.t();
  Mat<eT> dQ(arma::size(X_)), dK(arma::size(X_)), dV(arma::size(X_));
  for (arma::uword b = 0; b < sequences; ++b)
    for (arma::uword h = 0; h < heads_; ++h) {
      const Block at = block(b, h, context_, head_size);
      const Mat<eT>& A = A_.slice(b * heads_ + h);
      const Mat<eT> dA = dO(at.rows, at.cols) * V_(at.rows, at.cols).t();
      dV(at.rows, at.cols) = A.t() * dO(at.rows, at.cols);
      Mat<eT> dS = dA;
      dS.each_col() -= arma::sum(dA % A, 1);
      dS %= A;  // masked entries have A = 0
      dQ(at.rows, at.cols) = dS * K_(at.rows, at.cols) * scale;
      dK(at.rows, at.cols) = dS.t() * Q_(at.rows, at.cols) * scale;
    }
  dWq = X_.t() * dQ;
  dWk = X_.t() * dK;
  dWv = X_.t() * dV;
  return dQ * Wq.t() + dK * Wk.t() + dV * Wv.t();
}

template <class eT>
void CausalSelfAttention<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "query", Wq, dWq, true));
  out.push_back(parameter(prefix + "key", Wk, dWk, true));
  out.push_back(parameter(prefix + "value", Wv, dWv, true));
  out.push_back(parameter(prefix + "output", Wo, dWo, true));
  out.push_back(parameter(prefix + "output_bias", bo, dbo, false));
}

template class CausalSelfAttention<double>;
template class CausalSelfAttention<float>;

}  // namespace moe::nn
