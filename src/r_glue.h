#pragma once
// What the R glue's files share (r_moe.cpp, r_multivariate.cpp).
#include <RcppArmadillo.h>

#include <string>
#include <vector>

#include "moe/bootstrap.hpp"

/// The column names of an R matrix (none when it has none).
inline std::vector<std::string> column_names(const Rcpp::NumericMatrix& M) {
  const Rcpp::RObject names = Rcpp::colnames(M);
  return names.isNULL() ? std::vector<std::string>() : Rcpp::as<std::vector<std::string>>(names);
}

/// moe_boot()'s list of a bootstrap: names, estimates, se_information (NaN
/// where there is none), se_bootstrap, the `level` percentile interval,
/// replicates, logliks and the counts.
Rcpp::List bootstrap_list(const moe::Bootstrap& b, double level, const arma::vec& se_information);
