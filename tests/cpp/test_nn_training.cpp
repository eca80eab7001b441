// The network end to end: gradients of every parameter, training that can
// overfit a small batch, determinism, checkpoints, and the Fashion-MNIST files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "moe/nn/char_text.hpp"
#include "moe/nn/checkpoint.hpp"
#include "moe/nn/fashion_mnist.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/table_examples.hpp"
#include "moe/nn/trainer.hpp"
#include "nn_helpers.hpp"

namespace {

using moe::Rng;
using namespace moe::nn;

NetworkOptions small_network(BlockKind block, RouterKind router, arma::uword k) {
  NetworkOptions o;
  o.inputs = 6;
  o.classes = 3;
  o.width = 5;
  o.blocks = 2;
  o.block = block;
  o.moe.experts = 4;
  o.moe.expert_size = 3;
  o.moe.activation = Activation::gelu;
  o.moe.router.kind = router;
  o.moe.router.k = k;
  o.moe.router.balance = 0.1;
  o.moe.router.entropy = 0.05;
  o.seed = 3;
  return o;
}

// Examples whose class is decided by the sign pattern of two inputs.
DenseExamples toy_examples(arma::uword n, std::uint64_t seed) {
  Rng rng(seed);
  arma::mat X(n, 6);
  X.imbue([&] { return rng.normal(); });
  arma::uvec y(n);
  for (arma::uword i = 0; i < n; ++i) y(i) = X(i, 0) > 0 ? (X(i, 1) > 0 ? 2 : 1) : 0;
  return DenseExamples(X, y, 3);
}

TEST(NnNetwork, EveryParameterGradientMatchesFiniteDifferences) {
  for (BlockKind block : {BlockKind::dense, BlockKind::moe})
    for (RouterKind router : {RouterKind::softmax, RouterKind::sigma}) {
      Network<double> net(small_network(block, router, 2));
      const auto data = toy_examples(8, 4);
      const arma::uvec rows = arma::regspace<arma::uvec>(0, 7);
      moe::testing::expect_network_gradients(net, data.inputs(rows), data.labels(rows));
    }
}

TEST(NnNetwork, ParameterCountOfMoEAndDenseIsEqualApartFromTheRouter) {
  Network<double> moe(small_network(BlockKind::moe, RouterKind::sigma, 2));
  Network<double> dense(small_network(BlockKind::dense, RouterKind::sigma, 2));
  const auto& o = moe.options();
  EXPECT_EQ(parameter_count(moe) - parameter_count(dense), o.blocks * o.width * o.moe.experts);
}

TrainOptions quick(arma::uword epochs, arma::uword batch) {
  TrainOptions t;
  t.epochs = epochs;
  t.batch_size = batch;
  t.learning_rate = 0.01;
  t.adamw.weight_decay = 0.0;
  return t;
}

TEST(NnTraining, TinyModelOverfitsATinyBatch) {
  for (BlockKind block : {BlockKind::dense, BlockKind::moe}) {
    Network<double> net(small_network(block, RouterKind::sigma, 2));
    const auto data = toy_examples(16, 5);
    const auto records = train(net, data, data, quick(300, 16));
    EXPECT_EQ(records.back().test.accuracy, 1.0);
    EXPECT_LT(records.back().test.nll, 0.05);
    EXPECT_LT(records.back().train_loss, records.front().train_loss);
  }
}

TEST(NnTraining, LearnsTheToyRuleOnHeldOutExamples) {
  auto o = small_network(BlockKind::moe, RouterKind::softmax, 1);
  o.moe.router.expert_dropout = 0.1;
  Network<double> net(o);
  const auto records = train(net, toy_examples(2000, 6), toy_examples(500, 7), quick(8, 50));
  EXPECT_GT(records.back().test.accuracy, 0.95);
  EXPECT_GT(records.back().test.usage_entropy, 0.5);  // the balance loss keeps experts in use
  EXPECT_NEAR(arma::accu(records.back().test.usage.col(0)), 1.0, 1e-12);
  EXPECT_EQ(arma::accu(records.back().test.tokens.col(0)), 500u);  // dropless: every test token, k = 1
}

TEST(NnTraining, TwoRunsGiveTheSameBits) {
  auto o = small_network(BlockKind::moe, RouterKind::sigma, 2);
  o.moe.router.expert_dropout = 0.2;
  const auto data = toy_examples(300, 8);
  Network<double> a(o), b(o);
  train(a, data, data, quick(2, 32));
  train(b, data, data, quick(2, 32));
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_EQ(0, std::memcmp(pa[i].value, pb[i].value, pa[i].size * sizeof(double))) << pa[i].name;
}

TEST(NnTraining, RejectsMismatchedData) {
  Network<double> net(small_network(BlockKind::moe, RouterKind::sigma, 2));
  DenseExamples wrong(arma::zeros(4, 5), arma::uvec{0, 1, 2, 0}, 3);
  EXPECT_THROW(train(net, wrong, wrong, quick(1, 2)), std::invalid_argument);
}

TEST(NnOptimizer, CosineScheduleWithWarmup) {
  EXPECT_DOUBLE_EQ(cosine_learning_rate(1.0, 0, 100, 10), 0.1);
  EXPECT_DOUBLE_EQ(cosine_learning_rate(1.0, 9, 100, 10), 1.0);
  EXPECT_DOUBLE_EQ(cosine_learning_rate(1.0, 10, 100, 10), 1.0);
  EXPECT_NEAR(cosine_learning_rate(1.0, 55, 100, 10), 0.5, 1e-15);
  EXPECT_NEAR(cosine_learning_rate(1.0, 100, 100, 10), 0.0, 1e-15);
}

TEST(NnOptimizer, ClippingScalesToTheLimit) {
  arma::vec v = {0, 0}, g = {3, 4};
  const std::vector<Parameter<double>> p = {parameter("p", v, g, true)};
  EXPECT_DOUBLE_EQ(clip_gradients(p, 1.0), 5.0);
  EXPECT_NEAR(arma::norm(g), 1.0, 1e-15);
}

TEST(NnOptimizer, AdamWMinimizesAQuadraticAndDecaysOnlyFlaggedWeights) {
  arma::vec w = {5.0, -3.0}, gw(2), b = {1.0}, gb = {0.0};
  AdamW<double> opt({parameter("w", w, gw, true), parameter("b", b, gb, false)}, AdamWOptions{0.9, 0.999, 1e-8, 0.1});
  for (int i = 0; i < 2000; ++i) {
    gw = 2.0 * (w - arma::vec{1.0, 2.0});
    opt.step(0.05);
  }
  EXPECT_LT(arma::abs(w - arma::vec{1.0, 2.0}).max(), 0.2);  // decay pulls slightly towards 0
  EXPECT_DOUBLE_EQ(b(0), 1.0);                               // zero gradient, no decay
}

TEST(NnCheckpoint, SavesAndLoadsBitForBit) {
  auto o = small_network(BlockKind::moe, RouterKind::softmax, 2);
  Network<double> net(o);
  const auto data = toy_examples(64, 9);
  train(net, data, data, quick(1, 16));
  const std::string path = ::testing::TempDir() + "moe_checkpoint.bin";
  save_checkpoint(net, path);
  auto loaded = load_checkpoint<double>(path);
  EXPECT_EQ(loaded->options().moe.router.kind, RouterKind::softmax);
  const auto rows = arma::regspace<arma::uvec>(0, 63);
  const arma::mat a = net.forward(data.inputs(rows), Pass{});
  const arma::mat b = loaded->forward(data.inputs(rows), Pass{});
  EXPECT_TRUE(arma::all(arma::vectorise(a == b)));

  save_checkpoint(net, path, {{"split_seed", "7"}});  // a note, read back; the network is unchanged
  EXPECT_EQ(checkpoint_note(path, "split_seed"), "7");
  EXPECT_EQ(checkpoint_note(path, "test_fraction"), "");
  EXPECT_TRUE(arma::all(arma::vectorise(load_checkpoint<double>(path)->forward(data.inputs(rows), Pass{}) == a)));
  EXPECT_THROW(save_checkpoint(net, path, {{"a b", "1"}}), std::invalid_argument);

  save_checkpoint(net, path);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  EXPECT_THROW(load_checkpoint<double>(path), std::invalid_argument);
  std::ofstream(path) << "hello\n";
  EXPECT_THROW(load_checkpoint<double>(path), std::invalid_argument);
  EXPECT_THROW(load_checkpoint<double>(path + ".missing"), std::invalid_argument);
}

// SimSMoE's projection is a training-only head: the checkpoint holds the model
// without it, and the model loads and predicts as trained.
TEST(NnCheckpoint, SimSMoEsProjectionIsNotSaved) {
  auto o = small_network(BlockKind::moe, RouterKind::softmax, 2);
  o.moe.simsmoe.alpha = 0.5;
  o.moe.simsmoe.frequency = 0.0;
  Network<double> net(o);
  const auto data = toy_examples(64, 9);
  train(net, data, data, quick(1, 16));
  const std::string path = ::testing::TempDir() + "moe_checkpoint_simsmoe.bin";
  save_checkpoint(net, path);
  auto loaded = load_checkpoint<double>(path);
  EXPECT_EQ(loaded->parameters().size() + o.blocks, net.parameters().size());  // one head per MoE block
  const auto rows = arma::regspace<arma::uvec>(0, 63);
  EXPECT_TRUE(arma::all(arma::vectorise(net.forward(data.inputs(rows), Pass{}) ==
                                        loaded->forward(data.inputs(rows), Pass{}))));
}

// A checkpoint whose header was edited: each problem is reported with the
// file's name before anything large is allocated.
TEST(NnCheckpoint, AnEditedHeaderOrNonFiniteWeightsAreReportedNotAllocated) {
  Network<double> net(small_network(BlockKind::moe, RouterKind::sigma, 2));
  const std::string path = ::testing::TempDir() + "moe_checkpoint_edit.bin";
  save_checkpoint(net, path);
  std::ifstream in(path, std::ios::binary);
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto expect_message = [&](const std::string& from, const std::string& to, const std::string& fragment) {
    std::string edited = saved;
    const std::size_t at = edited.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    edited.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary) << edited;
    try {
      load_checkpoint<double>(path);
      ADD_FAILURE() << "loaded with " << to;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  };
  const std::string width = "width " + std::to_string(net.options().width) + "\n";
  expect_message(width, "width 100000000\n", "too small for the network its header describes");
  expect_message(width, "width -8\n", "'width' field, '-8', is not a whole number");
  expect_message("entropy ", "entropy x", "is not a finite number");
  // the first weight's first value made NaN
  std::string edited = saved;
  const std::size_t first = edited.find('\n', edited.find("parameters ")) + 1;
  const std::size_t value = edited.find('\n', first) + 1;
  const double nan = arma::datum::nan;
  edited.replace(value, sizeof nan, reinterpret_cast<const char*>(&nan), sizeof nan);
  std::ofstream(path, std::ios::binary) << edited;
  EXPECT_THROW(load_checkpoint<double>(path), std::invalid_argument);
}

TEST(NnData, FashionMnistFromDebianPackage) {
  if (!std::filesystem::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const auto train_set = load_fashion_mnist(kFashionMnistDir, "train");
  const auto test_set = load_fashion_mnist(kFashionMnistDir, "t10k");
  ASSERT_EQ(train_set.size(), 60000u);
  ASSERT_EQ(test_set.size(), 10000u);
  EXPECT_EQ(train_set.features(), 784u);
  const arma::uvec all = arma::regspace<arma::uvec>(0, 59999);
  const arma::mat X = train_set.inputs(all);
  EXPECT_NEAR(arma::mean(arma::vectorise(X)), 0.0, 2e-3);  // the standardization constants fit
  EXPECT_NEAR(arma::stddev(arma::vectorise(X)), 1.0, 2e-3);
  const arma::uvec counts = arma::hist(train_set.labels(all), arma::regspace<arma::uvec>(0, 9));
  EXPECT_TRUE(arma::all(counts == 6000u));  // balanced classes
  EXPECT_THROW(load_fashion_mnist("/nonexistent", "train"), std::invalid_argument);
  EXPECT_THROW(load_fashion_mnist(kFashionMnistDir, "valid"), std::invalid_argument);
}

TEST(NnData, CharContextsAreOneHotContextsAndTheNextByte) {
  const Vocabulary vocabulary({"abca", "xb"});
  ASSERT_EQ(vocabulary.size(), 4u);  // a b c x
  EXPECT_TRUE(arma::all(encode("xcab", vocabulary) == arma::uvec{3, 2, 0, 1}));
  EXPECT_EQ(decode(arma::uvec{3, 2, 0, 1}, vocabulary), "xcab");
  EXPECT_TRUE(vocabulary.contains('x'));
  EXPECT_FALSE(vocabulary.contains('y'));
  EXPECT_THROW(encode("y", vocabulary), std::invalid_argument);
  EXPECT_THROW(decode(arma::uvec{4}, vocabulary), std::invalid_argument);
  const CharContexts examples("abcab", vocabulary, 2);
  ASSERT_EQ(examples.size(), 3u);
  EXPECT_EQ(examples.features(), 8u);
  const arma::mat X = examples.inputs(arma::uvec{0, 2});
  // Example 0: context "ab" → label 'c'; example 2: context "ca" → label 'b'.
  EXPECT_EQ(arma::accu(X), 4.0);
  EXPECT_EQ(X(0, 0), 1.0);      // first position 'a'
  EXPECT_EQ(X(0, 4 + 1), 1.0);  // second position 'b'
  EXPECT_EQ(X(1, 2), 1.0);      // 'c'
  EXPECT_EQ(X(1, 4 + 0), 1.0);  // 'a'
  EXPECT_TRUE(arma::all(examples.labels(arma::uvec{0, 1, 2}) == arma::uvec{2, 0, 1}));
  EXPECT_EQ(CharContexts("abcab", vocabulary, 2, 1).size(), 1u);
  EXPECT_THROW(CharContexts("abz", vocabulary, 1), std::invalid_argument);
  EXPECT_THROW(CharContexts("ab", vocabulary, 2), std::invalid_argument);
}

TEST(NnData, AustenNovelsShipWithTheRepository) {
  const auto novels = load_austen(std::string(MOE_SOURCE_DIR) + "/datasets/austen");
  ASSERT_EQ(novels.size(), 6u);
  EXPECT_EQ(novels[1].rfind("PRIDE AND PREJUDICE", 0), 0u);
  EXPECT_NE(novels[5].find("Anne Elliot"), std::string::npos);  // Persuasion, the held-out novel
  std::size_t total = 0;
  for (const auto& n : novels) total += n.size();
  EXPECT_GT(total, 3900000u);
  EXPECT_THROW(load_austen("/nonexistent"), std::invalid_argument);
}

TEST(NnData, TableExamplesSplitStandardizeAndNumberTheClasses) {
  const std::string path = ::testing::TempDir() + "moe_table.csv";
  {
    std::ofstream out(path);
    out << "a,b,label,c\n";
    for (int i = 0; i < 40; ++i) out << i << ',' << (i % 7) * 0.5 << ',' << (i % 3 == 0 ? 5 : -2) << ",1\n";
  }
  const TableSplit split = load_table_examples(path, "label", {}, 0.25, 3);
  EXPECT_EQ(split.train.size(), 30u);
  EXPECT_EQ(split.test.size(), 10u);
  EXPECT_EQ(split.train.features(), 3u);  // a, b, c
  EXPECT_EQ(split.class_values, (std::vector<double>{-2.0, 5.0}));
  const arma::mat Xtrain = split.train.inputs(arma::regspace<arma::uvec>(0, 29));
  EXPECT_LT(arma::abs(arma::mean(Xtrain, 0)).max(), 1e-12);                  // training-set scaling
  EXPECT_NEAR(arma::stddev(Xtrain.col(0), 0), 1.0, 1e-12);
  EXPECT_TRUE(arma::all(Xtrain.col(2) == 0.0));                              // a constant column stays 0
  // Same seed, same split; another seed, another split.
  const TableSplit again = load_table_examples(path, "label", {}, 0.25, 3);
  const arma::uvec rows = arma::regspace<arma::uvec>(0, 9);
  EXPECT_TRUE(arma::all(arma::vectorise(again.test.inputs(rows) == split.test.inputs(rows))));
  const TableSplit other = load_table_examples(path, "label", {"a"}, 0.25, 4);
  EXPECT_EQ(other.train.features(), 1u);
  EXPECT_THROW(load_table_examples(path, "b", {}, 0.25, 3), std::invalid_argument);      // 0.5: not whole
  EXPECT_THROW(load_table_examples(path, "c", {}, 0.25, 3), std::invalid_argument);      // one class
  EXPECT_THROW(load_table_examples(path, "nope", {}, 0.25, 3), std::invalid_argument);
  EXPECT_THROW(load_table_examples(path, "label", {}, 0.001, 3), std::invalid_argument);  // no test row
}

}  // namespace
