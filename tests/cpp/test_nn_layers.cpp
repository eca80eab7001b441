// Gradients of the moe::nn layers against finite differences (fp64), and the
// properties a sparse layer must keep: empty experts, k = E, no NaN.
#include <gtest/gtest.h>

#include "moe/nn/dense_ffn.hpp"
#include "moe/nn/layer_norm.hpp"
#include "moe/nn/linear.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/sparse_moe.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using moe::testing::random_matrix;
using namespace moe::nn;

TEST(NnLayers, LinearGradients) {
  Rng rng(1);
  Linear<double> layer(5, 3, rng);
  layer.b.imbue([&] { return rng.normal(); });
  moe::testing::expect_layer_gradients(layer, random_matrix(7, 5, rng), random_matrix(7, 3, rng), Pass{});
}

TEST(NnLayers, LayerNormGradients) {
  Rng rng(2);
  LayerNorm<double> layer(6);
  layer.gain.imbue([&] { return 1.0 + 0.3 * rng.normal(); });
  layer.bias.imbue([&] { return rng.normal(); });
  moe::testing::expect_layer_gradients(layer, random_matrix(5, 6, rng), random_matrix(5, 6, rng), Pass{});
}

TEST(NnLayers, LayerNormOutputHasZeroMeanAndUnitVariance) {
  Rng rng(3);
  LayerNorm<double> layer(8, 0.0);
  const arma::mat Y = layer.forward(3.0 + 2.0 * random_matrix(4, 8, rng), Pass{});
  EXPECT_LT(arma::abs(arma::mean(Y, 1)).max(), 1e-12);
  EXPECT_LT(arma::abs(arma::mean(arma::square(Y), 1) - 1.0).max(), 1e-12);
}

TEST(NnLayers, DenseFFNGradientsBothActivations) {
  for (Activation act : {Activation::relu, Activation::gelu}) {
    Rng rng(4);
    DenseFFN<double> layer(4, 6, act, rng);
    moe::testing::expect_layer_gradients(layer, random_matrix(9, 4, rng), random_matrix(9, 4, rng), Pass{});
  }
}

SparseMoEOptions moe_options(RouterKind kind, arma::uword experts, arma::uword k) {
  SparseMoEOptions o;
  o.experts = experts;
  o.expert_size = 3;
  o.activation = Activation::gelu;
  o.router.kind = kind;
  o.router.k = k;
  o.router.balance = 0.3;
  o.router.entropy = 0.2;
  return o;
}

TEST(NnLayers, SparseMoEGradientsBothRoutersAndSeveralK) {
  for (RouterKind kind : {RouterKind::softmax, RouterKind::sigma})
    for (arma::uword k : {1u, 2u, 4u}) {
      SCOPED_TRACE(std::string(router_name(kind)) + " k=" + std::to_string(k));
      Rng rng(5 + k);
      SparseMoE<double> layer(4, moe_options(kind, 5, k), rng);
      layer.router.W *= 3.0;  // sharper routing: more unequal expert loads
      moe::testing::expect_layer_gradients(layer, random_matrix(11, 4, rng), random_matrix(11, 4, rng), Pass{});
    }
}

TEST(NnLayers, SparseMoEWithReluMatchesFiniteDifferences) {
  Rng rng(6);
  auto o = moe_options(RouterKind::sigma, 4, 2);
  o.activation = Activation::relu;
  SparseMoE<double> layer(5, o, rng);
  moe::testing::expect_layer_gradients(layer, random_matrix(8, 5, rng), random_matrix(8, 5, rng), Pass{});
}

// The dense definition: y_t = Σ_e gate(t, e) · W2_eᵀ act(W1_eᵀ x_t).
arma::mat dense_definition(const SparseMoE<double>& layer, const arma::mat& X, const arma::mat& gate) {
  arma::mat Y(X.n_rows, X.n_cols, arma::fill::zeros);
  for (arma::uword e = 0; e < layer.W1.n_slices; ++e) {
    const arma::mat out = activate(layer.options().activation, arma::mat(X * layer.W1.slice(e))) * layer.W2.slice(e);
    Y += out.each_col() % gate.col(e);
  }
  return Y;
}

TEST(NnLayers, KEqualsEUsesEveryExpertAndSoftmaxGatesSumToOne) {
  Rng rng(7);
  SparseMoE<double> layer(4, moe_options(RouterKind::softmax, 3, 3), rng);
  const arma::mat X = random_matrix(6, 4, rng);
  const arma::mat Y = layer.forward(X, Pass{});
  const arma::mat& gate = layer.router.decision().gate;
  EXPECT_TRUE(arma::all(arma::vectorise(gate) > 0.0));
  EXPECT_LT(arma::abs(arma::sum(gate, 1) - 1.0).max(), 1e-14);
  EXPECT_LT(arma::abs(gate - softmax_rows(layer.router.decision().logits)).max(), 1e-14);
  EXPECT_LT(arma::abs(Y - dense_definition(layer, X, gate)).max(), 1e-12);
}

TEST(NnLayers, SigmaGatesAreSigmoidsOfTheChosenLogitsWithoutRenormalization) {
  Rng rng(8);
  SparseMoE<double> layer(4, moe_options(RouterKind::sigma, 6, 2), rng);
  const arma::mat X = random_matrix(10, 4, rng);
  const arma::mat Y = layer.forward(X, Pass{});
  const auto& d = layer.router.decision();
  for (arma::uword t = 0; t < X.n_rows; ++t) {
    const arma::uvec chosen = arma::find(d.gate.row(t) != 0.0);
    ASSERT_EQ(chosen.n_elem, 2u);
    const arma::uvec order = arma::sort_index(d.logits.row(t), "descend");
    const arma::uvec top2 = arma::sort(order.head(2));
    EXPECT_TRUE(arma::all(chosen == top2));  // find() returns them in increasing order
    for (arma::uword e : chosen) EXPECT_DOUBLE_EQ(d.gate(t, e), 1.0 / (1.0 + std::exp(-d.logits(t, e))));
  }
  EXPECT_LT(arma::abs(Y - dense_definition(layer, X, d.gate)).max(), 1e-12);
}

TEST(NnLayers, ExpertWithoutTokensGetsZeroGradientsAndNoNaN) {
  Rng rng(9);
  SparseMoE<double> layer(4, moe_options(RouterKind::softmax, 4, 1), rng);
  layer.router.W.col(3) = -10.0 * arma::ones(4);  // expert 3 never wins for these inputs
  const arma::mat X = arma::abs(random_matrix(12, 4, rng));
  layer.forward(X, Pass{});
  ASSERT_EQ(layer.router.decision().routing.count(3), 0u);
  layer.backward(random_matrix(12, 4, rng));
  EXPECT_TRUE(arma::all(arma::vectorise(layer.dW1.slice(3)) == 0.0));
  EXPECT_TRUE(arma::all(arma::vectorise(layer.dW2.slice(3)) == 0.0));
  EXPECT_TRUE(layer.dW1.is_finite() && layer.dW2.is_finite() && layer.router.dW.is_finite());
}

TEST(NnLayers, AnExpertWhoseProbabilityUnderflowsKeepsTheLossesFinite) {
  Rng rng(17);
  SparseMoE<double> layer(4, moe_options(RouterKind::sigma, 4, 1), rng);  // entropy and balance on
  layer.router.W.col(3) = -1e4 * arma::ones(4);
  const arma::mat X = arma::abs(random_matrix(12, 4, rng)) + 0.5;
  layer.forward(X, Pass{});
  ASSERT_EQ(arma::max(layer.router.decision().probs.col(3)), 0.0);  // exp underflowed
  EXPECT_TRUE(std::isfinite(layer.auxiliary_loss()));
  const arma::mat dX = layer.backward(random_matrix(12, 4, rng));
  EXPECT_TRUE(dX.is_finite() && layer.router.dW.is_finite() && layer.dW1.is_finite() && layer.dW2.is_finite());
}

TEST(NnLayers, ExpertDropoutRemovesPairsOnlyWhenTraining) {
  Rng rng(10);
  auto o = moe_options(RouterKind::sigma, 8, 4);
  o.router.expert_dropout = 0.5;
  SparseMoE<double> layer(4, o, rng);
  const arma::mat X = random_matrix(200, 4, rng);
  layer.forward(X, Pass{});
  EXPECT_EQ(layer.router.decision().routing.n_assignments(), 800u);
  Rng drop(11);
  layer.forward(X, training_pass(drop, moe::nn::cpu_layer_kernels()));
  const double kept = layer.router.decision().routing.n_assignments();
  // With half the pairs removed a token still finds 4 of the ~4 survivors most of the time.
  EXPECT_LT(kept, 800.0);
  EXPECT_GT(kept, 600.0);
  EXPECT_THROW(layer.forward(X, Pass{true, nullptr}), std::invalid_argument);
}

TEST(NnLayers, ExpertDropoutGradientsWithAFixedMask) {
  Rng rng(12);
  auto o = moe_options(RouterKind::softmax, 6, 3);
  o.router.expert_dropout = 0.3;
  SparseMoE<double> layer(4, o, rng);
  const arma::mat X = random_matrix(9, 4, rng);
  const arma::mat R = random_matrix(9, 4, rng);
  Rng mask(13);
  // Reseeding before each forward pass fixes the dropout mask.
  struct Reseeded : moe::nn::Layer<double> {
    SparseMoE<double>& inner;
    Rng& rng;
    Reseeded(SparseMoE<double>& l, Rng& r) : inner(l), rng(r) {}
    arma::mat forward(const arma::mat& X, const Pass&) override {
      rng = Rng(13);
      return inner.forward(X, training_pass(rng, moe::nn::cpu_layer_kernels()));
    }
    arma::mat backward(const arma::mat& dY) override { return inner.backward(dY); }
    void parameters(std::vector<Parameter<double>>& out, const std::string& p) override { inner.parameters(out, p); }
    double auxiliary_loss() const override { return inner.auxiliary_loss(); }
  } reseeded(layer, mask);
  moe::testing::expect_layer_gradients(reseeded, X, R, Pass{});
}

TEST(NnLayers, RouterRejectsBadOptions) {
  Rng rng(14);
  auto o = moe_options(RouterKind::sigma, 4, 5);
  EXPECT_THROW(SparseMoE<double>(3, o, rng), std::invalid_argument);
  o.router.k = 2;
  o.router.expert_dropout = 1.0;
  EXPECT_THROW(SparseMoE<double>(3, o, rng), std::invalid_argument);
  EXPECT_THROW(router_from_name("top1"), std::invalid_argument);
  EXPECT_THROW(activation_from_name("tanh"), std::invalid_argument);
}

TEST(NnLayers, RouterColumnsStartWithEqualNorm) {
  Rng rng(15);
  SparseMoE<double> layer(16, moe_options(RouterKind::sigma, 8, 2), rng);
  EXPECT_LT(arma::abs(arma::sqrt(arma::sum(arma::square(layer.router.W), 0)) - 1.0).max(), 1e-12);
}

TEST(NnLoss, CrossEntropyGradientAndValue) {
  Rng rng(16);
  arma::mat logits = random_matrix(6, 4, rng);
  const arma::uvec labels = {0, 3, 1, 1, 2, 3};
  arma::mat d;
  const double nll = cross_entropy(logits, labels, &d);
  const arma::mat P = softmax_rows(logits);
  double expected = 0.0;
  for (arma::uword i = 0; i < 6; ++i) expected -= std::log(P(i, labels(i))) / 6.0;
  EXPECT_NEAR(nll, expected, 1e-14);
  moe::testing::expect_gradient([&] { return cross_entropy(logits, labels); }, logits.memptr(), d.memptr(),
                                logits.n_elem, "dlogits");
  EXPECT_THROW(cross_entropy(logits, arma::uvec{0, 1}), std::invalid_argument);
}

TEST(NnLoss, ExpectedCalibrationErrorByHand) {
  // Two bins. Confidences 0.9 (right), 0.8 (wrong) in bin 2; 0.4 (right) in bin 1 (3 classes, max 0.4).
  const arma::mat P = {{0.9, 0.1, 0.0}, {0.2, 0.8, 0.0}, {0.4, 0.3, 0.3}};
  const arma::uvec y = {0, 0, 0};
  // bin (0.5, 1]: 2 examples, accuracy 1/2, confidence 0.85 → |0.5 − 0.85|·2/3
  // bin (0, 0.5]: 1 example, accuracy 1, confidence 0.4 → |1 − 0.4|·1/3
  EXPECT_NEAR(expected_calibration_error(P, y, 2), 0.35 * 2 / 3 + 0.6 / 3, 1e-14);
  EXPECT_NEAR(expected_calibration_error(arma::mat{{1.0, 0.0}}, arma::uvec{0}, 15), 0.0, 1e-15);
}

}  // namespace
