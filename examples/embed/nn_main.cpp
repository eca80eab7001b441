// Embedding moe::nn: train a small sigma-MoE classifier in fp32 on synthetic
// data (the class is the quadrant of two of the inputs) and check that it
// learned the rule on held-out examples.
#include <cstdio>
#include <moe/nn/trainer.hpp>

namespace {

moe::nn::DenseExamples quadrants(arma::uword n, std::uint64_t seed) {
  moe::Rng rng(seed);
  arma::mat X(n, 8);
  X.imbue([&] { return rng.normal(); });
  arma::uvec y(n);
  for (arma::uword i = 0; i < n; ++i) y(i) = (X(i, 0) > 0 ? 1 : 0) + (X(i, 1) > 0 ? 2 : 0);
  return moe::nn::DenseExamples(X, y, 4);
}

}  // namespace

int main() {
  moe::nn::NetworkOptions net;  // input projection, residual blocks with sparse MoE FFNs, head
  net.inputs = 8;
  net.classes = 4;
  net.width = 32;
  net.blocks = 2;
  net.moe.experts = 8;
  net.moe.expert_size = 16;
  net.moe.router.kind = moe::nn::RouterKind::sigma;
  net.moe.router.k = 2;
  net.moe.router.entropy = 0.001;
  moe::nn::Network<float> network(net);

  moe::nn::TrainOptions train;
  train.epochs = 10;
  train.batch_size = 64;
  train.learning_rate = 3e-3;
  train.on_epoch = [](const moe::nn::EpochRecord& r) {
    std::printf("epoch %llu: train loss %.4f, test accuracy %.4f, usage entropy %.3f\n",
                static_cast<unsigned long long>(r.epoch), r.train_loss, r.test.accuracy, r.test.usage_entropy);
  };
  const auto records = moe::nn::train(network, quadrants(8000, 1), quadrants(1000, 2), train);
  const bool ok = records.back().test.accuracy > 0.95;
  std::printf("%s\n", ok ? "OK" : "FAILED: the network did not learn the quadrant rule");
  return ok ? 0 : 1;
}
