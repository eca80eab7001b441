#pragma once
// The data sets `moe nn-train` and `moe nn-eval` know by name.

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>

#include "moe/nn/char_text.hpp"
#include "moe/nn/examples.hpp"

namespace moe::cli {

struct NnDataArgs {
  std::string name;            ///< "fashion-mnist", "austen" or a CSV file
  std::string dir;             ///< where its files are (default: per data set)
  arma::uword train_size = 0;  ///< use the first N training examples (0: all)
  arma::uword test_size = 0;   ///< use the first N test examples (0: all)
  arma::uword context = 32;    ///< austen: characters of context
  std::string label;           ///< CSV: the class column
  std::string features;        ///< CSV: comma-separated feature columns (empty: all others)
  double test_fraction = 0.2;  ///< CSV: share of rows held out for testing
  std::uint64_t split_seed = 1;  ///< CSV: seed of the random split
};

struct NnData {
  std::unique_ptr<nn::Examples> train, test;  ///< train is null when not asked for
};

/// Adds --data, --data-dir, --train-size, --test-size, --context and the CSV
/// options (--label, --features, --test-fraction, --split-seed) to `cmd`.
void add_nn_data_options(CLI::App* cmd, NnDataArgs& args);

/// Loads the named data set (the training split only `with_train`); throws
/// std::invalid_argument with a clear message.
NnData load_nn_data(const NnDataArgs& args, bool with_train = true);

/// The Austen texts as token codes, for the transformer: the first five
/// novels (their first `train_size` codes; 0: all) and the sixth, and the
/// vocabulary. Throws std::invalid_argument for any other data set.
struct NnText {
  arma::uvec train, test;
  nn::Vocabulary vocabulary;
};
NnText load_nn_text(const NnDataArgs& args);

/// For a CSV data set, the checkpoint notes that record its train/test split
/// (split_seed, test_fraction); empty for the named data sets, whose split is fixed.
std::map<std::string, std::string> split_notes(const NnDataArgs& args);

/// Throws std::invalid_argument when the checkpoint at `path` recorded another
/// split than `args` asks for: its test rows would include training rows.
void require_same_split(const std::string& path, const NnDataArgs& args);

}  // namespace moe::cli
