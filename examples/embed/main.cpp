// Embedding moe: draw from a known 2-expert Gaussian model, fit it by EM, and
// check the estimates against the truth after matching the expert labels.
#include <cstdio>
#include <moe/em.hpp>
#include <moe/local_rates.hpp>
#include <moe/matching.hpp>

int main() {
  moe::Model truth;  // y | x, k ~ N(b0_k + b1_k x, sigma_k^2),  P(k = 1 | z) = sigmoid(a0 + a1 z)
  truth.experts.family = moe::Family::gaussian;
  truth.experts.coef = {{-2.0, 3.0}, {1.5, -1.0}};    // p x K: row 1 intercepts, row 2 slopes
  truth.experts.sigma = {0.5, 0.8};
  truth.gate.coef = {{0.3, 0.0}, {1.2, 0.0}};         // q x K; last column: the reference, 0
  const arma::uword n = 2000;
  moe::Rng rng(2024);
  moe::Dataset data;
  data.X = moe::make_design(arma::mat(n, 1).imbue([&] { return rng.normal(); }), true);
  data.Z = moe::make_design(arma::mat(n, 1).imbue([&] { return rng.normal(); }), true);
  data.y = moe::sample(truth, data.X, data.Z, rng);

  moe::EMOptions options;
  options.control.starts = 5;
  options.control.seed = 7;
  const moe::Fit fit = moe::EM(options).fit(data, 2, moe::Family::gaussian);
  const moe::ParameterError err = moe::parameter_error(fit.model, truth);
  std::printf("loglik %.6f after %llu iterations (%s)\n", fit.loglik,
              static_cast<unsigned long long>(fit.iterations), fit.converged ? "converged" : "not converged");
  fit.model.experts.coef.print("expert coefficients (columns = experts):");
  fit.model.experts.sigma.t().print("sigma:");
  fit.model.gate.coef.print("gate coefficients:");
  std::printf("max error after matching: experts %.4f, sigma %.4f, gate %.4f\n", err.experts,
              err.sigma, err.gate);
  // Why EM took that many iterations: near the maximum its error shrinks by the
  // largest fraction of missing information per iteration.
  const moe::LocalRates rates(fit.model, data);
  std::printf("EM's predicted rate: the error shrinks by %.3f per iteration\n", rates.em());
  const bool ok = err.experts < 0.2 && err.sigma < 0.1 && err.gate < 0.4 && rates.valid() && rates.em() < 1.0;
  std::printf("%s\n", ok ? "OK" : "FAILED: estimates too far from the truth");
  return ok ? 0 : 1;
}
