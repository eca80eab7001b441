#include "moe/nn/transformer_block.hpp"

#include "moe/error.hpp"

namespace moe::nn {

template <class eT>
TransformerBlock<eT>::TransformerBlock(arma::uword d, arma::uword heads, arma::uword context,
                                       std::unique_ptr<Layer<eT>> ffn, Rng& rng, double dropout, bool alibi)
    : attention_norm_(d),
      attention_(d, heads, context, rng, alibi),
      ffn_norm_(d),
      ffn_(std::move(ffn)),
      attention_dropout_(dropout),
      ffn_dropout_(dropout) {
  require(ffn_ != nullptr, "TransformerBlock", "the block needs a feed-forward layer");
}

template <class eT>
Mat<eT> TransformerBlock<eT>::forward(const Mat<eT>& X, const Pass& pass) {
  const Mat<eT> H = X + attention_dropout_.forward(attention_.forward(attention_norm_.forward(X, pass), pass), pass);
  return H + ffn_dropout_.forward(ffn_->forward(ffn_norm_.forward(H, pass), pass), pass);
}

template <class eT>
Mat<eT> TransformerBlock<eT>::backward(const Mat<eT>& dY) {
  const Mat<eT> dH = dY + ffn_norm_.backward(ffn_->backward(ffn_dropout_.backward(dY)));
  return dH + attention_norm_.backward(attention_.backward(attention_dropout_.backward(dH)));
}

template <class eT>
void TransformerBlock<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  attention_norm_.parameters(out, prefix + "attention_norm.");
  attention_.parameters(out, prefix + "attention.");
  ffn_norm_.parameters(out, prefix + "ffn_norm.");
  ffn_->parameters(out, prefix + "ffn.");
}

template class TransformerBlock<double>;
template class TransformerBlock<float>;

}  // namespace moe::nn
