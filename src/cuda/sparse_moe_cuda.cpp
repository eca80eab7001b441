// nn::SparseMoEDevice on DeviceSparseMoE<float>: per forward the weights and the
// input go up and the output, the routing (and the mean router probabilities
// when an auxiliary loss needs them) come down; per backward dY goes up and
// dX and the weight gradients come down. The input stays on the device between
// the two, as the device layer needs.
#include "sparse_moe_cuda.hpp"

#include <cstdint>
#include <vector>

#include "moe/error.hpp"
#include "row_transfer.hpp"
#include "sparse_moe_device.hpp"

namespace moe::cuda {
namespace {

template <class T>
void download(T* host, const T* device, std::size_t count) {
  if (count > 0) MOE_CUDA_CHECK(cudaMemcpy(host, device, count * sizeof(T), cudaMemcpyDeviceToHost));
}

class CudaSparseMoE final : public nn::SparseMoEDevice {
 public:
  explicit CudaSparseMoE(const SparseMoEShape& shape) : shape_(shape), layer_(shape) {}

  void forward(const arma::fmat& X, const arma::fcube& W1, const arma::fcube& W2, const arma::fmat& router,
               arma::uword k, const arma::uchar_mat& dropped, bool probabilities, arma::fmat& Y, nn::Routing& routing,
               arma::rowvec& mean_prob) override {
    const std::size_t n = X.n_rows, d = shape_.d, E = shape_.experts;
    require(X.n_cols == d, "SparseMoE (cuda)", "the input needs d columns");
    require(dropped.is_empty() || (dropped.n_rows == n && dropped.n_cols == E), "SparseMoE (cuda)",
            "the dropout mask must be n×E");
    layer_.set_weights(W1.memptr(), W2.memptr(), router.memptr());
    X_ = upload_rows(X);
    const DeviceBuffer<std::uint8_t> mask(dropped.memptr(), dropped.n_elem);
    DeviceBuffer<float> output(n * d);
    layer_.forward(X_.get(), n, k, output.get(), mask.get(), probabilities);
    Y = download_rows(output, n, d);
    routing.offsets = arma::conv_to<arma::uvec>::from(layer_.offsets());
    const std::size_t live = layer_.offsets().back();
    std::vector<std::uint64_t> token(live);
    std::vector<float> weight(live);
    layer_.download_routing(token.data(), weight.data());
    routing.token = arma::conv_to<arma::uvec>::from(token);
    routing.weight = arma::conv_to<arma::vec>::from(weight);
    mean_prob = probabilities ? arma::conv_to<arma::rowvec>::from(layer_.mean_probabilities()) : arma::rowvec();
  }

  void backward(const arma::fmat& dY, const arma::rowvec& aux_row, arma::fmat& dX, arma::fcube& dW1,
                arma::fcube& dW2, arma::fmat& d_router) override {
    const std::size_t n = dY.n_rows, d = shape_.d, G = shape_.expert_size, E = shape_.experts;
    require(X_.size() == n * d && dY.n_cols == d, "SparseMoE (cuda)", "dY must match the last forward's output");
    const std::vector<float> c(aux_row.begin(), aux_row.end());
    const DeviceBuffer<float> gradient = upload_rows(dY);
    DeviceBuffer<float> input_gradient(n * d);
    layer_.backward(gradient.get(), c.empty() ? nullptr : c.data(), input_gradient.get());
    dX = download_rows(input_gradient, n, d);
    dW1.set_size(d, G, E);
    dW2.set_size(G, d, E);
    d_router.set_size(d, E);
    download(dW1.memptr(), layer_.dW1(), dW1.n_elem);
    download(dW2.memptr(), layer_.dW2(), dW2.n_elem);
    download(d_router.memptr(), layer_.d_router(), d_router.n_elem);
  }

 private:
  SparseMoEShape shape_;
  DeviceSparseMoE<float> layer_;
  DeviceBuffer<float> X_;
};

}  // namespace

std::unique_ptr<nn::SparseMoEDevice> make_sparse_moe_device(arma::uword d, const nn::SparseMoEOptions& options) {
  SparseMoEShape shape;
  shape.d = d;
  shape.experts = options.experts;
  shape.expert_size = options.expert_size;
  shape.softmax_router = options.router.kind == nn::RouterKind::softmax;
  shape.gelu = options.activation == nn::Activation::gelu;
  return std::make_unique<CudaSparseMoE>(shape);
}

}  // namespace moe::cuda
