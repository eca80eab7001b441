// The seed methods on the sparse layer: CKA and SimSMoE's penalty, SCMoE's
// self-contrast inference, E³ ensembles of experts.
#include <gtest/gtest.h>

#include "moe/kernels.hpp"
#include "moe/nn/cka.hpp"
#include "moe/nn/co_selection.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/scmoe.hpp"
#include "moe/nn/trainer.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using moe::testing::random_matrix;
using namespace moe::nn;

const CkaOptions kLinear{CkaKernel::linear, 0.0};
const CkaOptions kRbf{CkaKernel::rbf, 0.0};

TEST(Cka, OneForIdenticalAndInvariantToOrthogonalMapsAndScaling) {
  Rng rng(1);
  const arma::mat A = random_matrix(20, 5, rng);
  arma::mat Q, R;
  arma::qr(Q, R, random_matrix(5, 5, rng));
  for (const CkaOptions& o : {kLinear, kRbf}) {
    EXPECT_NEAR(cka(A, A, o), 1.0, 1e-12);
    EXPECT_NEAR(cka(A, 3.7 * A * Q, o), 1.0, 1e-12);  // RBF: the median bandwidth scales along
    const arma::mat B = random_matrix(20, 4, rng);
    EXPECT_NEAR(cka(A, B, o), cka(A * Q, 0.2 * B, o), 1e-12);
    EXPECT_LT(cka(A, B, o), 0.9);
  }
}

TEST(Cka, MatchesAHandComputation) {
  // n = 3, one feature each: a = (1, 2, 3), b = (1, 0, 2). Linear kernels.
  // Centered: ā = (−1, 0, 1), b̄ = (0, −1, 1); K̃ = āāᵀ, L̃ = b̄b̄ᵀ;
  // tr(K̃L̃) = (āᵀb̄)² = 1, tr(K̃K̃) = ‖ā‖⁴ = 4, tr(L̃L̃) = 4 → CKA = 1/4.
  EXPECT_NEAR(cka(arma::mat{1.0, 2.0, 3.0}.t(), arma::mat{1.0, 0.0, 2.0}.t(), kLinear), 0.25, 1e-15);
  EXPECT_EQ(cka(arma::mat{1.0, 2.0, 3.0}.t(), arma::mat(3, 1, arma::fill::ones), kLinear), 0.0);  // constant
}

TEST(Cka, GradientsMatchFiniteDifferences) {
  Rng rng(2);
  arma::mat A = random_matrix(7, 3, rng), B = random_matrix(7, 4, rng);
  for (const CkaOptions& o : {kLinear, CkaOptions{CkaKernel::rbf, 1.7}}) {
    arma::mat dA, dB;
    cka(A, B, o, &dA, &dB);
    const auto f = [&] { return cka(A, B, o); };
    moe::testing::expect_gradient(f, A.memptr(), dA.memptr(), A.n_elem, "dA");
    moe::testing::expect_gradient(f, B.memptr(), dB.memptr(), B.n_elem, "dB");
  }
}

TEST(Cka, MeanPairwiseAgreesWithPairwiseCka) {
  Rng rng(3);
  const std::vector<arma::mat> reps = {random_matrix(10, 3, rng), random_matrix(10, 2, rng), random_matrix(10, 4, rng)};
  for (const CkaOptions& o : {kLinear, kRbf}) {
    const double expected = (cka(reps[0], reps[1], o) + cka(reps[0], reps[2], o) + cka(reps[1], reps[2], o)) / 3.0;
    EXPECT_NEAR(mean_pairwise_cka(reps, o), expected, 1e-12);
  }
}

SparseMoEOptions simsmoe_layer(CkaOptions cka_options, SimSMoERule rule = SimSMoERule::batch) {
  SparseMoEOptions o;
  o.experts = 4;
  o.expert_size = 3;
  o.activation = Activation::gelu;
  o.router.k = 2;
  o.simsmoe.alpha = 0.7;
  o.simsmoe.threshold = 0.0;
  o.simsmoe.pairs = 2;
  o.simsmoe.rule = rule;
  o.simsmoe.frequency = 0.0;  // counted: every co-selected pair is flagged in every batch
  o.simsmoe.cka = cka_options;
  return o;
}

// Routing indicators of a hand-made batch: row t has ones at its experts.
arma::mat routed(arma::uword experts, const std::vector<std::vector<arma::uword>>& tokens) {
  arma::mat chosen(tokens.size(), experts, arma::fill::zeros);
  for (arma::uword t = 0; t < tokens.size(); ++t)
    for (arma::uword e : tokens[t]) chosen(t, e) = 1.0;
  return chosen;
}

TEST(CoSelection, TheMostCoSelectedPairsOfABatch) {
  const arma::mat chosen = routed(4, {{0, 1}, {2, 3}, {0, 1}, {1, 3}, {2, 3}, {0, 1}});
  const std::vector<ExpertPair> expected = {{0, 1}, {2, 3}};
  EXPECT_EQ(most_co_selected(chosen, 2), expected);
  EXPECT_EQ(most_co_selected(chosen, 10).size(), 3u);  // (1, 3) is the only other pair chosen together
}

// The authors' rule on a hand-made co-selection history of three batches.
TEST(CoSelection, CountersAddSharesAcrossBatchesAndRestartWhenFlagged) {
  CoSelectionCounter counter(3);
  counter.record(routed(3, {{0, 1}, {0, 1}, {1, 2}, {0, 2}}));  // shares 1/2, 1/4, 1/4
  EXPECT_TRUE(counter.flag(0.6).empty());
  counter.record(routed(3, {{0, 1}, {0, 1}}));  // (0, 1): 1/2 + 1 = 3/2
  EXPECT_DOUBLE_EQ(counter.counts()(0, 1), 1.5);
  EXPECT_EQ(counter.flag(1.0), (std::vector<ExpertPair>{{0, 1}}));
  EXPECT_EQ(counter.counts()(0, 1), 0.0);       // flagged: starts again
  EXPECT_DOUBLE_EQ(counter.counts()(1, 2), 0.25);  // the others keep their count
  counter.record(routed(3, {{1, 2}, {1, 2}, {1, 2}, {0, 2}}));  // (1, 2): 1/4 + 3/4; (0, 2): 1/4 + 1/4
  EXPECT_TRUE(counter.flag(1.0).empty());          // exceeds, not reaches
  EXPECT_EQ(counter.flag(0.4), (std::vector<ExpertPair>{{0, 2}, {1, 2}}));
  EXPECT_TRUE(arma::all(arma::vectorise(counter.counts()) == 0.0));
  EXPECT_THROW(counter.record(routed(4, {{0, 3}})), std::invalid_argument);
}

TEST(CoSelection, WithThreeExpertsPerTokenEachOfItsPairsCounts) {
  CoSelectionCounter counter(4);
  counter.record(routed(4, {{0, 1, 3}, {0, 2, 3}}));
  const arma::mat expected = {{0, 0.5, 0.5, 1.0}, {0, 0, 0, 0.5}, {0, 0, 0, 0.5}, {0, 0, 0, 0}};
  EXPECT_TRUE(arma::approx_equal(counter.counts(), expected, "absdiff", 1e-15));
}

TEST(SimSMoE, PenaltyGradientMatchesFiniteDifferences) {  // the projection's gradient included
  for (const SimSMoERule rule : {SimSMoERule::batch, SimSMoERule::counted})
  for (const CkaOptions& o : {kLinear, CkaOptions{CkaKernel::rbf, 2.0}}) {
    Rng rng(4);
    SparseMoE<double> layer(5, simsmoe_layer(o, rule), rng);
    const arma::mat X = random_matrix(12, 5, rng);
    Rng unused(0);
    layer.forward(X, training_pass(unused, moe::nn::cpu_layer_kernels()));
    ASSERT_GT(layer.auxiliary_loss(), 0.0) << "the penalty must be active for this test";
    // Training pass (penalty on), no dropout; inputs of the penalty are detached.
    moe::testing::expect_layer_gradients(layer, X, random_matrix(12, 5, rng), training_pass(unused, moe::nn::cpu_layer_kernels()), false);
  }
}

TEST(SimSMoE, PenaltyOnlyWhenTrainingAndAboveTheThreshold) {
  Rng rng(5);
  auto o = simsmoe_layer(kLinear);
  SparseMoE<double> layer(5, o, rng);
  const arma::mat X = random_matrix(30, 5, rng);
  Rng unused(0);
  layer.forward(X, Pass{});
  EXPECT_EQ(layer.auxiliary_loss(), 0.0);
  layer.forward(X, training_pass(unused, moe::nn::cpu_layer_kernels()));
  const double penalty = layer.auxiliary_loss();
  EXPECT_GT(penalty, 0.0);
  EXPECT_LE(penalty, 0.7 * 2);  // α · CKA ≤ α per pair
  o.simsmoe.threshold = 0.999;
  Rng same(5);
  SparseMoE<double> strict(5, o, same);
  strict.forward(X, training_pass(unused, moe::nn::cpu_layer_kernels()));
  EXPECT_EQ(strict.auxiliary_loss(), 0.0);
}

// The counted rule in the layer: the counters hold the shares of the training
// batches; nothing is penalized until a pair's counter passes the frequency;
// a flagged pair is compared on the tokens routed to both, through the projection.
TEST(SimSMoE, TheCountedRuleFlagsPairsAcrossBatches) {
  Rng rng(8);
  SparseMoEOptions o = simsmoe_layer(kLinear, SimSMoERule::counted);
  o.simsmoe.frequency = 1.0;
  SparseMoE<double> layer(5, o, rng);
  const arma::mat X = random_matrix(40, 5, rng);
  Rng unused(0);
  layer.forward(X, Pass{});  // inference counts nothing
  EXPECT_TRUE(arma::all(arma::vectorise(layer.co_selection().counts()) == 0.0));
  layer.forward(X, training_pass(unused, cpu_layer_kernels()));
  const arma::mat chosen = arma::conv_to<arma::mat>::from(layer.router.decision().gate != 0.0);
  const arma::mat share = arma::trimatu(chosen.t() * chosen, 1) / 40.0;  // the same in every call on X
  EXPECT_TRUE(arma::approx_equal(layer.co_selection().counts(), share, "absdiff", 1e-15));
  EXPECT_EQ(layer.auxiliary_loss(), 0.0);  // every share ≤ 1
  // The pair with the largest share passes 1 first, at call ⌊1/s⌋ + 1.
  const double s = share.max();
  const auto first = static_cast<int>(std::floor(1.0 / s)) + 1;
  for (int call = 2; call <= first; ++call) {
    layer.forward(X, training_pass(unused, cpu_layer_kernels()));
    if (call < first) EXPECT_EQ(layer.auxiliary_loss(), 0.0) << call;
  }
  EXPECT_GT(layer.auxiliary_loss(), 0.0);
  std::vector<Parameter<double>> params;
  layer.parameters(params, "");
  ASSERT_EQ(params.back().name, "simsmoe_projection");
  EXPECT_FALSE(params.back().saved);
  const arma::mat P(params.back().value, 5, 4);

  // Every pair that passed 1 at this call was flagged, restarted, and compared
  // on the tokens routed to both, projected (linear kernel: CKA by hand).
  double expected = 0.0;
  for (arma::uword j = 0; j < 4; ++j)
    for (arma::uword i = 0; i < j; ++i) {
      if (share(i, j) == 0.0 || static_cast<int>(std::floor(1.0 / share(i, j))) + 1 != first) continue;
      EXPECT_EQ(layer.co_selection().counts()(i, j), 0.0);
      const arma::mat Xb = X.rows(arma::find(chosen.col(i) % chosen.col(j)));
      if (Xb.n_rows >= 2) expected += 0.7 * cka(layer.expert_output(i, Xb) * P, layer.expert_output(j, Xb) * P, kLinear);
    }
  EXPECT_NEAR(layer.auxiliary_loss() - layer.router.auxiliary_loss(), expected, 1e-12);
}

TEST(SimSMoE, TheProjectionLeavesTheModelsInitializationAndCheckpointAlone) {
  SparseMoEOptions with = simsmoe_layer(kLinear, SimSMoERule::counted), without = with;
  without.simsmoe.alpha = 0.0;
  Rng a(9), b(9);
  SparseMoE<double> penalized(5, with, a), plain(5, without, b);
  EXPECT_TRUE(arma::all(arma::vectorise(penalized.W1 == plain.W1)));
  EXPECT_TRUE(arma::all(arma::vectorise(penalized.router.W == plain.router.W)));
  std::vector<Parameter<double>> p, q;
  penalized.parameters(p, "");
  plain.parameters(q, "");
  EXPECT_EQ(p.size(), q.size() + 1);  // the head, a training-only parameter
}

TEST(SimSMoE, CollapseScoreIsOneForIdenticalExpertsAndLowerOtherwise) {
  Rng rng(6);
  SparseMoE<double> layer(6, simsmoe_layer(kLinear), rng);
  layer.forward(random_matrix(40, 6, rng), Pass{});
  const double distinct = collapse_score(layer);
  for (arma::uword e = 1; e < 4; ++e) {
    layer.W1.slice(e) = layer.W1.slice(0);
    layer.W2.slice(e) = 2.0 * layer.W2.slice(0);
  }
  EXPECT_NEAR(collapse_score(layer), 1.0, 1e-12);
  EXPECT_LT(distinct, 0.9);
}

NetworkOptions network(arma::uword members, arma::uword experts, arma::uword k) {
  NetworkOptions o;
  o.inputs = 6;
  o.classes = 4;
  o.width = 5;
  o.blocks = 2;
  o.moe.experts = experts;
  o.moe.expert_size = 3;
  o.moe.router.k = k;
  o.members = members;
  o.seed = 7;
  return o;
}

TEST(SCMoE, ContrastiveScoresByHand) {
  const arma::mat strong = {{2.0, 1.0, -3.0}};
  const arma::mat weak = {{1.0, 2.0, 0.0}};
  const arma::mat s = contrastive_scores(strong, weak, 0.5, 0.1);
  // p_s ∝ (e², e¹, e⁻³): class 2 has p/max = e⁻⁵ < 0.1, out; the others 1.5 z_s − 0.5 z_w.
  EXPECT_DOUBLE_EQ(s(0, 0), 2.5);
  EXPECT_DOUBLE_EQ(s(0, 1), 0.5);
  EXPECT_TRUE(std::isinf(s(0, 2)) && s(0, 2) < 0);
}

TEST(SCMoE, BetaZeroIsPlainTopKInference) {
  Network<double> net(network(1, 6, 2));
  Rng rng(8);
  const arma::mat X = random_matrix(25, 6, rng);
  SCMoEOptions o;
  o.beta = 0.0;
  const arma::mat scores = scmoe_scores(net, X, o, moe::nn::cpu_layer_kernels());
  const arma::mat plain = net.forward(X, Pass{});
  EXPECT_TRUE(arma::all(arma::index_max(scores, 1) == arma::index_max(plain, 1)));
  const arma::uvec kept = arma::find_finite(scores);
  EXPECT_LT(arma::abs(scores.elem(kept) - plain.elem(kept)).max(), 1e-14);
}

TEST(SCMoE, WeakPassUsesOneExpertOfTheGivenRankWithGateOne) {
  Network<double> net(network(1, 6, 2));
  Rng rng(9);
  const arma::mat X = random_matrix(10, 6, rng);
  net.forward(X, inference_pass(moe::nn::cpu_layer_kernels(), RouteOverride{0, 3}));
  const SparseMoE<double>& layer = *net.moe_layers()[0];
  const auto& d = layer.router.decision();
  for (arma::uword t = 0; t < X.n_rows; ++t) {
    const arma::uvec order = arma::sort_index(d.logits.row(t), "descend");
    EXPECT_EQ(arma::accu(d.gate.row(t)), 1.0);
    EXPECT_EQ(d.gate(t, order(2)), 1.0);
  }
  SCMoEOptions bad;
  bad.weak_rank = 7;
  EXPECT_THROW(scmoe_scores(net, X, bad, moe::nn::cpu_layer_kernels()), std::invalid_argument);
}

TEST(E3, OneMemberIsThePlainMoE) {
  Network<double> plain(network(1, 4, 2));
  auto o = network(1, 4, 2);
  Network<double> e3(o);
  Rng rng(10);
  const arma::mat X = random_matrix(9, 6, rng);
  const arma::mat log_p = e3.log_probabilities(X, Pass{});
  const arma::mat logits = plain.forward(X, Pass{});
  EXPECT_LT(arma::abs(log_p - log_softmax_rows(moe::cpu_kernels(), logits)).max(), 1e-13);
}

TEST(E3, TwoIdenticalMembersPredictLikeOneNetworkOfHalfTheExperts) {
  Network<double> single(network(1, 3, 2));
  Network<double> e3(network(2, 6, 2));
  // Copy every parameter of the single network into the E³ one, each expert
  // group (and its router columns) getting the single network's experts.
  const auto from = single.parameters(), to = e3.parameters();
  ASSERT_EQ(from.size(), to.size());
  for (std::size_t i = 0; i < from.size(); ++i) {
    ASSERT_EQ(from[i].name, to[i].name);
    const bool grouped = to[i].size == 2 * from[i].size;  // router and expert weights: twice as many
    ASSERT_TRUE(grouped || to[i].size == from[i].size) << to[i].name;
    if (to[i].name.find("router") != std::string::npos) {  // d×E, experts in columns
      arma::mat target(to[i].value, 5, 6, false, true);
      const arma::mat source(from[i].value, 5, 3);
      target.cols(0, 2) = source;
      target.cols(3, 5) = source;
    } else {  // a matrix, or a cube with experts in slices: the copies follow each other
      for (arma::uword copy = 0; copy < (grouped ? 2u : 1u); ++copy)
        std::copy(from[i].value, from[i].value + from[i].size, to[i].value + copy * from[i].size);
    }
  }
  Rng rng(13);
  const arma::mat X = random_matrix(7, 6, rng);
  const arma::mat expected = log_softmax_rows(moe::cpu_kernels(), single.forward(X, Pass{}));
  EXPECT_LT(arma::abs(e3.log_probabilities(X, Pass{}) - expected).max(), 1e-12);
}

TEST(E3, MembersRouteInsideTheirGroupAndPredictTheMeanProbability) {
  Network<double> net(network(2, 6, 2));
  Rng rng(11);
  const arma::mat X = random_matrix(8, 6, rng);
  const arma::mat logits = net.forward(X, Pass{});
  ASSERT_EQ(logits.n_rows, 16u);
  for (const SparseMoE<double>* layer : net.moe_layers()) {
    const arma::mat& gate = layer->router.decision().gate;
    EXPECT_TRUE(arma::all(arma::vectorise(gate.submat(0, 3, 7, 5)) == 0.0));   // member 0: experts 0-2
    EXPECT_TRUE(arma::all(arma::vectorise(gate.submat(8, 0, 15, 2)) == 0.0));  // member 1: experts 3-5
  }
  const arma::mat mean = 0.5 * (softmax_rows(arma::mat(logits.rows(0, 7))) + softmax_rows(arma::mat(logits.rows(8, 15))));
  EXPECT_LT(arma::abs(arma::exp(net.log_probabilities(X, Pass{})) - mean).max(), 1e-14);
}

TEST(E3, EveryParameterGradientMatchesFiniteDifferences) {
  auto o = network(2, 4, 1);
  o.moe.activation = Activation::gelu;
  o.moe.router.kind = RouterKind::softmax;
  o.moe.router.balance = 0.1;
  Network<double> net(o);
  Rng rng(12);
  moe::testing::expect_network_gradients(net, random_matrix(6, 6, rng), arma::uvec{0, 1, 2, 3, 0, 1});
}

TEST(E3, RejectsGroupsThatDoNotSplitEvenly) {
  EXPECT_THROW(Network<double>(network(4, 6, 1)), std::invalid_argument);
  EXPECT_THROW(Network<double>(network(3, 6, 3)), std::invalid_argument);  // groups of 2 < k
}

TEST(Flops, CountsTheMatrixProducts) {
  auto o = network(1, 4, 2);  // inputs 6, width 5, 2 blocks, E 4, G 3, k 2, 4 classes
  const double moe_block = 5 * 4 + 2 * 2 * 5 * 3;
  EXPECT_DOUBLE_EQ(flops_per_example(o), 2.0 * (6 * 5 + 2 * moe_block + 5 * 4));
  o.members = 2;
  EXPECT_DOUBLE_EQ(flops_per_example(o), 2.0 * (6 * 5 + 2 * (2 * moe_block + 5 * 4)));
  o.members = 1;
  o.block = BlockKind::dense;
  EXPECT_DOUBLE_EQ(flops_per_example(o), 2.0 * (6 * 5 + 2 * (2 * 5 * 12) + 5 * 4));
}

}  // namespace
