#pragma once
/// @file rng.hpp
/// The random number source of every seeded algorithm in moe. A fixed seed gives
/// the same stream on every run; front ends (R) may derive their own source.

#include <cstdint>
#include <random>

namespace moe {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  virtual ~Rng() = default;

  /// Uniform on [0, 1).
  virtual double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(engine_); }
  /// Standard normal.
  virtual double normal() { return std::normal_distribution<double>(0.0, 1.0)(engine_); }
  /// A Poisson(mean) count, from uniform() alone: inversion for mean < 10,
  /// Hörmann's transformed rejection (PTRS, 1993) above. mean: finite, ≥ 0.
  double poisson(double mean);
  /// A Gamma(shape, 1) draw, from normal() and uniform() (Marsaglia and
  /// Tsang, 2000; shape < 1 by Stuart's u^{1/shape} boost). shape: finite, > 0.
  double gamma(double shape);
  /// Uniform integer in {0, ..., n-1}.
  std::size_t index(std::size_t n) {
    auto i = static_cast<std::size_t>(uniform() * static_cast<double>(n));
    return i < n ? i : n - 1;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace moe
