// The transformer language model (language_model.hpp) and its training
// (language_training.hpp): every gradient against finite differences (fp64;
// tied and untied head, dense and sparse blocks), causality, determinism for
// a seed, a tiny model that learns a tiny text, the held-out score; SCMoE on
// next-token prediction and greedy decoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "moe/nn/checkpoint.hpp"
#include "moe/nn/generation.hpp"
#include "moe/nn/language_model.hpp"
#include "moe/nn/language_training.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/optimizer.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using namespace moe::nn;

LanguageModelOptions tiny(BlockKind kind, bool tied) {
  LanguageModelOptions o;
  o.vocabulary = 5;
  o.context = 4;
  o.width = 6;
  o.heads = 2;
  o.blocks = 2;
  o.block = kind;
  o.moe.experts = 4;
  o.moe.expert_size = 3;
  o.moe.router.kind = RouterKind::sigma;
  o.moe.router.k = 2;
  o.moe.router.balance = 0.1;
  o.tie_weights = tied;
  o.seed = 3;
  return o;
}

arma::uvec random_tokens(arma::uword n, arma::uword vocabulary, Rng& rng) {
  arma::uvec tokens(n);
  tokens.imbue([&] { return rng.index(vocabulary); });
  return tokens;
}

TEST(NnLanguageModel, GradientsMatchFiniteDifferences) {
  for (const Positions positions : {Positions::learned, Positions::alibi, Positions::both})
  for (const BlockKind kind : {BlockKind::dense, BlockKind::moe})
    for (const bool tied : {false, true}) {
      if (positions != Positions::both && (kind == BlockKind::dense || tied)) continue;
      SCOPED_TRACE(std::string(kind == BlockKind::moe ? "moe" : "dense") + (tied ? ", tied" : ", untied") +
                   ", positions " + positions_name(positions));
      LanguageModelOptions o = tiny(kind, tied);
      o.positions = positions;
      LanguageModel<double> model(o);
      Rng rng(4);
      const arma::uvec tokens = random_tokens(2 * 4, 5, rng), next = random_tokens(2 * 4, 5, rng);
      const auto loss = [&] { return cross_entropy(model.forward(tokens, Pass{}), next) + model.auxiliary_loss(); };
      arma::mat dlogits;
      cross_entropy(model.forward(tokens, Pass{}), next, &dlogits);
      model.backward(dlogits);
      for (const Parameter<double>& p : model.parameters()) {
        const arma::vec grad(p.grad, p.size);
        moe::testing::expect_gradient(loss, p.value, grad.memptr(), p.size, p.name, 12);
      }
    }
}

// The collapse score of a record: the mean over the MoE layers of their
// experts' linear CKA on the first windows of the held-out text.
TEST(NnLanguageModel, TheCollapseScoreIsTheMoELayersMean) {
  Rng rng(14);
  const arma::uvec text = random_tokens(100, 5, rng);
  LanguageModel<double> dense(tiny(BlockKind::dense, false)), sparse(tiny(BlockKind::moe, false));
  EXPECT_TRUE(dense.moe_layers().empty());
  EXPECT_EQ(language_collapse(dense, text, cpu_layer_kernels()), 0.0);
  const double score = language_collapse(sparse, text, cpu_layer_kernels());
  ASSERT_EQ(sparse.moe_layers().size(), 2u);
  const double by_hand = (collapse_score(*sparse.moe_layers()[0]) + collapse_score(*sparse.moe_layers()[1])) / 2.0;
  EXPECT_EQ(score, by_hand);
  EXPECT_GT(score, 0.0);
  EXPECT_LT(score, 1.0);
  EXPECT_EQ(sparse.moe_layers()[0]->router.input().n_rows, 100u);  // the 25 windows of 4 (fewer than 256 tokens)
}

// Learned position vectors are parameters; ALiBi's bias is not.
TEST(NnLanguageModel, LearnedPositionsAreParametersAndALiBiIsNot) {
  const auto names = [](Positions positions) {
    LanguageModelOptions o = tiny(BlockKind::moe, false);
    o.positions = positions;
    LanguageModel<double> model(o);
    std::vector<std::string> out;
    for (const Parameter<double>& p : model.parameters()) out.push_back(p.name);
    return out;
  };
  const auto has_positions = [&](Positions p) {
    const auto n = names(p);
    return std::find(n.begin(), n.end(), "positions") != n.end();
  };
  EXPECT_TRUE(has_positions(Positions::learned));
  EXPECT_TRUE(has_positions(Positions::both));
  EXPECT_FALSE(has_positions(Positions::alibi));
  EXPECT_EQ(names(Positions::learned), names(Positions::both));
  EXPECT_EQ(positions_from_name("alibi"), Positions::alibi);
  EXPECT_THROW(positions_from_name("rope"), std::invalid_argument);
}

TEST(NnLanguageModel, NoLogitSeesALaterToken) {
  LanguageModelOptions o = tiny(BlockKind::moe, true);
  o.context = 7;
  LanguageModel<double> model(o);
  Rng rng(5);
  const arma::uvec tokens = random_tokens(7, 5, rng);
  const arma::mat logits = model.forward(tokens, Pass{});
  for (arma::uword t = 1; t < 7; ++t) {
    arma::uvec changed = tokens;
    changed(t) = (changed(t) + 1) % 5;
    const arma::mat other = model.forward(changed, Pass{});
    EXPECT_EQ(arma::abs(other.rows(0, t - 1) - logits.rows(0, t - 1)).max(), 0.0) << t;
    EXPECT_GT(arma::abs(other.row(t) - logits.row(t)).max(), 0.0) << t;
  }
}

TEST(NnLanguageModel, ASeedGivesTheSameModel) {
  Rng rng(6);
  const arma::uvec tokens = random_tokens(8, 5, rng);
  LanguageModelOptions o = tiny(BlockKind::moe, false);
  LanguageModel<double> a(o), b(o);
  EXPECT_EQ(arma::abs(a.forward(tokens, Pass{}) - b.forward(tokens, Pass{})).max(), 0.0);
  o.seed = 4;
  LanguageModel<double> c(o);
  EXPECT_GT(arma::abs(a.forward(tokens, Pass{}) - c.forward(tokens, Pass{})).max(), 0.0);
}

// Four sequences of 8 random tokens with distinct first tokens: the model can
// tell them apart from the first token on, so AdamW drives the loss near 0.
TEST(NnLanguageModel, ATinyModelLearnsATinyText) {
  LanguageModelOptions o = tiny(BlockKind::moe, false);
  o.vocabulary = 10;
  o.context = 8;
  o.width = 16;
  LanguageModel<float> model(o);
  Rng rng(7);
  arma::umat text(9, 4);
  text.imbue([&] { return rng.index(10); });
  text.row(0) = arma::urowvec{0, 1, 2, 3};
  const arma::uvec tokens = arma::vectorise(text.rows(0, 7)), next = arma::vectorise(text.rows(1, 8));
  AdamW<float> optimizer(model.parameters(), AdamWOptions{0.9, 0.999, 1e-8, 0.0});
  double first = 0.0, last = 0.0;
  for (int step = 0; step < 300; ++step) {
    arma::fmat dlogits;
    last = cross_entropy(model.forward(tokens, Pass{}), next, &dlogits);
    if (step == 0) first = last;
    model.backward(dlogits);
    optimizer.step(0.01);
  }
  EXPECT_GT(first, 1.5);
  EXPECT_LT(last, 0.05) << "from " << first;
}

// A text whose next token is a function of the current one (a cycle of 7).
arma::uvec cyclic_text(arma::uword n, arma::uword start) {
  arma::uvec text(n);
  for (arma::uword i = 0; i < n; ++i) text(i) = (start + 3 * i) % 7;
  return text;
}

LanguageModelOptions cyclic_model(std::uint64_t seed) {
  LanguageModelOptions o = tiny(BlockKind::moe, true);
  o.vocabulary = 7;
  o.context = 8;
  o.width = 16;
  o.blocks = 1;
  o.seed = seed;
  return o;
}

LanguageTrainOptions cyclic_training(std::uint64_t seed) {
  LanguageTrainOptions t;
  t.steps = 120;
  t.batch_size = 8;
  t.learning_rate = 0.01;
  t.eval_every = 40;
  t.seed = seed;
  return t;
}

TEST(NnLanguageTraining, LearnsADeterministicTextAndScoresTheHeldOutOne) {
  LanguageModel<float> model(cyclic_model(1));
  const arma::uvec train = cyclic_text(500, 0), test = cyclic_text(200, 4);
  const double before = language_nll(model, test, cpu_layer_kernels());
  const std::vector<LanguageRecord> records = train_language_model(model, train, test, cyclic_training(1));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records.back().step, 120u);
  EXPECT_GT(before, 1.0);
  EXPECT_LT(records.back().test_nll, 0.05) << "from " << before;
  EXPECT_LT(records.back().train_loss, records.front().train_loss);
  EXPECT_NEAR(records.back().test_nll, language_nll(model, test, cpu_layer_kernels()), 1e-12);
}

TEST(NnLanguageTraining, ASeedGivesTheSameRunAndAnotherSeedAnother) {
  const arma::uvec train = cyclic_text(300, 1), test = cyclic_text(100, 2);
  LanguageTrainOptions t = cyclic_training(5);
  t.steps = 20;
  t.eval_every = 0;
  LanguageModel<double> a(cyclic_model(2)), b(cyclic_model(2)), c(cyclic_model(2));
  const double first = train_language_model(a, train, test, t).back().train_loss;
  EXPECT_EQ(train_language_model(b, train, test, t).back().train_loss, first);
  t.seed = 6;
  EXPECT_NE(train_language_model(c, train, test, t).back().train_loss, first);
}

// language_nll is the mean cross-entropy of the non-overlapping windows.
TEST(NnLanguageTraining, TheHeldOutScoreIsTheWindowsCrossEntropy) {
  LanguageModel<double> model(tiny(BlockKind::dense, false));  // context 4
  Rng rng(8);
  const arma::uvec text = random_tokens(11, 5, rng);  // two whole windows of 5, and 1 left over
  const arma::uvec inputs = arma::join_vert(text.subvec(0, 3), text.subvec(4, 7));
  const arma::uvec targets = arma::join_vert(text.subvec(1, 4), text.subvec(5, 8));
  const double expected = cross_entropy(model.forward(inputs, Pass{}), targets);
  EXPECT_NEAR(language_nll(model, text, cpu_layer_kernels(), 0, 1), expected, 1e-12);
  EXPECT_NEAR(language_nll(model, text, cpu_layer_kernels(), 1),
              cross_entropy(model.forward(text.subvec(0, 3), Pass{}), arma::uvec(text.subvec(1, 4))), 1e-12);
  EXPECT_THROW(language_nll(model, text.subvec(0, 3), cpu_layer_kernels()), std::invalid_argument);
}

// A trained model saved and loaded gives the same logits bit for bit, in its
// precision; a classifier's loader refuses it and its own refuses the other precision.
TEST(NnLanguageModel, CheckpointsBitForBit) {
  const std::string path = ::testing::TempDir() + "/moe_lm_checkpoint.bin";
  LanguageModelOptions o = cyclic_model(3);
  o.positions = Positions::alibi;
  LanguageModel<float> model(o);
  const arma::uvec train = cyclic_text(300, 0), test = cyclic_text(100, 3);
  LanguageTrainOptions t = cyclic_training(3);
  t.steps = 10;
  train_language_model(model, train, test, t);
  save_checkpoint(model, path, {{"note", "x"}});
  EXPECT_EQ(checkpoint_model(path), "transformer");
  EXPECT_EQ(checkpoint_precision(path), "fp32");
  const std::unique_ptr<LanguageModel<float>> loaded = load_language_model<float>(path);
  EXPECT_EQ(loaded->options().context, 8u);
  EXPECT_TRUE(loaded->options().tie_weights);
  EXPECT_EQ(loaded->options().positions, Positions::alibi);
  const arma::uvec tokens = test.head(16);
  EXPECT_EQ(arma::abs(loaded->forward(tokens, Pass{}) - model.forward(tokens, Pass{})).max(), 0.0f);
  EXPECT_THROW(load_checkpoint<float>(path), std::invalid_argument);
  EXPECT_THROW(load_language_model<double>(path), std::invalid_argument);
  std::remove(path.c_str());
}

// Residual dropout acts in training passes only: at inference a model with
// dropout is the model without it (the same seed draws the same weights).
TEST(NnLanguageModel, DropoutActsInTrainingOnly) {
  LanguageModelOptions o = tiny(BlockKind::moe, false);
  LanguageModel<double> plain(o);
  o.dropout = 0.3;
  LanguageModel<double> dropped(o);
  Rng rng(9);
  const arma::uvec tokens = random_tokens(8, 5, rng);
  EXPECT_EQ(arma::abs(dropped.forward(tokens, Pass{}) - plain.forward(tokens, Pass{})).max(), 0.0);
  Rng training(10);
  EXPECT_GT(arma::abs(dropped.forward(tokens, training_pass(training, cpu_layer_kernels())) -
                      plain.forward(tokens, Pass{})).max(), 0.0);
  o.dropout = 1.0;
  EXPECT_THROW(LanguageModel<double>{o}, std::invalid_argument);
}

TEST(NnLanguageModel, RefusesWhatDoesNotFit) {
  LanguageModelOptions o = tiny(BlockKind::dense, false);
  o.heads = 4;  // 6 features in 4 heads
  EXPECT_THROW(LanguageModel<double>{o}, std::invalid_argument);
  LanguageModel<double> model(tiny(BlockKind::dense, false));
  EXPECT_THROW(model.forward(arma::uvec{1, 2, 3}, Pass{}), std::invalid_argument);     // not whole sequences
  EXPECT_THROW(model.forward(arma::uvec{1, 2, 3, 5}, Pass{}), std::invalid_argument);  // a code beyond V
}

}  // namespace

// SCMoE on next-token prediction and greedy decoding (scmoe.hpp, generation.hpp).
namespace scmoe_lm {

using namespace moe::nn;

TEST(NnLanguageSCMoE, ScoresContrastTheStrongAndWeakPasses) {
  LanguageModel<double> model(tiny(BlockKind::moe, false));
  Rng rng(11);
  const arma::uvec tokens = random_tokens(3 * 4, 5, rng);
  const SCMoEOptions o{0.7, 0.05, 2, 3};
  const arma::mat strong = model.forward(tokens, inference_pass(cpu_layer_kernels(), {2, 0}));
  const arma::mat weak = model.forward(tokens, inference_pass(cpu_layer_kernels(), {0, 3}));
  EXPECT_GT(arma::abs(strong - weak).max(), 1e-6);  // the contrast is not empty
  arma::mat expected = contrastive_scores(strong, weak, 0.7, 0.05);
  arma::mat scores = scmoe_scores(model, tokens, o, cpu_layer_kernels());
  EXPECT_GT(arma::accu(expected == -arma::datum::inf), 0u);  // some tokens implausible
  expected.replace(-arma::datum::inf, -1e300);
  scores.replace(-arma::datum::inf, -1e300);
  EXPECT_TRUE(arma::approx_equal(scores, expected, "absdiff", 1e-12));
}

// With β = 0 and every token plausible, SCMoE is the strong pass, and with the
// model's own k the strong pass's bits are the held-out score.
TEST(NnLanguageSCMoE, WithoutContrastItIsTheStrongPass) {
  LanguageModel<double> model(tiny(BlockKind::moe, false));
  Rng rng(12);
  const arma::uvec text = random_tokens(41, 5, rng);
  const LanguageSCMoEEvaluation plain =
      evaluate_language_scmoe(model, text, SCMoEOptions{0.0, 1e-300, 2, 2}, cpu_layer_kernels(), 0, 3);
  EXPECT_EQ(plain.positions, 40u);
  EXPECT_EQ(plain.coverage, 1.0);
  EXPECT_EQ(plain.accuracy, plain.strong_accuracy);
  EXPECT_NEAR(plain.bits, plain.strong_bits, 1e-12);
  EXPECT_NEAR(plain.strong_bits_covered, plain.strong_bits, 1e-12);
  EXPECT_NEAR(plain.strong_bits, language_nll(model, text, cpu_layer_kernels()) / std::log(2.0), 1e-12);

  // A contrast changes the scores; implausible targets leave the covered bits finite.
  const LanguageSCMoEEvaluation contrast =
      evaluate_language_scmoe(model, text, SCMoEOptions{1.0, 0.5, 2, 2}, cpu_layer_kernels());
  EXPECT_LT(contrast.coverage, 1.0);
  EXPECT_TRUE(std::isfinite(contrast.bits));
  EXPECT_NEAR(contrast.strong_bits, plain.strong_bits, 1e-12);
  EXPECT_THROW(evaluate_language_scmoe(model, text, SCMoEOptions{-1.0, 0.1, 2, 2}, cpu_layer_kernels()),
               std::invalid_argument);
}

TEST(NnGeneration, GreedyTokensAreTheArgmaxOfTheLastPosition) {
  LanguageModel<double> model(tiny(BlockKind::moe, true));
  Rng rng(13);
  const arma::uvec prompt = random_tokens(6, 5, rng);  // longer than the context of 4: the window slides
  const arma::uvec text = generate_greedy(model, prompt, 5, cpu_layer_kernels());
  ASSERT_EQ(text.n_elem, 11u);
  EXPECT_TRUE(arma::all(text.head(6) == prompt));
  for (arma::uword i = 6; i < 11; ++i) {
    const arma::uvec window = text.subvec(i - 4, i - 1);
    EXPECT_EQ(text(i), arma::index_max(model.forward(window, Pass{}).row(3))) << i;
  }
  // A prompt shorter than the context: the pad after it cannot change the next token.
  const arma::uvec one = generate_greedy(model, arma::uvec{2}, 1, cpu_layer_kernels());
  for (arma::uword pad = 0; pad < 5; ++pad)
    EXPECT_EQ(one(1), arma::index_max(model.forward(arma::uvec{2, pad, pad, 4 - pad}, Pass{}).row(0)));
  EXPECT_TRUE(arma::all(generate_greedy(model, prompt, 5, cpu_layer_kernels()) == text));  // deterministic
  EXPECT_THROW(generate_greedy(model, arma::uvec{}, 3, cpu_layer_kernels()), std::invalid_argument);
  EXPECT_THROW(generate_greedy(model, arma::uvec{7}, 3, cpu_layer_kernels()), std::invalid_argument);
}

TEST(NnGeneration, SCMoEWithoutContrastDecodesAsTheStrongPass) {
  LanguageModel<double> model(tiny(BlockKind::moe, false));
  const arma::uvec prompt = {1, 3, 0};
  const SCMoEOptions none{0.0, 1e-300, 2, 2}, strong{1.0, 0.1, 2, 3};
  EXPECT_TRUE(arma::all(generate_greedy(model, prompt, 8, cpu_layer_kernels(), &none) ==
                        generate_greedy(model, prompt, 8, cpu_layer_kernels())));
  const arma::uvec contrasted = generate_greedy(model, prompt, 8, cpu_layer_kernels(), &strong);
  for (arma::uword i = 3; i < contrasted.n_elem; ++i) {  // each token is SCMoE's argmax at its window's end
    const arma::uword used = std::min<arma::uword>(4, i);
    arma::uvec window(4, arma::fill::zeros);
    window.head(used) = contrasted.subvec(i - used, i - 1);
    EXPECT_EQ(contrasted(i), scmoe_scores(model, window, strong, cpu_layer_kernels()).row(used - 1).index_max());
  }
}

}  // namespace scmoe_lm
