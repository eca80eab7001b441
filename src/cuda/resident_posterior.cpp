// EM on the device (resident_posterior.hpp). The arithmetic is the CPU path's
// (HostPosterior, HostExpertSums, HostGateSums), element by element in
// em_kernels.cu and by cuBLAS for the products; sums over observations are
// products with a vector of ones.
#include "resident_posterior.hpp"

#include <algorithm>
#include <climits>

#include "device_products.hpp"
#include "em_kernels.hpp"
#include "moe/error.hpp"

namespace moe::cuda {
namespace {

using Doubles = DeviceBuffer<double>;

// The rows of the gate's Hessian weights formed at once.
constexpr std::size_t kHessianRows = 8192;

Doubles upload(const arma::mat& M) { return Doubles(M.memptr(), M.n_elem); }

Doubles ones(std::size_t n) {
  const arma::vec host(n, arma::fill::ones);
  return Doubles(host.memptr(), n);
}

// What the device holds for one fit: the data, the responsibilities R of the
// last update and the model's predictors there, and scratch.
struct Resident {
  Resident(const Dataset& data, cublasHandle_t blas, std::mutex& mutex)
      : blas(blas), mutex(mutex), n(data.n()), p(data.X.n_cols), q(data.Z.n_cols),
        offset(!data.offset.is_empty()),
        X(upload(offset ? arma::mat(arma::join_horiz(data.X, data.offset)) : data.X)),
        Z(upload(data.Z)), y(data.y.memptr(), data.y.n_elem), weights(upload(data.weights)),
        ones(moe::cuda::ones(n)), lse(n), gate_rows(n) {}

  // Sizes the n×K buffers for K experts (kept while K stays the same).
  void reserve(std::size_t experts) {
    if (experts == K) return;
    K = experts;
    for (Doubles* b : {&R, &Pi, &E, &eta, &term, &term2, &gate_eta, &gate_Pi}) *b = Doubles(n * K);
  }

  // Σ_i A(i, k) for the K columns of an n×K device matrix.
  arma::rowvec column_sums(const double* A) const {
    Doubles sums(K);
    gemm(blas, true, false, K, 1, n, A, n, ones.get(), n, 0.0, sums.get(), K, "moe::cuda::column_sums");
    arma::rowvec out(K);
    sums.download(out.memptr());
    return out;
  }

  // Σ_i v[i] for a device vector of n.
  double sum(const double* v) const {
    double total = 0.0;
    MOE_CUDA_CHECK(cublasDdot(blas, static_cast<int>(n), v, 1, ones.get(), 1, &total));
    return total;
  }

  // Dᵀ W (cols×m) for an n×cols device design D and n×m device weights W.
  arma::mat cross(const double* D, std::size_t cols, const double* W, std::size_t m) const {
    Doubles out(cols * m);
    gemm(blas, true, false, cols, m, n, D, n, W, n, 0.0, out.get(), cols, "moe::cuda::cross");
    arma::mat host(cols, m);
    out.download(host.memptr());
    return host;
  }

  // out = D·coef (n×K) for an n×cols device design D and a host coefficient matrix.
  void predictors(double* out, const double* D, const arma::mat& coef) const {
    const Doubles c = upload(coef);
    gemm(blas, false, false, n, coef.n_cols, coef.n_rows, D, n, c.get(), coef.n_rows, 0.0, out, n,
         "moe::cuda::predictors");
  }

  // out = X·coef + offsets (n×K) for the experts' coefficients: the offsets are
  // X's column p + 1 on the device, with coefficient 1.
  void expert_predictors(double* out, const arma::mat& coef) const {
    predictors(out, X.get(), offset ? arma::mat(arma::join_vert(coef, arma::ones(1, coef.n_cols))) : coef);
  }

  // The m weighted Gram matrices Dᵀ diag(W.col(j)) D, W (rows × m, leading
  // dimension rows) over design rows [first, first + rows): their distinct
  // entries, added to `half` (cols(cols+1)/2 × m) unless first == 0.
  void add_gram(Doubles& half, const double* D, std::size_t cols, const double* W, std::size_t m, std::size_t first,
                std::size_t rows) const {
    add_weighted_gram(blas, half.get(), first == 0 ? 0.0 : 1.0, D + first, n, W, rows, rows, cols, m, gram_scratch);
  }

  cublasHandle_t blas;
  std::mutex& mutex;
  const std::size_t n, p, q;
  const bool offset;  // X holds the experts' offsets as a last column
  std::size_t K = 0;
  Doubles X, Z, y, weights, ones;  // weights: empty when unweighted
  Doubles lse, gate_rows;     // per row: the last update's log-likelihood; the gate objective's term
  Doubles R, Pi, E;           // the last update's responsibilities (times the weights), gate probabilities, X·β
  Doubles eta, term, term2;   // the experts' scratch
  Doubles gate_eta, gate_Pi;  // the gate's trial predictors and probabilities
  mutable Doubles gram_scratch, hessian_weights;  // for add_gram and the gate's Hessian
};

[[noreturn]] void refuse_cpu_only_family() {
  throw std::invalid_argument(
      "moe::cuda::resident_posterior(): negbin, gamma, t and multinomial experts run on the cpu device only (no "
      "device kernels yet)");
}

class DeviceExpertSums final : public ExpertSums {
 public:
  explicit DeviceExpertSums(Resident& r) : r_(r) {}

  arma::rowvec mass() const override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    return r_.column_sums(r_.R.get());
  }

  void normal_equations(arma::cube& G, arma::mat& b, const Experts& experts) const override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    const std::size_t n = r_.n, K = r_.K, p = r_.p;
    const double* weights = r_.R.get();
    const Family family = experts.family;
    em::Term score = em::Term::weighted_y;  // Gaussian: b = Xᵀ w (y − o), least squares for y − o
    if (family == Family::gaussian && r_.offset) {
      r_.expert_predictors(r_.eta.get(), arma::zeros(p, K));  // η = o
      score = em::Term::gaussian_score;                        // w (y − η) with σ = 1
    } else if (family != Family::gaussian) {
      r_.expert_predictors(r_.eta.get(), experts.coef);
      em::expert_terms(r_.term2.get(), em::Term::variance, family, r_.R.get(), r_.y.get(), r_.eta.get(), nullptr, n,
                       K);
      weights = r_.term2.get();
      score = em::Term::residual;
    }
    em::expert_terms(r_.term.get(), score, family, r_.R.get(), r_.y.get(), r_.eta.get(), nullptr, n, K);
    Doubles half(p * (p + 1) / 2 * K);
    r_.add_gram(half, r_.X.get(), p, weights, K, 0, n);
    G = gram_slices(half.get(), p, K);
    b = r_.cross(r_.X.get(), p, r_.term.get(), K);
  }

  arma::rowvec weighted_rss(const arma::mat& coef) const override {
    return sum_of(em::Term::squared_residual, Family::gaussian, coef);
  }

  arma::rowvec canonical_loglik(Family family, const arma::mat& coef) const override {
    return sum_of(em::Term::canonical_loglik, family, coef);
  }

  // ResidentPosterior::update refuses negbin, gamma, t and multinomial experts before any of these is asked for.
  arma::rowvec shape_loglik(const Experts&) const override { refuse_cpu_only_family(); }
  void shape_terms(arma::rowvec&, arma::rowvec&, const Experts&) const override { refuse_cpu_only_family(); }
  void t_normal_equations(arma::cube&, arma::mat&, const Experts&) const override { refuse_cpu_only_family(); }
  arma::rowvec t_weighted_rss(const Experts&, const arma::mat&) const override { refuse_cpu_only_family(); }
  std::unique_ptr<GateSums> level_sums(arma::uword, arma::uword) const override { refuse_cpu_only_family(); }

 private:
  // Σ_i of a term at the predictors X·coef, per expert.
  arma::rowvec sum_of(em::Term term, Family family, const arma::mat& coef) const {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    r_.expert_predictors(r_.eta.get(), coef);
    em::expert_terms(r_.term.get(), term, family, r_.R.get(), r_.y.get(), r_.eta.get(), nullptr, r_.n, r_.K);
    return r_.column_sums(r_.term.get());
  }

  Resident& r_;
};

class DeviceGateSums final : public GateSums {
 public:
  explicit DeviceGateSums(Resident& r) : r_(r) {}

  double objective(const arma::mat& coef) override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    r_.predictors(r_.gate_eta.get(), r_.Z.get(), coef);
    em::gate_rows(r_.gate_Pi.get(), r_.gate_rows.get(), r_.R.get(), r_.gate_eta.get(), r_.n, r_.K);
    return r_.sum(r_.gate_rows.get());
  }

  arma::mat gradient() const override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    em::gate_score(r_.term.get(), r_.R.get(), r_.gate_Pi.get(), r_.n, r_.K);
    return r_.cross(r_.Z.get(), r_.q, r_.term.get(), r_.K);
  }

  // The weights of K(K−1)/2 blocks would be n·K²/2 doubles at once: they are
  // formed and reduced kHessianRows rows at a time.
  arma::cube hessian_blocks() const override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    const std::size_t n = r_.n, q = r_.q, pairs = (r_.K - 1) * r_.K / 2;
    if (pairs == 0) return arma::cube(q, q, 0);
    const std::size_t block = std::min(kHessianRows, n);
    double* weights = r_.hessian_weights.reserve(block * pairs);
    Doubles half(q * (q + 1) / 2 * pairs);
    for (std::size_t first = 0; first < n; first += block) {
      const std::size_t rows = std::min(block, n - first);
      em::gate_hessian_weights(weights, r_.R.get(), r_.gate_Pi.get(), n, r_.K, first, rows);
      r_.add_gram(half, r_.Z.get(), q, weights, pairs, first, rows);
    }
    return gram_slices(half.get(), q, pairs);
  }

 private:
  Resident& r_;
};

class ResidentPosterior final : public Posterior {
 public:
  ResidentPosterior(const Dataset& data, cublasHandle_t blas, std::mutex& mutex)
      : r_(data, blas, mutex), experts_(r_), gate_(r_) {}

  double update(const Model& model) override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    if (!family_entry(model.experts.family).on_device) refuse_cpu_only_family();
    if (model.experts.point_mass)
      throw std::invalid_argument(
          "moe::cuda::resident_posterior(): a point-mass expert runs on the cpu device only (no device kernel yet)");
    r_.reserve(model.K());
    const bool gaussian = model.experts.family == Family::gaussian;
    const Doubles sigma = gaussian ? Doubles(model.experts.sigma.memptr(), model.K()) : Doubles();
    r_.predictors(r_.gate_eta.get(), r_.Z.get(), model.gate.coef);
    r_.expert_predictors(r_.E.get(), model.experts.coef);
    em::posterior_rows(r_.R.get(), r_.lse.get(), r_.Pi.get(), r_.gate_eta.get(), r_.E.get(), r_.y.get(),
                       r_.weights.get(), model.experts.family, sigma.get(), r_.n, r_.K);
    return r_.sum(r_.lse.get());
  }

  arma::vec gradient(const Model& model) const override {
    const std::lock_guard<std::mutex> lock(r_.mutex);
    const std::size_t n = r_.n, K = r_.K;
    em::gate_score(r_.term.get(), r_.R.get(), r_.Pi.get(), n, K);
    const arma::mat g_gate = r_.cross(r_.Z.get(), r_.q, r_.term.get(), K);
    const Family family = model.experts.family;
    if (family != Family::gaussian) {
      em::expert_terms(r_.term.get(), em::Term::residual, family, r_.R.get(), r_.y.get(), r_.E.get(), nullptr, n, K);
      return pack_gradient(model, g_gate, r_.cross(r_.X.get(), r_.p, r_.term.get(), K), arma::rowvec());
    }
    const Doubles sigma(model.experts.sigma.memptr(), K);
    em::expert_terms(r_.term.get(), em::Term::gaussian_score, family, r_.R.get(), r_.y.get(), r_.E.get(), sigma.get(),
                     n, K);
    em::expert_terms(r_.term2.get(), em::Term::log_sigma_score, family, r_.R.get(), r_.y.get(), r_.E.get(),
                     sigma.get(), n, K);
    return pack_gradient(model, g_gate, r_.cross(r_.X.get(), r_.p, r_.term.get(), K),
                         r_.column_sums(r_.term2.get()));
  }

  const ExpertSums& expert_sums() const override { return experts_; }
  GateSums& gate_sums() override { return gate_; }

 private:
  mutable Resident r_;
  DeviceExpertSums experts_;
  DeviceGateSums gate_;
};

}  // namespace

std::unique_ptr<Posterior> resident_posterior(const Dataset& data, cublasHandle_t blas, std::mutex& mutex) {
  require(data.n() <= static_cast<std::size_t>(INT_MAX), "moe::cuda::resident_posterior",
          "more observations than cuBLAS's int range");
  require(data.trials.is_empty(), "cuda::resident_posterior",
          "binomial experts with trials run on the cpu device only (the device kernels read 0/1 responses)");
  require(!data.grouped(), "cuda::resident_posterior",
          "grouped data run on the cpu device only (the device E-step is row by row)");
  return std::make_unique<ResidentPosterior>(data, blas, mutex);
}

}  // namespace moe::cuda
