#pragma once
/// @file standard_errors.hpp
/// Standard errors of fitted parameters from the observed information, the
/// negative Hessian of ℓ at the fit, here by central differences of the
/// analytic gradient (exact up to O(h²)).

#include <string>
#include <vector>

#include "moe/model.hpp"

namespace moe {

struct StandardErrors {
  arma::mat gate;     ///< q×K (the reference column is 0)
  arma::mat experts;  ///< p×K (NaN for a point mass, which has no parameters)
  arma::vec sigma;    ///< K (Gaussian experts; by the delta method from log σ)
  arma::vec shape;    ///< K (negbin sizes θ, gamma shapes ν, t degrees of freedom ν when estimated; by the delta method from their logs)
  /// I⁻¹ in pack() order (log σ, not σ); empty when not valid. A shape at its
  /// family's ceiling (negbin θ, gamma or t ν; the Poisson, spike or Gaussian
  /// limit, where ℓ is flat in it) is held there: its row and column are NaN.
  arma::mat covariance;
  arma::vec estimates;   ///< the parameters it is of: pack(model)
  std::vector<std::string> parameters;  ///< their names (parameter_names)
  bool valid = false;  ///< false at a boundary (diagnostics.hpp's boundary_warnings) or when the information is not positive definite (then all NaN)
  std::string note;    ///< why not valid

  /// The errors of the family's dispersions (Experts::dispersion): `sigma`
  /// for Gaussian experts, `shape` for negbin and gamma, else empty.
  const arma::vec& dispersion() const { return sigma.is_empty() ? shape : sigma; }
};

/// −∇²ℓ with respect to pack(model), symmetrized.  Result: d×d.
arma::mat observed_information(const Model& model, const Dataset& data,
                               const Kernels& kernels = cpu_kernels());

/// The names of pack()'s parameters (the order of the covariance):
/// "gate.expert<k>:<z column>" for experts k < K, "expert<k>:<x column>", then
/// "log_sigma.expert<k>" ("log_sigma.common" with a common σ) or
/// "log_theta.expert<k>" (negbin) or "log_shape.expert<k>" (gamma), then for
/// t experts with ν estimated "log_nu.expert<k>", k from 1.
std::vector<std::string> parameter_names(const Model& model, const Dataset& data);

/// √diag(I⁻¹) mapped back to the model's parameters.
StandardErrors standard_errors(const Model& model, const Dataset& data,
                               const Kernels& kernels = cpu_kernels());
/// The same from the observed information `information` of `model` on `data`
/// (observed_information()), when it is already known.
StandardErrors standard_errors(const Model& model, const Dataset& data, const arma::mat& information);

}  // namespace moe
