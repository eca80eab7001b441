#pragma once
/// @file sparse_moe.hpp
/// The sparse mixture-of-experts layer y = Σ_{e ∈ topk(x)} g_e(x) · FFN_e(x),
/// FFN_e(x) = W2_e act(W1_e x), computed on the tokens sorted by expert with the
/// grouped kernels of kernels.hpp (gather, grouped matmul, gate-weighted
/// scatter-add). Dropless: every routed pair is computed. Backward is
/// deterministic (no atomics) and an expert without tokens gets zero gradients.
/// SparseMoE<float> runs forward and backward on the device when its pass's
/// kernels offer it (LayerKernels::sparse_moe_device, sparse_moe_device.hpp), except
/// with E³ members, a single-expert RouteOverride or SimSMoE's penalty, which
/// take the grouped kernels one by one.

#include "moe/nn/activation.hpp"
#include "moe/nn/cka.hpp"
#include "moe/nn/co_selection.hpp"
#include "moe/nn/router.hpp"
#include "moe/nn/sparse_moe_device.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace moe::nn {

/// How SimSMoE picks the expert pairs it compares (co_selection.hpp).
enum class SimSMoERule {
  counted,  ///< the authors' code: counters across batches, tokens routed to both, projection
  batch,    ///< per batch: the most co-selected pairs of this batch on the tokens routed to either
};

/// "counted" or "batch"; throws std::invalid_argument otherwise.
SimSMoERule simsmoe_rule_from_name(const std::string& name);

/// SimSMoE (Do, Le, Tran 2024) against representation collapse: in a training
/// batch, the flagged expert pairs run on the same tokens (inputs detached),
/// and α·CKA of their outputs is added to the loss when CKA exceeds the
/// threshold. By default as the authors' public code does it: a pair is
/// flagged when its co-selection counter passes `frequency`; the tokens are
/// those routed to both; the outputs pass through a trainable linear map to E
/// dimensions before CKA (a training-only head, not saved in checkpoints).
struct SimSMoEOptions {
  double alpha = 0.0;       ///< penalty weight (0: off)
  double threshold = 0.5;   ///< penalize only pairs with CKA above it
  SimSMoERule rule = SimSMoERule::counted;
  double frequency = 16.0;  ///< counted: flag a pair when its counter exceeds this (the authors' scripts: 16)
  bool projection = true;   ///< counted: the trainable E-wide projection before CKA
  arma::uword pairs = 1;    ///< batch: most co-selected pairs checked per batch
  arma::uword tokens = 0;   ///< at most this many tokens per pair (0: all)
  CkaOptions cka;
};

struct SparseMoEOptions {
  arma::uword experts = 16;      ///< E
  arma::uword expert_size = 64;  ///< G: hidden units of each expert
  Activation activation = Activation::relu;
  RouterOptions router;
  SimSMoEOptions simsmoe;
};

template <class eT>
class SparseMoE : public Layer<eT> {
 public:
  /// σ-MoE initialization: W1 ~ N(0, 1/d); W2 ~ N(0, 1/(E·G)), as if the experts
  /// were one dense layer of E·G units; router columns of equal norm.
  SparseMoE(arma::uword d, const SparseMoEOptions& options, Rng& rng);

  Mat<eT> forward(const Mat<eT>& X, const Pass& pass) override;
  Mat<eT> backward(const Mat<eT>& dY) override;
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) override;
  /// Router losses plus SimSMoE's penalty of the last forward pass.
  double auxiliary_loss() const override { return router.auxiliary_loss() + similarity_loss_; }

  /// FFN_e(X) = act(X W1_e) W2_e.  X: n×d;  returns n×d.
  Mat<eT> expert_output(arma::uword e, const Mat<eT>& X) const;
  const SparseMoEOptions& options() const { return options_; }
  /// SimSMoE's co-selection counters (the counted rule).
  const CoSelectionCounter& co_selection() const { return co_selection_; }

  Router<eT> router;
  Cube<eT> W1, dW1;  ///< d×G×E
  Cube<eT> W2, dW2;  ///< G×d×E

 private:
  SparseMoEOptions options_;
  const LayerKernels* kernels_ = &cpu_layer_kernels();
  Mat<eT> Xr_, H_, A_, O_;  // per routed pair: input, pre-activation, activation, output
  Mat<eT> dO_, dA_, dXr_;     // backward workspace, reused across calls

  // SimSMoE: a penalized pair, the (detached) tokens both ran on, α·dCKA/d(expert
  // outputs) and α·dCKA/d(projection).
  struct PenalizedPair {
    arma::uword first, second;
    Mat<eT> X, d_first, d_second, d_projection;
  };
  static constexpr std::uint64_t kProjectionSeed = 0x5135;
  void init_projection(arma::uword d);
  bool projects() const { return options_.simsmoe.rule == SimSMoERule::counted && options_.simsmoe.projection; }
  std::vector<ExpertPair> flagged_pairs(const arma::mat& chosen);
  arma::uvec compared_tokens(const arma::mat& chosen, const ExpertPair& pair) const;
  void add_similarity_penalty(const Mat<eT>& X);
  void penalize(const ExpertPair& pair, Mat<eT> X);
  void add_expert_gradient(arma::uword e, const Mat<eT>& X, const Mat<eT>& dOut);
  double similarity_loss_ = 0.0;
  std::vector<PenalizedPair> penalized_;
  CoSelectionCounter co_selection_;
  Mat<eT> projection_, d_projection_;  // d×E when projects()

  // The device path (fp32): the device layer of pass.kernels (device_owner_),
  // null when that backend has none; on_device_: the last forward ran there.
  bool use_device(const Pass& pass);
  template <class E = eT>
  Mat<E> device_forward(const Mat<E>& X, const Pass& pass);
  template <class E = eT>
  Mat<E> device_backward(const Mat<E>& dY);
  std::unique_ptr<SparseMoEDevice> device_;
  const LayerKernels* device_owner_ = nullptr;
  bool on_device_ = false;
};

/// Collapse score of a layer: the mean pairwise CKA of its experts' outputs on
/// the inputs of its last forward pass (e.g. a probe batch). 0 with one expert.
template <class eT>
double collapse_score(const SparseMoE<eT>& layer, const CkaOptions& options = {});

/// The mean collapse score (linear CKA) of `layers`; 0 when there are none.
template <class eT>
double mean_collapse_score(const std::vector<const SparseMoE<eT>*>& layers);

}  // namespace moe::nn
