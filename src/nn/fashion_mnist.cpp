#include "moe/nn/fashion_mnist.hpp"

#include <vector>

#include "gzip.hpp"
#include "moe/error.hpp"

namespace moe::nn {
namespace {

// Training-set pixel statistics after scaling to [0, 1] (checked by a test).
constexpr double kPixelMean = 0.2860;
constexpr double kPixelSd = 0.3530;

std::uint32_t big_endian(const std::vector<unsigned char>& b, std::size_t at) {
  return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) | b[at + 3];
}

// The payload of an IDX file of unsigned bytes with the given dimensions.
std::vector<unsigned char> read_idx(const std::string& path, const std::vector<std::uint32_t>& dims) {
  std::vector<unsigned char> b = read_gzip(path, "load_fashion_mnist", "install Debian's dataset-fashion-mnist");
  const std::size_t header = 4 + 4 * dims.size();
  std::size_t payload = 1;
  for (auto d : dims) payload *= d;
  bool ok = b.size() == header + payload && b[0] == 0 && b[1] == 0 && b[2] == 0x08 && b[3] == dims.size();
  for (std::size_t i = 0; ok && i < dims.size(); ++i) ok = big_endian(b, 4 + 4 * i) == dims[i];
  require(ok, "load_fashion_mnist",
          "'" + path + "' is not the expected IDX file (" + std::to_string(b.size()) + " bytes)");
  return {b.begin() + static_cast<std::ptrdiff_t>(header), b.end()};
}

}  // namespace

DenseExamples load_fashion_mnist(const std::string& dir, const std::string& split) {
  require(split == "train" || split == "t10k", "load_fashion_mnist", "split must be 'train' or 't10k'");
  const std::uint32_t n = split == "train" ? 60000 : 10000;
  const auto pixels = read_idx(dir + "/" + split + "-images-idx3-ubyte.gz", {n, 28, 28});
  const auto labels = read_idx(dir + "/" + split + "-labels-idx1-ubyte.gz", {n});
  arma::mat X(28 * 28, n);  // column per image, then transposed: rows are examples
  for (std::size_t i = 0; i < pixels.size(); ++i) X(i) = (pixels[i] / 255.0 - kPixelMean) / kPixelSd;
  arma::uvec y(n);
  for (std::uint32_t i = 0; i < n; ++i) y(i) = labels[i];
  return DenseExamples(X.t(), std::move(y), 10);
}

}  // namespace moe::nn
