#pragma once
/// @file activation.hpp
/// Element-wise activations of feed-forward layers and their derivatives.

#include <armadillo>
#include <string>

namespace moe::nn {

enum class Activation { relu, gelu };

/// act(H), element-wise.
arma::mat activate(Activation act, const arma::mat& H);
/// dL/dH from dL/dact(H) and H.
arma::mat activation_backward(Activation act, const arma::mat& H, const arma::mat& dA);

/// "relu" or "gelu" (tanh approximation); throws std::invalid_argument otherwise.
Activation activation_from_name(const std::string& name);
const char* activation_name(Activation act);

}  // namespace moe::nn
