#pragma once
// Options shared by `moe fit` and `moe compare`: the data, the model and the
// iteration control.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "moe/methods.hpp"
#include "model_json.hpp"

namespace moe::cli {

struct FitOptions {
  // the defaults are the library's (IterationControl, MethodSettings)
  std::string data, response, x, x_fixed, z, group, weights, offset, trials, covariance, family = "gaussian",
      init = to_string(IterationControl{}.init), device = "cpu";
  arma::uword K = 0, max_iter = IterationControl{}.max_iter, batch_size = 0;
  arma::uword starts = IterationControl{}.starts, screening_iterations = IterationControl{}.screening_iterations,
              finalists = IterationControl{}.finalists;
  unsigned threads = IterationControl{}.threads;
  std::uint64_t seed = IterationControl{}.seed;
  double tol = IterationControl{}.tol, variance_floor = MethodSettings{}.relative_variance_floor;
  bool no_intercept = false, common_sigma = false, no_split_merge = false, prefer_finite = false;
  std::optional<double> point_mass;
  double nu = 0.0;  // t experts: 0 estimates every ν_k

  /// The specification of the options, with the level names of `data`
  /// (multinomial experts; Dataset::level_names).
  Specification specification(const Dataset& data) const;
  /// The data set of the specification read from --data, with the --weights
  /// column; rows of weight 0 are left out.
  Dataset dataset() const;
  /// "weights W (total T), " when --weights is given and "G groups (C), " with
  /// --group, else "": for summaries.
  std::string data_note(const Dataset& data) const;
  /// What the fit JSON records of a fit made by `method` on `data`, this command's.
  FitRecord record(const Method& method, const IterationControl& control, const Dataset& data,
                   FitSummary summary) const;
  /// Settings for make_method (control without truth or callbacks),
  /// with the kernels of `device`: throws when "cuda" cannot run here.
  MethodSettings settings() const;
};

/// Registers the shared options; `data_required` is false for commands that
/// can simulate their data instead; `with_experts` false leaves out -K (for a
/// command that takes several).
void add_fit_options(CLI::App* cmd, FitOptions& options, bool data_required, bool with_experts = true);

}  // namespace moe::cli
