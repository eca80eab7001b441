#pragma once
// The subcommands of the `moe` command line; each adds itself to the app.

#include <CLI/CLI.hpp>
#include <armadillo>
#include <fstream>
#include <string>
#include <vector>

namespace moe::cli {

/// A file opened for writing; throws std::invalid_argument("moe::<who>(): cannot
/// write 'path'") when it cannot be.
std::ofstream open_output(const std::string& path, const char* who);

/// Fails (std::invalid_argument) unless `path` can be written, leaving the
/// file as it was: checked before long work whose result goes there.
void require_writable(const std::string& path, const char* who);

/// Writes a CSV table to `path`, or to standard output when `path` is empty.
void write_table(const std::string& path, const std::vector<std::string>& names, const arma::mat& values,
                 const char* who);

/// {prefix1, ..., prefixN}.
std::vector<std::string> numbered(const std::string& prefix, std::size_t count);

/// Accepts whole numbers in [low, high] (rejects "-1" for unsigned options).
CLI::Validator count_between(long long low, long long high);
/// Accepts finite numbers > 0 (or ≥ 0 when `allow_zero`).
CLI::Validator positive_number(bool allow_zero = false);
/// A seed: a whole number from 0 to 2^64 − 1, digits only (no sign).
CLI::Validator seed_number();
/// Accepts numbers strictly between 0 and 1.
CLI::Validator open_probability();

/// The estimators of the registry (methods.hpp), one description each, for
/// the help of --method.
std::string methods_help();
/// The families of the registry (family.hpp): the check of --family (one of
/// their names) and its help text.
CLI::Validator family_name();
std::string families_help();

void add_fit_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_simulate_command(CLI::App& app);
void add_compare_command(CLI::App& app);
void add_select_command(CLI::App& app);
void add_boot_command(CLI::App& app);
void add_nn_train_command(CLI::App& app);
void add_nn_eval_command(CLI::App& app);

}  // namespace moe::cli
