#pragma once
/// @file cka.hpp
/// Centered kernel alignment (Kornblith et al. 2019) between two
/// representations of the same n examples:
///   CKA(K, L) = HSIC(K, L) / sqrt(HSIC(K, K) · HSIC(L, L)),
///   HSIC(K, L) ∝ tr(K̃ L̃),  K̃ = H K H,  H = I − 11ᵀ/n,
/// with a linear kernel K = A Aᵀ or an RBF kernel K_ij = exp(−‖a_i − a_j‖² / (2σ²)).
/// 1 for identical representations; invariant to orthogonal transforms and
/// isotropic scaling. SimSMoE's penalty and the collapse score use it.

#include <armadillo>
#include <string>
#include <vector>

namespace moe::nn {

enum class CkaKernel { linear, rbf };

/// "linear" or "rbf"; throws std::invalid_argument otherwise.
CkaKernel cka_kernel_from_name(const std::string& name);

struct CkaOptions {
  CkaKernel kernel = CkaKernel::linear;
  /// RBF bandwidth σ; 0: the median pairwise distance of each representation
  /// (then held constant in the gradient).
  double sigma = 0.0;
};

/// The centered kernel matrix K̃ = H K H of A.  A: n×p;  returns n×n.
arma::mat centered_kernel(const arma::mat& A, const CkaOptions& options);

/// Mean CKA over all pairs of representations of the same examples: the
/// collapse score of a set of experts (1: all experts alike).
double mean_pairwise_cka(const std::vector<arma::mat>& representations, const CkaOptions& options);

/// CKA of A (n×p) and B (n×q), rows = the same examples; 0 when either
/// representation is constant. When dA and dB are given, sets them to the
/// gradients of CKA with respect to A and B.
double cka(const arma::mat& A, const arma::mat& B, const CkaOptions& options, arma::mat* dA = nullptr,
           arma::mat* dB = nullptr);

}  // namespace moe::nn
