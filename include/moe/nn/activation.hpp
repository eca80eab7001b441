#pragma once
/// @file activation.hpp
/// Element-wise activations of feed-forward layers and their derivatives.

#include <armadillo>
#include <string>

namespace moe::nn {

enum class Activation { relu, gelu };

/// act(H), element-wise.  eT: double or float.
template <class eT>
arma::Mat<eT> activate(Activation act, const arma::Mat<eT>& H);
/// dL/dH from dL/dact(H) and H.
template <class eT>
arma::Mat<eT> activation_backward(Activation act, const arma::Mat<eT>& H, const arma::Mat<eT>& dA);

/// "relu" or "gelu" (tanh approximation); throws std::invalid_argument otherwise.
Activation activation_from_name(const std::string& name);
const char* activation_name(Activation act);

}  // namespace moe::nn
