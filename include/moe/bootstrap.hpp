#pragma once
/// @file bootstrap.hpp
/// Bootstrap standard errors and percentile intervals of a fit (flexmix's
/// `boot`, mixtools' `boot.se`). Each replicate is a data set drawn from the
/// fit's data, refitted by the same estimator from the fit (the start that
/// McLachlan & Peel 2000, §2.16, advise: each replicate stays near the maximum
/// whose spread is measured):
///  - nonparametric: the observations resampled with replacement (with
///    frequency weights, the N = Σ w_i observations they stand for; with
///    groups, whole groups, each copy a group of its own);
///  - parametric: new responses drawn from the fitted model at the same
///    covariates (trials, offsets and groups kept).
/// A replicate's experts are then matched to the fit's (matching.hpp), so that
/// label switching does not blur the intervals. Replicate b draws from its own
/// seed, start_seed(seed, b), and the replicates run on `threads` threads: the
/// result for a seed does not depend on their number.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "moe/methods.hpp"
#include "moe/standard_errors.hpp"

namespace moe {

enum class BootstrapType { nonparametric, parametric };

/// "nonparametric" or "parametric".
std::string to_string(BootstrapType type);
/// Parses a type's name; throws std::invalid_argument otherwise.
BootstrapType parse_bootstrap_type(const std::string& name);

struct BootstrapOptions {
  arma::uword replicates = 100;
  BootstrapType type = BootstrapType::nonparametric;
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0: every core
  /// Called on the calling thread with the replicates done so far (may be empty).
  std::function<void(arma::uword done)> progress;
};

struct Bootstrap {
  BootstrapType type = BootstrapType::nonparametric;
  /// The parameters, as parameter_names() (standard_errors.hpp) names them
  /// but on their own scale: "sigma.expert1", not "log_sigma.expert1".
  std::vector<std::string> names;
  arma::vec estimates;    ///< the fit's parameters, in that order
  arma::mat replicates;   ///< one row per replicate that ended, its experts matched to the fit's
  arma::vec logliks;      ///< ℓ of each such replicate on its own data
  arma::uword relabelled = 0;     ///< replicates whose experts came back in another order
  arma::uword not_converged = 0;  ///< replicates stopped by the iteration limit
  arma::uword failed = 0;         ///< replicates whose fit threw (left out)
  std::string first_failure;      ///< the message of the first of them

  /// The standard deviation of every parameter over the replicates (n − 1).
  arma::vec standard_errors() const;
  /// The `level` percentile interval of every parameter: the (1 ∓ level)/2
  /// quantiles of the replicates (R's quantile() type 7).  Result: d×2.
  arma::mat percentile_intervals(double level) const;
};

/// One replicate's outcome: its parameters (experts matched to the fit's),
/// its ℓ, or the message of what it threw (`failure` not empty).
struct BootstrapReplicate {
  arma::vec parameters;
  double loglik = 0.0;
  bool converged = false, relabelled = false;
  std::string failure;
};

/// The driver of every bootstrap: options.replicates runs of `replicate`,
/// the b-th with seed start_seed(options.seed, b), on options.threads
/// threads, collected in index order; a replicate that throws is counted as
/// failed, with its message. Throws std::invalid_argument when every
/// replicate fails.
Bootstrap run_bootstrap(const BootstrapOptions& options, arma::vec estimates, std::vector<std::string> names,
                        const std::function<BootstrapReplicate(std::uint64_t seed)>& replicate);

/// The parameters of `model` on their own scale, in pack() order: pack()
/// with the log dispersions exponentiated.
arma::vec natural_parameters(const Model& model);

/// The observed-information standard errors `se` of `model`
/// (standard_errors.hpp) in the order of natural_parameters(), by the delta
/// method for the dispersions; NaN when the information is not positive definite.
arma::vec natural_standard_errors(const Model& model, const StandardErrors& se);

/// The names of natural_parameters(): parameter_names() (standard_errors.hpp)
/// with "sigma.expert<k>" for "log_sigma.expert<k>", and so for theta and shape.
std::vector<std::string> natural_parameter_names(const Model& model, const Dataset& data);

/// Throws std::invalid_argument unless options ask for at least one replicate.
void require_replicates(const BootstrapOptions& options);

/// Throws std::invalid_argument, before any fit, for what bootstrap() refuses
/// on these data: no replicates, or non-whole frequency weights in the
/// nonparametric bootstrap (it resamples the observations they count).
void require_bootstrappable(const Dataset& data, const BootstrapOptions& options);

/// The bootstrap of `fitted` (a fit of `data` by `method`). Throws
/// std::invalid_argument as require_bootstrappable() does, or when every
/// replicate fails.
Bootstrap bootstrap(const Dataset& data, const Model& fitted, const Method& method, const BootstrapOptions& options);

}  // namespace moe
