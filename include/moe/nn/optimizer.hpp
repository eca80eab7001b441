#pragma once
/// @file optimizer.hpp
/// AdamW (decoupled weight decay), the cosine learning-rate schedule with
/// linear warm-up, and clipping of the global gradient norm.

#include <vector>

#include "moe/nn/layer.hpp"

namespace moe::nn {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.01;  ///< applied to parameters with decay = true
};

template <class eT>
class AdamW {
 public:
  AdamW(std::vector<Parameter<eT>> parameters, const AdamWOptions& options);
  /// One update of every parameter from its gradient with learning rate `lr`.
  void step(double lr);

 private:
  std::vector<Parameter<eT>> parameters_;
  AdamWOptions options_;
  std::vector<arma::Col<eT>> m_, v_;
  arma::uword t_ = 0;
};

/// Learning rate at `step` of `total`: linear warm-up over `warmup` steps from
/// 0 to `base`, then cosine decay to 0 at `total`.
double cosine_learning_rate(double base, arma::uword step, arma::uword total, arma::uword warmup);

/// Scales all gradients so that their global L2 norm is at most `max_norm`
/// (no-op when max_norm ≤ 0). Returns the norm before clipping.
template <class eT>
double clip_gradients(const std::vector<Parameter<eT>>& parameters, double max_norm);

}  // namespace moe::nn
