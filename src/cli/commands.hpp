#pragma once
// The subcommands of the `moe` command line; each adds itself to the app.

#include <CLI/CLI.hpp>

namespace moe::cli {

void add_fit_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_simulate_command(CLI::App& app);

}  // namespace moe::cli
