// Times EM iterations on simulated data on a device ("cpu" or "cuda"), for the
// GPU comparison of bench/RESULTS.md: n observations, p expert and q gate
// columns (an intercept and N(0, 1) covariates), K experts, Gaussian or
// logistic. The fit starts near the simulating model and runs a fixed number of
// iterations (tol = 0, no gradient diagnostics), for EM (gate M-step by Newton
// to convergence) and generalized EM (one Newton step). The iterations differ
// in work (the gate's Hessian is carried between M-steps and rebuilt only when
// it mispredicts a step), so the median and the slowest iteration are both
// reported, with the mean. On cuda it also
// measures the device's copy bandwidth and FP64 GEMM rate and states the floor
// of an iteration: max(bytes of X, Z, y read once / bandwidth, FLOPs of the
// distinct entries of one set of expert Grams and one gate Hessian / GEMM rate).
//
//   em_device_bench DEVICE N P Q K gaussian|binomial [iterations=5] [seed=1] [methods=em,gem]
//
// Prints one JSON object per method and line.
#include <chrono>
#include <cstdio>
#include <string>

#include "moe/backend.hpp"
#include "moe/em.hpp"
#include "fit_timing.hpp"

namespace {

// A model with random coefficients of the given sizes (gate's last column zero).
moe::Model random_model(arma::uword p, arma::uword q, arma::uword K, moe::Family family, moe::Rng& rng) {
  moe::Model m;
  m.gate.coef.set_size(q, K);
  m.gate.coef.imbue([&] { return 0.5 * rng.normal(); });
  m.gate.coef.col(K - 1).zeros();
  m.experts.family = family;
  m.experts.coef.set_size(p, K);
  m.experts.coef.imbue([&] { return rng.normal(); });
  if (family == moe::Family::gaussian) m.experts.sigma = arma::vec(K, arma::fill::value(0.5));
  return m;
}

arma::mat design(arma::uword n, arma::uword columns, moe::Rng& rng) {
  arma::mat D(n, columns);
  D.imbue([&] { return rng.normal(); });
  D.col(0).ones();
  return D;
}

// Whether `name` is one of the comma-separated names of `list`.
bool listed(const std::string& list, const std::string& name) {
  return ("," + list + ",").find("," + name + ",") != std::string::npos;
}

// The floor of one iteration on the device and how it was found, as JSON fields.
// The rates come from a 1 GiB copy and an order-8192 DGEMM, or from small ones
// for a quick check (n < 10⁵).
std::string floor_fields(const moe::Dataset& data, arma::uword K) {
  const double n = static_cast<double>(data.n()), p = data.X.n_cols, q = data.Z.n_cols, k = K;
  const bool full = n >= 1e5;
  const moe::DeviceRates rates = moe::measure_cuda_rates(full ? std::size_t{1} << 30 : 1 << 20, full ? 8192 : 64, 5);
  // the distinct entries of the K expert Grams and of the K(K−1)/2 gate Hessian blocks, 2 FLOPs per row each
  const double bytes = 8.0 * n * (p + q + 1.0), flops = n * p * (p + 1.0) * k + n * q * (q + 1.0) * k * (k - 1.0) / 2.0;
  const double floor = std::max(bytes / rates.copy_bytes_per_second, flops / rates.fp64_gemm_flops);
  char text[512];
  std::snprintf(text, sizeof text,
                ", \"gpu\": \"%s\", \"copy_GBps\": %.1f, \"dgemm_TFLOPs\": %.2f, \"floor_bytes\": %.4g, "
                "\"floor_flops\": %.4g, \"floor_seconds\": %.4g",
                rates.name.c_str(), rates.copy_bytes_per_second * 1e-9, rates.fp64_gemm_flops * 1e-12, bytes, flops,
                floor);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr,
                 "usage: em_device_bench cpu|cuda N P Q K gaussian|binomial [iterations=5] [seed=1] [methods=em,gem]\n");
    return 2;
  }
  try {
    const std::string device = argv[1];
    const arma::uword n = std::stoul(argv[2]), p = std::stoul(argv[3]), q = std::stoul(argv[4]),
                      K = std::stoul(argv[5]);
    const moe::Family family = moe::parse_family(argv[6]);
    const arma::uword iterations = argc > 7 ? std::stoul(argv[7]) : 5;
    moe::Rng rng(argc > 8 ? std::stoull(argv[8]) : 1);
    const std::string methods = argc > 9 ? argv[9] : "em,gem";

    const moe::Model truth = random_model(p, q, K, family, rng);
    moe::Dataset data;
    data.X = design(n, p, rng);
    data.Z = design(n, q, rng);
    data.y = moe::sample(truth, data.X, data.Z, rng);
    const moe::Model start = moe::unpack(truth, moe::pack(truth) + 0.05);
    const std::string floor = device == "cuda" ? floor_fields(data, K) : "";

    for (const bool exact_gate : {true, false}) {
      if (!listed(methods, exact_gate ? "em" : "gem")) continue;
      moe::EMOptions options;
      options.exact_gate = exact_gate;
      options.control.kernels = &moe::kernels_for(device);
      options.control.tol = 0.0;
      options.control.max_iter = iterations;
      options.control.record_gradient = false;
      const auto t0 = std::chrono::steady_clock::now();
      const moe::Fit fit = moe::EM(options).fit_from(data, start);
      const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const arma::vec steps = moe::bench::iteration_seconds(fit);
      std::printf("{\"bench\": \"em_device\", \"device\": \"%s\", \"family\": \"%s\", \"method\": \"%s\", "
                  "\"n\": %llu, \"p\": %llu, \"q\": %llu, \"K\": %llu, \"iterations\": %llu, "
                  "\"seconds_per_iteration\": %.6g, \"mean_iteration_seconds\": %.6g, "
                  "\"slowest_iteration_seconds\": %.6g, \"fit_seconds\": %.6g, \"loglik\": %.12g%s}\n",
                  device.c_str(), argv[6], exact_gate ? "em" : "gem", static_cast<unsigned long long>(n),
                  static_cast<unsigned long long>(p), static_cast<unsigned long long>(q),
                  static_cast<unsigned long long>(K), static_cast<unsigned long long>(fit.iterations),
                  arma::median(steps), arma::mean(steps), steps.max(), total, fit.loglik, floor.c_str());
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "em_device_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
