#pragma once
// The data sets `moe nn-train` and `moe nn-eval` know by name.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "moe/nn/examples.hpp"

namespace moe::cli {

struct NnDataArgs {
  std::string name;            ///< "fashion-mnist" or "austen"
  std::string dir;             ///< where its files are (default: per data set)
  arma::uword train_size = 0;  ///< use the first N training examples (0: all)
  arma::uword test_size = 0;   ///< use the first N test examples (0: all)
  arma::uword context = 32;    ///< austen: characters of context
};

struct NnData {
  std::unique_ptr<nn::Examples> train, test;  ///< train is null when not asked for
};

/// Adds --data, --data-dir, --train-size, --test-size and --context to `cmd`.
void add_nn_data_options(CLI::App* cmd, NnDataArgs& args);

/// Loads the named data set (the training split only `with_train`); throws
/// std::invalid_argument with a clear message.
NnData load_nn_data(const NnDataArgs& args, bool with_train = true);

}  // namespace moe::cli
