#include "moe/nn/network.hpp"

#include "moe/error.hpp"
#include "moe/nn/dense_ffn.hpp"

#include <cmath>

namespace moe::nn {

void validate(const NetworkOptions& o) {
  require(o.inputs >= 1 && o.classes >= 2, "Network", "need at least one input and two classes");
  require(o.width >= 1, "Network", "width must be at least 1");
  require(o.moe.experts >= 1 && o.moe.expert_size >= 1, "Network",
          "experts and expert size must be at least 1");
  require(o.moe.router.k >= 1 && o.moe.router.k <= o.moe.experts, "Network",
          "k = " + std::to_string(o.moe.router.k) + " must be between 1 and the number of experts (" +
              std::to_string(o.moe.experts) + ")");
  require(o.members >= 1, "Network", "need at least one ensemble member");
  require(o.members == 1 || o.block == BlockKind::moe, "Network", "E³ ensembles need MoE blocks");
  require(o.moe.experts % o.members == 0 && o.moe.router.k <= o.moe.experts / o.members, "Network",
          "with " + std::to_string(o.members) + " ensemble members the " + std::to_string(o.moe.experts) +
              " experts must split into equal groups of at least k = " + std::to_string(o.moe.router.k));
}

namespace {

SparseMoEOptions with_members(SparseMoEOptions moe, arma::uword members) {
  moe.router.members = members;
  return moe;
}

template <class eT>
Mat<eT> log_softmax(const LayerKernels& kernels, Mat<eT> A) {
  Mat<eT> P;
  arma::Col<eT> lse;
  kernels.row_softmax(P, lse, A);
  A.each_col() -= lse;
  return A;
}

}  // namespace

template <class eT>
Network<eT>::Network(const NetworkOptions& options)
    : options_((validate(options), options)),
      init_(options.seed),
      input_(options.inputs, options.width, init_),
      final_norm_(options.width),
      head_(options.width, options.classes, init_) {
  for (arma::uword l = 0; l < options.blocks; ++l)
    blocks_.push_back(Block{LayerNorm<eT>(options.width),
                            make_feed_forward<eT>(options.block, options.width,
                                                  with_members(options.moe, options.members), init_)});
}

template <class eT>
std::unique_ptr<Layer<eT>> make_feed_forward(BlockKind kind, arma::uword d, const SparseMoEOptions& moe, Rng& rng) {
  if (kind == BlockKind::moe) return std::make_unique<SparseMoE<eT>>(d, moe, rng);
  return std::make_unique<DenseFFN<eT>>(d, moe.experts * moe.expert_size, moe.activation, rng);
}

template std::unique_ptr<Layer<double>> make_feed_forward<double>(BlockKind, arma::uword, const SparseMoEOptions&, Rng&);
template std::unique_ptr<Layer<float>> make_feed_forward<float>(BlockKind, arma::uword, const SparseMoEOptions&, Rng&);

template <class eT>
Mat<eT> Network<eT>::forward(const Mat<eT>& X, const Pass& pass) {
  Mat<eT> h = arma::repmat(input_.forward(X, pass), options_.members, 1);
  for (Block& b : blocks_) h += b.ffn->forward(b.norm.forward(h, pass), pass);
  return head_.forward(final_norm_.forward(h, pass), pass);
}

template <class eT>
void Network<eT>::backward(const Mat<eT>& dlogits) {
  Mat<eT> dh = final_norm_.backward(head_.backward(dlogits));
  for (auto b = blocks_.rbegin(); b != blocks_.rend(); ++b) dh += b->norm.backward(b->ffn->backward(dh));
  const arma::uword n = dh.n_rows / options_.members;
  Mat<eT> dinput = dh.rows(0, n - 1);
  for (arma::uword m = 1; m < options_.members; ++m) dinput += dh.rows(m * n, (m + 1) * n - 1);
  input_.backward(dinput);
}

template <class eT>
Mat<eT> Network<eT>::log_probabilities(const Mat<eT>& X, const Pass& pass) {
  const Mat<eT> logits = forward(X, pass);
  const arma::uword n = X.n_rows, M = options_.members;
  Mat<eT> log_p = log_softmax(*pass.kernels, Mat<eT>(logits.rows(0, n - 1)));
  for (arma::uword m = 1; m < M; ++m) {  // log(p + q) = max + log(1 + exp(min − max)), element-wise
    const Mat<eT> member = log_softmax(*pass.kernels, Mat<eT>(logits.rows(m * n, (m + 1) * n - 1)));
    const Mat<eT> high = arma::max(log_p, member);
    log_p = high + arma::log1p(arma::exp(arma::min(log_p, member) - high));
  }
  return log_p - static_cast<eT>(std::log(static_cast<double>(M)));
}

template <class eT>
std::vector<Parameter<eT>> Network<eT>::parameters() {
  std::vector<Parameter<eT>> out;
  input_.parameters(out, "input.");
  for (std::size_t l = 0; l < blocks_.size(); ++l) {
    const std::string name = "block" + std::to_string(l);
    blocks_[l].norm.parameters(out, name + ".norm.");
    blocks_[l].ffn->parameters(out, name + ".ffn.");
  }
  final_norm_.parameters(out, "final_norm.");
  head_.parameters(out, "head.");
  return out;
}

template <class eT>
double Network<eT>::auxiliary_loss() const {
  double total = 0.0;
  for (const Block& b : blocks_) total += b.ffn->auxiliary_loss();
  return total;
}

template <class eT>
std::vector<const SparseMoE<eT>*> Network<eT>::moe_layers() const {
  std::vector<const SparseMoE<eT>*> out;
  for (const Block& b : blocks_)
    if (const auto* moe = dynamic_cast<const SparseMoE<eT>*>(b.ffn.get())) out.push_back(moe);
  return out;
}

template <class eT>
arma::uword parameter_count(Network<eT>& network) {
  arma::uword n = 0;
  for (const Parameter<eT>& p : network.parameters()) n += p.size;
  return n;
}

template class Network<double>;
template class Network<float>;
template arma::uword parameter_count(Network<double>&);
template arma::uword parameter_count(Network<float>&);

double flops_per_example(const NetworkOptions& o) {
  const double d = static_cast<double>(o.width), E = static_cast<double>(o.moe.experts);
  const double G = static_cast<double>(o.moe.expert_size), k = static_cast<double>(o.moe.router.k);
  const double block = o.block == BlockKind::moe ? d * E + k * 2.0 * d * G : 2.0 * d * E * G;
  const double per_copy = static_cast<double>(o.blocks) * block + d * static_cast<double>(o.classes);
  return 2.0 * (static_cast<double>(o.inputs) * d + static_cast<double>(o.members) * per_copy);
}

}  // namespace moe::nn
