#pragma once
/// @file training_step.hpp
/// One optimizer step on a mini-batch, for any model with forward(input,
/// pass), backward(dlogits) and auxiliary_loss(): the classifier (network.hpp)
/// and the language model (language_model.hpp) train by it.

#include <cmath>
#include <string>
#include <vector>

#include "moe/error.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/optimizer.hpp"

namespace moe::nn {

/// Whether every parameter value is finite.
template <class eT>
bool all_finite(const std::vector<Parameter<eT>>& params) {
  for (const Parameter<eT>& p : params)
    for (arma::uword i = 0; i < p.size; ++i)
      if (!std::isfinite(p.value[i])) return false;
  return true;
}

/// The batch's mean cross-entropy of `labels` and the model's auxiliary loss;
/// then the gradients, clipped to global norm `clip` (≤ 0: not), and one AdamW
/// update of `params` (the model's) with learning rate `lr`. Throws
/// moe::numerical_error, naming `where`, when the loss or a parameter is not finite.
template <class eT, class Model, class Input>
double descend(Model& model, const Input& input, const arma::uvec& labels, const Pass& pass,
               const std::vector<Parameter<eT>>& params, AdamW<eT>& optimizer, double lr, double clip,
               double& auxiliary, const std::string& where) {
  Mat<eT> dlogits;
  const double loss = cross_entropy(model.forward(input, pass), labels, &dlogits);
  auxiliary = model.auxiliary_loss();
  model.backward(dlogits);
  clip_gradients(params, clip);
  optimizer.step(lr);
  if (!std::isfinite(loss) || !all_finite(params))
    throw numerical_error("moe::nn::train(): training diverged " + where +
                          ": the loss or a parameter is not finite (lower the learning rate or the weight decay, or "
                          "clip the gradients)");
  return loss;
}

}  // namespace moe::nn
