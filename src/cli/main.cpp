// moe: gated mixtures of experts from the command line.
#include <cstdio>
#include <exception>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "commands.hpp"

namespace {

// glibc maps every block above its mmap threshold (at most 32 MB) on its own
// and unmaps it when freed, so an n×K temporary of a large fit (n = 3e5,
// K = 16: 38 MB) is mapped, faulted in and zeroed page by page again at every
// use: 4.1 s an iteration there, 0.6 s with the blocks kept in the heap. The
// command line is one fit per process, so it keeps them (and up to 1 GB freed
// at the heap's top); the library leaves the allocator to its host.
void keep_large_blocks_in_the_heap() {
#ifdef __GLIBC__
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  keep_large_blocks_in_the_heap();
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
