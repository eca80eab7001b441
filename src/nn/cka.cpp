#include "moe/nn/cka.hpp"

#include <cmath>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

struct KernelMatrix {
  arma::mat K;
  double sigma = 0.0;  // RBF bandwidth used
};

arma::mat squared_distances(const arma::mat& A) {
  const arma::vec norms = arma::sum(arma::square(A), 1);
  arma::mat D = -2.0 * A * A.t();
  D.each_col() += norms;
  D.each_row() += norms.t();
  return arma::clamp(D, 0.0, arma::datum::inf);
}

double median_distance(const arma::mat& D) {
  if (D.n_rows < 2) return 1.0;
  const double m = std::sqrt(arma::median(D.elem(arma::trimatu_ind(arma::size(D), 1))));
  return m > 0.0 ? m : 1.0;
}

KernelMatrix kernel_matrix(const arma::mat& A, const CkaOptions& o) {
  if (o.kernel == CkaKernel::linear) return {A * A.t(), 0.0};
  const arma::mat D = squared_distances(A);
  const double sigma = o.sigma > 0.0 ? o.sigma : median_distance(D);
  return {arma::exp(-D / (2.0 * sigma * sigma)), sigma};
}

arma::mat centered(const arma::mat& K) {
  arma::mat C = K.each_row() - arma::mean(K, 0);
  C.each_col() -= arma::mean(C, 1);
  return C;
}

// dCKA/dA from dCKA/dK (G, symmetric) through the kernel.
arma::mat kernel_backward(const arma::mat& A, const KernelMatrix& k, const arma::mat& G, CkaKernel kernel) {
  if (kernel == CkaKernel::linear) return 2.0 * G * A;
  // K_ij = exp(−D_ij / 2σ²): dCKA/dD = G ∘ K · (−1/2σ²); dD_ij/da_i = 2 (a_i − a_j).
  const arma::mat M = G % k.K * (-1.0 / (2.0 * k.sigma * k.sigma));
  const arma::mat S = M + M.t();
  arma::mat dA = A.each_col() % arma::sum(S, 1);
  return 2.0 * (dA - S * A);
}

}  // namespace

CkaKernel cka_kernel_from_name(const std::string& name) {
  if (name == "linear") return CkaKernel::linear;
  if (name == "rbf") return CkaKernel::rbf;
  require(false, "cka_kernel_from_name", "unknown CKA kernel '" + name + "' (use linear or rbf)");
  return CkaKernel::linear;
}

arma::mat centered_kernel(const arma::mat& A, const CkaOptions& options) {
  return centered(kernel_matrix(A, options).K);
}

double mean_pairwise_cka(const std::vector<arma::mat>& representations, const CkaOptions& options) {
  const arma::uword m = representations.size();
  require(m >= 2, "mean_pairwise_cka", "need at least two representations");
  arma::mat unit(representations[0].n_rows * representations[0].n_rows, m);  // normalized K̃ as columns
  for (arma::uword e = 0; e < m; ++e) {
    require(representations[e].n_rows == representations[0].n_rows, "mean_pairwise_cka",
            "representations of different numbers of examples");
    unit.col(e) = arma::vectorise(centered_kernel(representations[e], options));
    const double norm = arma::norm(unit.col(e));
    if (norm > 1e-150) unit.col(e) /= norm;  // a constant representation stays 0: CKA 0
  }
  const arma::mat similarity = unit.t() * unit;
  return arma::accu(arma::trimatu(similarity, 1)) / (0.5 * static_cast<double>(m * (m - 1)));
}

double cka(const arma::mat& A, const arma::mat& B, const CkaOptions& options, arma::mat* dA, arma::mat* dB) {
  require(A.n_rows == B.n_rows && A.n_rows >= 2, "cka", "need the same n ≥ 2 examples in both representations");
  const KernelMatrix k = kernel_matrix(A, options), l = kernel_matrix(B, options);
  const arma::mat Kc = centered(k.K), Lc = centered(l.K);
  const double kk = arma::accu(Kc % Kc), ll = arma::accu(Lc % Lc);
  const double scale = std::sqrt(kk * ll);
  if (dA) dA->zeros(arma::size(A));
  if (dB) dB->zeros(arma::size(B));
  if (!(scale > 1e-300)) return 0.0;
  const double value = arma::accu(Kc % Lc) / scale;
  // dCKA/dK = L̃/s − CKA · K̃ / tr(K̃K̃) (the centering is absorbed: L̃ is centered).
  if (dA) *dA = kernel_backward(A, k, Lc / scale - value * Kc / kk, options.kernel);
  if (dB) *dB = kernel_backward(B, l, Kc / scale - value * Lc / ll, options.kernel);
  return value;
}

}  // namespace moe::nn
