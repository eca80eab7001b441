#include "nn_data.hpp"

#include <cstdio>

#include "commands.hpp"
#include "moe/csv.hpp"
#include "moe/error.hpp"
#include "moe/nn/char_text.hpp"
#include "moe/nn/checkpoint.hpp"
#include "moe/nn/fashion_mnist.hpp"
#include "moe/nn/table_examples.hpp"

namespace moe::cli {
namespace {

constexpr const char* kAustenDir = "datasets/austen";

void check_size(arma::uword asked, arma::uword available, const char* what) {
  require(asked <= available, "nn-data",
          std::string(what) + " size " + std::to_string(asked) + " exceeds the " + std::to_string(available) +
              " examples available");
}

// The first `n` examples of `all` (all of them when n is 0).
std::unique_ptr<nn::Examples> first(const nn::DenseExamples& all, arma::uword n, const char* what) {
  check_size(n, all.size(), what);
  const arma::uvec rows = arma::regspace<arma::uvec>(0, (n == 0 ? all.size() : n) - 1);
  return std::make_unique<nn::DenseExamples>(all.inputs(rows), all.labels(rows), all.classes());
}

NnData fashion_mnist(const NnDataArgs& args, bool with_train) {
  const std::string dir = args.dir.empty() ? nn::kFashionMnistDir : args.dir;
  NnData data;
  if (with_train) data.train = first(nn::load_fashion_mnist(dir, "train"), args.train_size, "training");
  data.test = first(nn::load_fashion_mnist(dir, "t10k"), args.test_size, "test");
  return data;
}

// The five novels that train, joined.
std::string training_novels(const std::vector<std::string>& novels) {
  std::string training;
  for (std::size_t i = 0; i + 1 < novels.size(); ++i) training += novels[i];
  return training;
}

// The first five novels train, the sixth (Persuasion) tests.
NnData austen(const NnDataArgs& args, bool with_train) {
  const std::vector<std::string> novels = nn::load_austen(args.dir.empty() ? kAustenDir : args.dir);
  const nn::Vocabulary vocabulary(novels);
  const std::string training = training_novels(novels);
  NnData data;
  if (with_train) {
    check_size(args.train_size, training.size() - args.context, "training");
    data.train = std::make_unique<nn::CharContexts>(training, vocabulary, args.context, args.train_size);
  }
  check_size(args.test_size, novels.back().size() - args.context, "test");
  data.test = std::make_unique<nn::CharContexts>(novels.back(), vocabulary, args.context, args.test_size);
  return data;
}

// A CSV file: label column, features, seeded train/test split.
NnData csv_table(const NnDataArgs& args, bool with_train) {
  require(!args.label.empty(), "nn-data", "--data " + args.name + " is a CSV file: name its class column with --label");
  const nn::TableSplit split = nn::load_table_examples(args.name, args.label, split_names(args.features), args.test_fraction,
                                         args.split_seed);
  NnData data;
  if (with_train) data.train = first(split.train, args.train_size, "training");
  data.test = first(split.test, args.test_size, "test");
  return data;
}

bool is_csv(const std::string& name) { return name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0; }

}  // namespace

void add_nn_data_options(CLI::App* cmd, NnDataArgs& args) {
  cmd->add_option("--data", args.name,
                  "Data set: fashion-mnist (Debian package dataset-fashion-mnist), austen (next character of "
                  "Jane Austen's novels; Persuasion held out), or a numeric CSV file (with --label)")
      ->required()
      ->check(CLI::IsMember({"fashion-mnist", "austen"}) | CLI::Validator(
                  [](std::string& s) { return is_csv(s) ? std::string() : std::string("not a .csv file"); },
                  "FILE.csv"));
  cmd->add_option("--data-dir", args.dir, std::string("Folder with the data files (default: ") +
                                              nn::kFashionMnistDir + " or " + kAustenDir + ")");
  cmd->add_option("--train-size", args.train_size, "Use only the first N training examples (0: all)")
      ->check(count_between(0, 100000000))->capture_default_str();
  cmd->add_option("--test-size", args.test_size, "Use only the first N test examples (0: all)")
      ->check(count_between(0, 100000000))->capture_default_str();
  cmd->add_option("--context", args.context, "austen: characters of context per prediction")
      ->check(count_between(1, 4096))->capture_default_str();
  cmd->add_option("--label", args.label, "CSV: the column of class labels (whole numbers)");
  cmd->add_option("--features", args.features, "CSV: feature columns, comma-separated (default: all others)");
  cmd->add_option("--test-fraction", args.test_fraction, "CSV: share of rows held out for testing")
      ->check(CLI::Range(0.01, 0.99))->capture_default_str();
  cmd->add_option("--split-seed", args.split_seed, "CSV: seed of the random train/test split")
      ->check(seed_number())->capture_default_str();
}

std::map<std::string, std::string> split_notes(const NnDataArgs& args) {
  if (!is_csv(args.name)) return {};
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, "%.17g", args.test_fraction);
  return {{"split_seed", std::to_string(args.split_seed)}, {"test_fraction", fraction}};
}

void require_same_split(const std::string& path, const NnDataArgs& args) {
  for (const auto& [key, value] : split_notes(args)) {
    const std::string trained = nn::checkpoint_note(path, key);
    require(trained.empty() || trained == value, "nn-eval",
            "'" + path + "' was trained with " + key + " " + trained + ", not " + value +
                ": with another split its test rows would include training rows (pass the training values of "
                "--split-seed and --test-fraction)");
  }
}

NnText load_nn_text(const NnDataArgs& args) {
  require(args.name == "austen", "nn-train", "--arch transformer reads a text: use --data austen");
  const std::vector<std::string> novels = nn::load_austen(args.dir.empty() ? kAustenDir : args.dir);
  const nn::Vocabulary vocabulary(novels);
  NnText text{nn::encode(training_novels(novels), vocabulary), nn::encode(novels.back(), vocabulary), vocabulary};
  check_size(args.train_size, text.train.n_elem, "training");
  if (args.train_size > 0) text.train = text.train.head(args.train_size);
  return text;
}

NnData load_nn_data(const NnDataArgs& args, bool with_train) {
  if (is_csv(args.name)) return csv_table(args, with_train);
  return args.name == "austen" ? austen(args, with_train) : fashion_mnist(args, with_train);
}

}  // namespace moe::cli
