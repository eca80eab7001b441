#include "moe/nn/language_model.hpp"

#include <cmath>
#include <string>

#include "moe/error.hpp"

namespace moe::nn {

void validate(const LanguageModelOptions& o) {
  require(o.vocabulary >= 2, "LanguageModel", "the vocabulary needs at least 2 tokens");
  require(o.context >= 1 && o.blocks >= 1, "LanguageModel", "the context and the blocks must be at least 1");
  require(o.width >= 1 && o.heads >= 1 && o.width % o.heads == 0, "LanguageModel",
          "the width (" + std::to_string(o.width) + ") must be a positive multiple of the heads (" +
              std::to_string(o.heads) + ")");
  require(o.dropout >= 0.0 && o.dropout < 1.0, "LanguageModel", "the dropout must be in [0, 1)");
  require(o.moe.experts >= 1 && o.moe.expert_size >= 1 && o.moe.router.k >= 1 && o.moe.router.k <= o.moe.experts,
          "LanguageModel", "the experts, their size and k must be at least 1, and k at most the experts");
}

Positions positions_from_name(const std::string& name) {
  if (name == "learned") return Positions::learned;
  if (name == "alibi") return Positions::alibi;
  if (name == "both") return Positions::both;
  require(false, "positions_from_name", "unknown positions '" + name + "' (use learned, alibi or both)");
  return Positions::both;
}

const char* positions_name(Positions positions) {
  switch (positions) {
    case Positions::learned: return "learned";
    case Positions::alibi: return "alibi";
    case Positions::both: break;
  }
  return "both";
}

namespace {

bool learns_positions(Positions p) { return p != Positions::alibi; }

}  // namespace

template <class eT>
LanguageModel<eT>::LanguageModel(const LanguageModelOptions& options)
    : options_((validate(options), options)),
      init_(options.seed),
      embedding_(options.vocabulary, options.width),
      dembedding_(options.vocabulary, options.width, arma::fill::zeros),
      positions_(learns_positions(options.positions) ? options.context : 0, options.width),
      dpositions_(arma::size(positions_), arma::fill::zeros),
      final_norm_(options.width),
      head_(options.width, options.vocabulary, init_) {
  // N(0, 1) both: the LayerNorms rescale, and positions as strong as tokens
  // learn to use the context sooner (bench/RESULTS.md §19).
  embedding_.imbue([&] { return static_cast<eT>(init_.normal()); });
  positions_.imbue([&] { return static_cast<eT>(init_.normal()); });
  const bool alibi = options.positions != Positions::learned;
  for (arma::uword l = 0; l < options.blocks; ++l)
    blocks_.push_back(std::make_unique<TransformerBlock<eT>>(
        options.width, options.heads, options.context,
        make_feed_forward<eT>(options.block, options.width, options.moe, init_), init_, options.dropout, alibi));
}

template <class eT>
Mat<eT> LanguageModel<eT>::forward(const arma::uvec& tokens, const Pass& pass) {
  const arma::uword T = options_.context;
  require(!tokens.is_empty() && tokens.n_elem % T == 0, "LanguageModel",
          "the input must be whole sequences of " + std::to_string(T) + " tokens");
  require(tokens.max() < options_.vocabulary, "LanguageModel",
          "a token code is not below the vocabulary size " + std::to_string(options_.vocabulary));
  tokens_ = tokens;
  Mat<eT> h = embedding_.rows(tokens);
  if (!positions_.is_empty()) h += arma::repmat(positions_, tokens.n_elem / T, 1);
  for (auto& block : blocks_) h = block->forward(h, pass);
  normalized_ = final_norm_.forward(h, pass);
  if (!options_.tie_weights) return head_.forward(normalized_, pass);
  Mat<eT> logits = normalized_ * embedding_.t();
  logits.each_row() += head_.b;
  return logits;
}

template <class eT>
void LanguageModel<eT>::backward(const Mat<eT>& dlogits) {
  Mat<eT> dnormalized;
  if (options_.tie_weights) {
    head_.db = arma::sum(dlogits, 0);
    dembedding_ = dlogits.t() * normalized_;  // the head's part; the input's is added below
    dnormalized = dlogits * embedding_;
  } else {
    dembedding_.zeros();
    dnormalized = head_.backward(dlogits);
  }
  Mat<eT> dh = final_norm_.backward(dnormalized);
  for (auto block = blocks_.rbegin(); block != blocks_.rend(); ++block) dh = (*block)->backward(dh);
  const arma::uword T = options_.context;
  dpositions_.zeros();
  if (!positions_.is_empty())
    for (arma::uword first = 0; first < dh.n_rows; first += T) dpositions_ += dh.rows(first, first + T - 1);
  for (arma::uword i = 0; i < tokens_.n_elem; ++i) dembedding_.row(tokens_(i)) += dh.row(i);
}

template <class eT>
std::vector<Parameter<eT>> LanguageModel<eT>::parameters() {
  std::vector<Parameter<eT>> out;
  out.push_back(parameter("embedding", embedding_, dembedding_, true));
  if (!positions_.is_empty()) out.push_back(parameter("positions", positions_, dpositions_, false));
  for (arma::uword l = 0; l < blocks_.size(); ++l) blocks_[l]->parameters(out, "block" + std::to_string(l) + ".");
  final_norm_.parameters(out, "final_norm.");
  if (!options_.tie_weights) out.push_back(parameter("head.weight", head_.W, head_.dW, true));
  out.push_back(parameter("head.bias", head_.b, head_.db, false));
  return out;
}

template <class eT>
std::vector<const SparseMoE<eT>*> LanguageModel<eT>::moe_layers() const {
  std::vector<const SparseMoE<eT>*> out;
  for (const auto& block : blocks_)
    if (const auto* moe = dynamic_cast<const SparseMoE<eT>*>(&block->ffn())) out.push_back(moe);
  return out;
}

template <class eT>
double LanguageModel<eT>::auxiliary_loss() const {
  double total = 0.0;
  for (const auto& block : blocks_) total += block->auxiliary_loss();
  return total;
}

template class LanguageModel<double>;
template class LanguageModel<float>;

}  // namespace moe::nn
