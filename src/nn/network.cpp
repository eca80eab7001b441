#include "moe/nn/network.hpp"

#include "moe/error.hpp"
#include "moe/nn/dense_ffn.hpp"

namespace moe::nn {

void validate(const NetworkOptions& o) {
  require(o.inputs >= 1 && o.classes >= 2, "Network", "need at least one input and two classes");
  require(o.width >= 1, "Network", "width must be at least 1");
  require(o.moe.experts >= 1 && o.moe.expert_size >= 1, "Network",
          "experts and expert size must be at least 1");
  require(o.moe.router.k >= 1 && o.moe.router.k <= o.moe.experts, "Network",
          "k = " + std::to_string(o.moe.router.k) + " must be between 1 and the number of experts (" +
              std::to_string(o.moe.experts) + ")");
}

Network::Network(const NetworkOptions& options)
    : options_((validate(options), options)),
      init_(options.seed),
      input_(options.inputs, options.width, init_),
      final_norm_(options.width),
      head_(options.width, options.classes, init_) {
  for (arma::uword l = 0; l < options.blocks; ++l) {
    std::unique_ptr<Layer> ffn;
    if (options.block == BlockKind::moe)
      ffn = std::make_unique<SparseMoE>(options.width, options.moe, init_);
    else
      ffn = std::make_unique<DenseFFN>(options.width, options.moe.experts * options.moe.expert_size,
                                       options.moe.activation, init_);
    blocks_.push_back(Block{LayerNorm(options.width), std::move(ffn)});
  }
}

arma::mat Network::forward(const arma::mat& X, const Pass& pass) {
  arma::mat h = input_.forward(X, pass);
  for (Block& b : blocks_) h += b.ffn->forward(b.norm.forward(h, pass), pass);
  return head_.forward(final_norm_.forward(h, pass), pass);
}

void Network::backward(const arma::mat& dlogits) {
  arma::mat dh = final_norm_.backward(head_.backward(dlogits));
  for (auto b = blocks_.rbegin(); b != blocks_.rend(); ++b) dh += b->norm.backward(b->ffn->backward(dh));
  input_.backward(dh);
}

std::vector<Parameter> Network::parameters() {
  std::vector<Parameter> out;
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

double Network::auxiliary_loss() const {
  double total = 0.0;
  for (const Block& b : blocks_) total += b.ffn->auxiliary_loss();
  return total;
}

std::vector<const SparseMoE*> Network::moe_layers() const {
  std::vector<const SparseMoE*> out;
  for (const Block& b : blocks_)
    if (const auto* moe = dynamic_cast<const SparseMoE*>(b.ffn.get())) out.push_back(moe);
  return out;
}

arma::uword parameter_count(Network& network) {
  arma::uword n = 0;
  for (const Parameter& p : network.parameters()) n += p.size;
  return n;
}

}  // namespace moe::nn
