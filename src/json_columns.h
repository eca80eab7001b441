#pragma once
// Internal: a matrix as JSON, a list of its columns: the layout of the model
// file (io.cpp) and of the CLI's fit record (src/cli/model_json.cpp).

#include <armadillo>
#include <nlohmann/json.hpp>
#include <vector>

namespace moe {

inline nlohmann::json columns_to_json(const arma::mat& M) {
  nlohmann::json out = nlohmann::json::array();
  for (arma::uword k = 0; k < M.n_cols; ++k) out.push_back(arma::conv_to<std::vector<double>>::from(M.col(k)));
  return out;
}

}  // namespace moe
