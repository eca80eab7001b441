#pragma once
/// @file layer.hpp
/// The contract every trainable piece of moe::nn follows: a forward pass that
/// keeps what its backward pass needs, a backward pass that sets the parameter
/// gradients and returns the gradient with respect to the input, and views of
/// the parameters for optimizers and checkpoints. Rows are tokens (examples),
/// columns are features. Every layer is a template on its element type eT:
/// double (fp64, the reference) or float (fp32).

#include <armadillo>
#include <string>
#include <vector>

#include "moe/nn/layer_kernels.hpp"
#include "moe/rng.hpp"

namespace moe::nn {

/// Inference-time routing other than the trained one (SCMoE's strong and weak
/// activations): top-k with another k, or one expert of a given rank.
struct RouteOverride {
  arma::uword k = 0;     ///< experts per token instead of the layer's k (0: the layer's)
  arma::uword rank = 0;  ///< > 0: only the expert of this rank (1 = best), gate value 1
};

/// How a forward pass runs.
struct Pass {
  bool training = false;                     ///< expert dropout is on only when training
  Rng* rng = nullptr;                        ///< needed when training with dropout
  const LayerKernels* kernels = &cpu_layer_kernels();   ///< backend of the grouped operations
  RouteOverride route;                       ///< applies to every MoE layer
};

/// An inference pass (no dropout) on `kernels`, optionally with other routing.
inline Pass inference_pass(const LayerKernels& kernels, RouteOverride route = {}) {
  Pass pass;
  pass.kernels = &kernels;
  pass.route = route;
  return pass;
}

/// A training pass on `kernels`; expert dropout draws from `rng`.
inline Pass training_pass(Rng& rng, const LayerKernels& kernels) {
  Pass pass;
  pass.training = true;
  pass.rng = &rng;
  pass.kernels = &kernels;
  return pass;
}

template <class eT>
using Mat = arma::Mat<eT>;
template <class eT>
using Cube = arma::Cube<eT>;
template <class eT>
using Row = arma::Row<eT>;

/// A view of one parameter tensor and its gradient (same size, contiguous).
template <class eT>
struct Parameter {
  std::string name;
  eT* value;
  eT* grad;
  arma::uword size;
  bool decay;  ///< AdamW's weight decay applies (weights, not biases or norm gains)
  bool saved = true;  ///< part of the model, written to checkpoints (false: a training-only head)
};

/// A Parameter viewing an Armadillo matrix or cube and its gradient twin.
template <class T>
Parameter<typename T::elem_type> parameter(std::string name, T& value, T& grad, bool decay) {
  return {std::move(name), value.memptr(), grad.memptr(), value.n_elem, decay};
}

template <class eT>
class Layer {
 public:
  virtual ~Layer() = default;
  /// Y = f(X).  X: n×d_in;  returns n×d_out.
  virtual Mat<eT> forward(const Mat<eT>& X, const Pass& pass) = 0;
  /// Given dL/dY of the last forward pass, sets the parameter gradients (adding
  /// those of the layer's auxiliary loss) and returns dL/dX.
  virtual Mat<eT> backward(const Mat<eT>& dY) = 0;
  /// Appends views of the parameters, named prefix + local name.
  virtual void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) = 0;
  /// The auxiliary loss of the last forward pass (already weighted; 0 if none).
  virtual double auxiliary_loss() const { return 0.0; }
};

}  // namespace moe::nn
