#pragma once
/// @file merged_rows.hpp
/// Rows that repeat, merged. When rows agree in every value a fit reads (y,
/// the expert and gate designs, the offset and the trials), the likelihood and
/// every sum over rows are those of the distinct rows, each weighted by the
/// summed weights of its copies (Dataset::weights: frequency weights count
/// observations). Tabulated data have few distinct rows: MASS's OME, 1097 rows
/// of correct answers out of trials at 6 loudness levels, has 166. The search
/// (search.hpp) draws its starts and moves on the rows as given and runs EM on
/// the merged ones.

#include <optional>

#include "moe/data.hpp"

namespace moe {

struct MergedRows {
  Dataset data;        ///< the distinct rows, in the order of their first copy, with the summed weights
  arma::uvec row_of;   ///< n: the row of `data` that each row of the original is a copy of
};

/// The distinct rows of `data`, or none when no row repeats or the rows are
/// grouped (a group's rows share one posterior, and the groups stay as given).
std::optional<MergedRows> merged_rows(const Dataset& data);

}  // namespace moe
