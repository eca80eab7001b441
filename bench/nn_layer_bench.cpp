// Forward + backward time of the sparse MoE layer against a dense FFN with the
// same FLOPs (d_ff = k·G), in one process; or of causal self-attention.
//
//   nn_layer_bench CONFIG PRECISION DEVICE [REPEATS]
//     CONFIG: A (T=16384 d=1024 E=64 k=4 G=1024), B (T=16384 d=1024 E=512 k=8
//             G=128), or T,d,E,k,G (e.g. 2048,1024,64,4,1024)
//     PRECISION: fp32 | fp64;  DEVICE: cpu | cuda
//   nn_layer_bench attention B,T,d,H PRECISION [REPEATS]
//     B sequences of T tokens, width d, H heads (no ALiBi bias), on the CPU
// Prints one JSON object: the shapes and the median seconds of each layer. The
// allocator is set as the command line sets it (moe/heap.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "layer_shape.hpp"
#include "moe/backend.hpp"
#include "moe/heap.hpp"
#include "moe/nn/attention.hpp"
#include "moe/nn/dense_ffn.hpp"
#include "moe/nn/sparse_moe.hpp"

namespace {

using Shape = moe::bench::LayerShape;

// Median seconds of `repeats` runs of forward + backward (after one warm-up).
template <class eT>
double median_seconds(moe::nn::Layer<eT>& layer, const arma::Mat<eT>& X, const arma::Mat<eT>& dY,
                      const moe::nn::Pass& pass, int repeats) {
  std::vector<double> times;
  for (int r = 0; r <= repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    layer.forward(X, pass);
    layer.backward(dY);
    if (r > 0) times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

template <class eT>
void run(const Shape& s, const moe::nn::LayerKernels& kernels, int repeats, const char* precision) {
  moe::Rng rng(1);
  moe::nn::SparseMoEOptions o;
  o.experts = s.E;
  o.expert_size = s.G;
  o.router.k = s.k;
  moe::nn::SparseMoE<eT> sparse(s.d, o, rng);
  moe::nn::DenseFFN<eT> dense(s.d, s.k * s.G, moe::nn::Activation::relu, rng);
  arma::Mat<eT> X(s.T, s.d), dY(s.T, s.d);
  X.imbue([&] { return static_cast<eT>(rng.normal()); });
  dY.imbue([&] { return static_cast<eT>(rng.normal()); });
  const moe::nn::Pass pass = moe::nn::inference_pass(kernels);
  const double t_sparse = median_seconds(sparse, X, dY, pass, repeats);
  const double t_dense = median_seconds(dense, X, dY, pass, repeats);
  std::printf("{\"T\": %llu, \"d\": %llu, \"E\": %llu, \"k\": %llu, \"G\": %llu, \"precision\": \"%s\", "
              "\"device\": \"%s\", \"repeats\": %d, \"moe_seconds\": %.6g, \"dense_seconds\": %.6g, "
              "\"ratio\": %.4g}\n",
              static_cast<unsigned long long>(s.T), static_cast<unsigned long long>(s.d),
              static_cast<unsigned long long>(s.E), static_cast<unsigned long long>(s.k),
              static_cast<unsigned long long>(s.G), precision, kernels.name(), repeats, t_sparse, t_dense,
              t_sparse / t_dense);
}

// Causal self-attention over B sequences of T tokens of width d in H heads.
template <class eT>
void run_attention(const std::string& shape, int repeats, const char* precision) {
  std::size_t B = 0, T = 0, d = 0, H = 0;
  char comma;
  std::istringstream in(shape);
  if (!(in >> B >> comma >> T >> comma >> d >> comma >> H))
    throw std::invalid_argument("the attention's shape must be B,T,d,H");
  moe::Rng rng(1);
  moe::nn::CausalSelfAttention<eT> attention(d, H, T, rng);
  arma::Mat<eT> X(B * T, d), dY(B * T, d);
  X.imbue([&] { return static_cast<eT>(rng.normal()); });
  dY.imbue([&] { return static_cast<eT>(rng.normal()); });
  const double seconds = median_seconds(attention, X, dY, moe::nn::inference_pass(moe::nn::cpu_layer_kernels()), repeats);
  std::printf("{\"B\": %zu, \"T\": %zu, \"d\": %zu, \"heads\": %zu, \"precision\": \"%s\", \"repeats\": %d, "
              "\"attention_seconds\": %.6g}\n", B, T, d, H, precision, repeats, seconds);
}

// `nn_layer_bench attention B,T,d,H PRECISION [REPEATS]`.
void attention_main(int argc, char** argv) {
  if (argc < 4) throw std::invalid_argument("usage: nn_layer_bench attention B,T,d,H fp32|fp64 [REPEATS]");
  const std::string precision = argv[3];
  const int repeats = argc > 4 ? std::max(1, std::stoi(argv[4])) : 5;
  if (precision == "fp32")
    run_attention<float>(argv[2], repeats, "fp32");
  else if (precision == "fp64")
    run_attention<double>(argv[2], repeats, "fp64");
  else
    throw std::invalid_argument("PRECISION must be fp32 or fp64");
}

}  // namespace

int main(int argc, char** argv) {
  moe::keep_large_blocks_in_the_heap();  // as the command line does
  try {
    if (argc > 1 && std::string(argv[1]) == "attention") {
      attention_main(argc, argv);
      return 0;
    }
    if (argc < 4) throw std::invalid_argument("usage: nn_layer_bench CONFIG fp32|fp64 cpu|cuda [REPEATS]");
    const Shape shape = moe::bench::parse_layer_shape(argv[1]);
    const std::string precision = argv[2];
    const moe::nn::LayerKernels& kernels = moe::nn::layer_kernels_for(argv[3]);
    const int repeats = argc > 4 ? std::max(1, std::stoi(argv[4])) : 5;
    if (precision == "fp32")
      run<float>(shape, kernels, repeats, "fp32");
    else if (precision == "fp64")
      run<double>(shape, kernels, repeats, "fp64");
    else
      throw std::invalid_argument("PRECISION must be fp32 or fp64");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nn_layer_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
