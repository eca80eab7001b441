// Causal multi-head self-attention (attention.hpp) and the transformer block
// around it (transformer_block.hpp): gradients against finite differences
// (fp64), causality, what one token sees, ALiBi's weights, fp32 against fp64,
// and the sizes refused.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "moe/nn/attention.hpp"
#include "moe/nn/dense_ffn.hpp"
#include "moe/nn/dropout.hpp"
#include "moe/nn/sparse_moe.hpp"
#include "moe/nn/transformer_block.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using moe::testing::random_matrix;
using namespace moe::nn;

TEST(NnAttention, GradientsMatchFiniteDifferencesForSeveralHeadsAndSequences) {
  for (const bool alibi : {false, true})
  for (const arma::uword heads : {1u, 2u, 3u}) {
    SCOPED_TRACE("heads " + std::to_string(heads) + (alibi ? ", ALiBi" : ""));
    Rng rng(10 + heads);
    CausalSelfAttention<double> layer(6, heads, 4, rng, alibi);
    layer.bo.imbue([&] { return rng.normal(); });
    moe::testing::expect_layer_gradients(layer, random_matrix(3 * 4, 6, rng), random_matrix(3 * 4, 6, rng), Pass{});
  }
}

// Changing token t of a sequence changes no output before t, nor any output of
// another sequence; it changes the outputs from t on.
TEST(NnAttention, IsCausalWithinEachSequence) {
  for (const bool alibi : {false, true}) {
  Rng rng(20);
  const arma::uword T = 5;
  CausalSelfAttention<double> layer(4, 2, T, rng, alibi);
  const arma::mat X = random_matrix(2 * T, 4, rng);
  const arma::mat Y = layer.forward(X, Pass{});
  for (arma::uword t = 0; t < T; ++t) {
    arma::mat changed = X;
    changed.row(T + t) += 1.0;  // token t of the second sequence
    const arma::mat Z = layer.forward(changed, Pass{});
    EXPECT_EQ(arma::abs(Z.rows(0, T + t - 1) - Y.rows(0, T + t - 1)).max(), 0.0) << t;
    EXPECT_GT(arma::abs(Z.rows(T + t, 2 * T - 1) - Y.rows(T + t, 2 * T - 1)).min(), 0.0) << t;
  }
  }
}

// With W_q = 0 every score is 0 but ALiBi's: token i of head h weighs token
// j ≤ i by exp(−m_h (i − j)) / Σ, m_h = 2^(−8h/H). With W_v W_o = I per head
// block the output is that weighted mean of the inputs.
TEST(NnAttention, ALiBiWeighsTheRecentTokensByEachHeadsSlope) {
  Rng rng(25);
  const arma::uword T = 6, H = 2, d = 4;
  CausalSelfAttention<double> layer(d, H, T, rng, true);
  layer.Wq.zeros();
  layer.Wv.eye();
  layer.Wo.eye();
  const arma::mat X = random_matrix(T, d, rng);
  const arma::mat Y = layer.forward(X, Pass{});
  for (arma::uword h = 0; h < H; ++h) {
    const double m = std::pow(2.0, -8.0 * static_cast<double>(h + 1) / H);
    for (arma::uword i = 0; i < T; ++i) {
      arma::rowvec expected(2, arma::fill::zeros);
      double total = 0.0;
      for (arma::uword j = 0; j <= i; ++j) {
        const double w = std::exp(-m * static_cast<double>(i - j));
        expected += w * X(j, arma::span(2 * h, 2 * h + 1));
        total += w;
      }
      EXPECT_LT(arma::abs(Y(i, arma::span(2 * h, 2 * h + 1)) - expected / total).max(), 1e-12) << h << ' ' << i;
    }
  }
}

// The first token of a sequence (and every token when the context is one)
// attends to itself alone: Y = X W_v W_o + b_o there.
TEST(NnAttention, TheFirstTokenSeesOnlyItself) {
  Rng rng(21);
  CausalSelfAttention<double> one(6, 3, 1, rng);
  one.bo.imbue([&] { return rng.normal(); });
  const arma::mat X = random_matrix(7, 6, rng);
  arma::mat expected = X * one.Wv * one.Wo;
  expected.each_row() += one.bo;
  EXPECT_LT(arma::abs(one.forward(X, Pass{}) - expected).max(), 1e-12);
  CausalSelfAttention<double> longer(6, 3, 7, rng);
  EXPECT_LT(arma::abs(longer.forward(X, Pass{}).row(0) - X.row(0) * longer.Wv * longer.Wo).max(), 1e-12);
}

TEST(NnAttention, SinglePrecisionFollowsDoublePrecision) {
  Rng a(22), b(22);
  CausalSelfAttention<double> reference(8, 2, 6, a);
  CausalSelfAttention<float> single(8, 2, 6, b);
  Rng draw(23);
  const arma::mat X = random_matrix(12, 8, draw), dY = random_matrix(12, 8, draw);
  const arma::mat Y = reference.forward(X, Pass{});
  const arma::fmat Yf = single.forward(arma::conv_to<arma::fmat>::from(X), Pass{});
  EXPECT_LT(arma::abs(arma::conv_to<arma::mat>::from(Yf) - Y).max(), 1e-4 * arma::abs(Y).max());
  const arma::mat dX = reference.backward(dY);
  const arma::fmat dXf = single.backward(arma::conv_to<arma::fmat>::from(dY));
  EXPECT_LT(arma::abs(arma::conv_to<arma::mat>::from(dXf) - dX).max(), 1e-4 * arma::abs(dX).max());
}

TEST(NnAttention, RefusesSizesThatDoNotFit) {
  Rng rng(24);
  EXPECT_THROW(CausalSelfAttention<double>(6, 4, 3, rng), std::invalid_argument);  // 6 features in 4 heads
  EXPECT_THROW(CausalSelfAttention<double>(6, 2, 0, rng), std::invalid_argument);
  CausalSelfAttention<double> layer(6, 2, 4, rng);
  EXPECT_THROW(layer.forward(arma::mat(6, 6, arma::fill::zeros), Pass{}), std::invalid_argument);  // 1.5 sequences
  EXPECT_THROW(layer.forward(arma::mat(8, 5, arma::fill::zeros), Pass{}), std::invalid_argument);
}

// A block with the dense FFN or a sparse MoE layer (σ-MoE, k = 2 of 4 experts).
TransformerBlock<double> block_with(bool sparse, arma::uword context, Rng& rng) {
  const arma::uword d = 6;
  std::unique_ptr<Layer<double>> ffn;
  if (sparse) {
    SparseMoEOptions o;
    o.experts = 4;
    o.expert_size = 3;
    o.router.kind = RouterKind::sigma;
    o.router.k = 2;
    o.router.balance = 0.1;
    ffn = std::make_unique<SparseMoE<double>>(d, o, rng);
  } else {
    ffn = std::make_unique<DenseFFN<double>>(d, 12, Activation::gelu, rng);
  }
  return TransformerBlock<double>(d, 2, context, std::move(ffn), rng);
}

TEST(NnTransformerBlock, GradientsMatchFiniteDifferencesWithDenseAndSparseFeedForward) {
  for (const bool sparse : {false, true}) {
    SCOPED_TRACE(sparse ? "sparse MoE" : "dense FFN");
    Rng rng(30);
    TransformerBlock<double> block = block_with(sparse, 4, rng);
    moe::testing::expect_layer_gradients(block, random_matrix(2 * 4, 6, rng), random_matrix(2 * 4, 6, rng), Pass{});
    std::vector<Parameter<double>> params;
    block.parameters(params, "block0.");
    EXPECT_EQ(params.front().name, "block0.attention_norm.gain");
    EXPECT_EQ(params[2].name, "block0.attention.query");
  }
}

TEST(NnTransformerBlock, IsCausal) {
  for (const bool sparse : {false, true}) {
    Rng rng(31);
    const arma::uword T = 6;
    TransformerBlock<double> block = block_with(sparse, T, rng);
    const arma::mat X = random_matrix(T, 6, rng);
    const arma::mat Y = block.forward(X, Pass{});
    arma::mat changed = X;
    changed.row(3) -= 2.0;
    const arma::mat Z = block.forward(changed, Pass{});
    EXPECT_EQ(arma::abs(Z.rows(0, 2) - Y.rows(0, 2)).max(), 0.0) << sparse;
    EXPECT_GT(arma::abs(Z.row(3) - Y.row(3)).max(), 0.0) << sparse;
  }
}

// Inverted dropout: the identity at inference; in training entries are 0 or
// 1/(1 − p), about p of them 0, the same draws for a seed, and backward
// applies the forward's mask.
TEST(NnDropout, KeepsTheExpectationAndBackwardUsesTheForwardMask) {
  Dropout<double> layer(0.25);
  Rng draw(40);
  const arma::mat X = random_matrix(100, 100, draw) + 3.0, dY = random_matrix(100, 100, draw);
  EXPECT_EQ(arma::abs(layer.forward(X, Pass{}) - X).max(), 0.0);
  EXPECT_EQ(arma::abs(layer.backward(dY) - dY).max(), 0.0);
  Rng a(41), b(41);
  const arma::mat Y = layer.forward(X, training_pass(a, cpu_layer_kernels()));
  const arma::mat scale = Y / X;
  EXPECT_TRUE(arma::all(arma::vectorise(arma::abs(scale) < 1e-12 || arma::abs(scale - 4.0 / 3.0) < 1e-12)));
  EXPECT_NEAR(arma::accu(scale == 0.0) / 10000.0, 0.25, 0.02);
  EXPECT_LT(arma::abs(layer.backward(dY) - dY % scale).max(), 1e-12);
  Dropout<double> same(0.25);
  EXPECT_EQ(arma::abs(same.forward(X, training_pass(b, cpu_layer_kernels())) - Y).max(), 0.0);
  EXPECT_THROW(Dropout<double>(1.0), std::invalid_argument);
  EXPECT_THROW(Dropout<double>(-0.1), std::invalid_argument);
}

}  // namespace
