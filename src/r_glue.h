#pragma once
// What the R glue's files share (r_moe.cpp, r_multivariate.cpp).
#include <RcppArmadillo.h>

#include <string>
#include <vector>

#include "moe/bootstrap.hpp"
#include "moe/methods.hpp"
#include "moe/trace.hpp"

/// The column names of an R matrix (none when it has none).
inline std::vector<std::string> column_names(const Rcpp::NumericMatrix& M) {
  const Rcpp::RObject names = Rcpp::colnames(M);
  return names.isNULL() ? std::vector<std::string>() : Rcpp::as<std::vector<std::string>>(names);
}

/// moe_boot()'s list of a bootstrap: names, estimates, se_information (NaN
/// where there is none), se_bootstrap, the `level` percentile interval,
/// replicates, logliks and the counts.
Rcpp::List bootstrap_list(const moe::Bootstrap& b, double level, const arma::vec& se_information);

/// A trace as R's data frame: iteration, loglik, delta, param_change,
/// seconds, grad_norm, param_error.
Rcpp::DataFrame trace_frame(const moe::Trace& trace);

/// The estimators' settings of moe_control()'s list (R's seed and whether
/// to print progress given apart); interrupts are checked every iteration.
moe::MethodSettings settings_from(const Rcpp::List& control, double seed, bool verbose);
