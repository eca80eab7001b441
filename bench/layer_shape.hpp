#pragma once
// The layer shapes the nn layer benchmarks take on their command line.

#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>

namespace moe::bench {

/// T tokens of width d, E experts of G hidden units, k experts per token.
struct LayerShape {
  std::size_t T, d, E, k, G;
};

/// "A" (T=16384 d=1024 E=64 k=4 G=1024), "B" (T=16384 d=1024 E=512 k=8 G=128),
/// or "T,d,E,k,G"; throws std::invalid_argument otherwise.
inline LayerShape parse_layer_shape(const std::string& s) {
  if (s == "A") return {16384, 1024, 64, 4, 1024};
  if (s == "B") return {16384, 1024, 512, 8, 128};
  LayerShape shape{};
  char comma;
  std::istringstream in(s);
  if (!(in >> shape.T >> comma >> shape.d >> comma >> shape.E >> comma >> shape.k >> comma >> shape.G))
    throw std::invalid_argument("CONFIG must be A, B or T,d,E,k,G");
  return shape;
}

}  // namespace moe::bench
