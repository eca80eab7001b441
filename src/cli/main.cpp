// moe: gated mixtures of experts from the command line.
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "moe/heap.hpp"

int main(int argc, char** argv) {
  moe::keep_large_blocks_in_the_heap();  // one fit or training per process
  CLI::App app{"moe: mixtures of experts (fit, predict, simulate, compare, select, boot; nn-train, nn-eval for sparse MoE networks)", "moe"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "moe 0.1.0");
  moe::cli::add_fit_command(app);
  moe::cli::add_predict_command(app);
  moe::cli::add_simulate_command(app);
  moe::cli::add_compare_command(app);
  moe::cli::add_select_command(app);
  moe::cli::add_boot_command(app);
  moe::cli::add_nn_train_command(app);
  moe::cli::add_nn_eval_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "moe: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
