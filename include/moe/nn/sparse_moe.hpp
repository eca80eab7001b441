#pragma once
/// @file sparse_moe.hpp
/// The sparse mixture-of-experts layer y = Σ_{e ∈ topk(x)} g_e(x) · FFN_e(x),
/// FFN_e(x) = W2_e act(W1_e x), computed on the tokens sorted by expert with the
/// grouped kernels of kernels.hpp (gather, grouped matmul, gate-weighted
/// scatter-add). Dropless: every routed pair is computed. Backward is
/// deterministic (no atomics) and an expert without tokens gets zero gradients.

#include "moe/nn/activation.hpp"
#include "moe/nn/router.hpp"

namespace moe::nn {

struct SparseMoEOptions {
  arma::uword experts = 16;      ///< E
  arma::uword expert_size = 64;  ///< G: hidden units of each expert
  Activation activation = Activation::relu;
  RouterOptions router;
};

class SparseMoE : public Layer {
 public:
  /// σ-MoE initialization: W1 ~ N(0, 1/d); W2 ~ N(0, 1/(E·G)), as if the experts
  /// were one dense layer of E·G units; router columns of equal norm.
  SparseMoE(arma::uword d, const SparseMoEOptions& options, Rng& rng);

  arma::mat forward(const arma::mat& X, const Pass& pass) override;
  arma::mat backward(const arma::mat& dY) override;
  void parameters(std::vector<Parameter>& out, const std::string& prefix) override;
  double auxiliary_loss() const override { return router.auxiliary_loss(); }

  const SparseMoEOptions& options() const { return options_; }

  Router router;
  arma::cube W1, dW1;  ///< d×G×E
  arma::cube W2, dW2;  ///< G×d×E

 private:
  SparseMoEOptions options_;
  const Kernels* kernels_ = &cpu_kernels();
  arma::mat Xr_, H_, A_, O_;  // per routed pair: input, pre-activation, activation, output
};

}  // namespace moe::nn
