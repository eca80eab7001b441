#pragma once
/// @file io.hpp
/// The model file: a fitted model with the names that say how to build its
/// designs from a table (the specification), as versioned JSON. `moe fit --out`
/// writes it (with a record of the fit around it), `moe predict` and
/// `moe simulate` read it, and a C++ program or R (moe_write, moe_read) can do
/// the same. The format:
///   format_version (model_format_version), family, K, response, x, z,
///   intercept, offset (optional), trials (optional: binomial), x_fixed
///   (optional), group (optional), point_mass (optional: the last expert's
///   value), common_sigma, experts {names, coef: K columns of p (multinomial:
///   p(C − 1), multinomial.hpp), sigma (Gaussian, t), theta (negbin) or shape
///   (gamma): K, nu and nu_fixed (t), levels (multinomial: C names, level 0
///   first)},
///   gate {names, coef: K columns of q, reference: K (its column is 0)}.
/// A file without format_version is read as version 1 (the files written
/// before it was added).

#include <optional>
#include <string>
#include <vector>

#include "moe/csv.hpp"
#include "moe/data.hpp"
#include "moe/model.hpp"

namespace moe {

/// The version this build writes; it reads this one and every earlier one.
inline constexpr int model_format_version = 1;

/// How a model's designs are built from a table's columns.
struct Specification {
  std::string response = "y";
  std::vector<std::string> x;  ///< expert covariates (without the intercept)
  std::vector<std::string> z;  ///< gate covariates (without the intercept)
  bool intercept = true;       ///< in both designs
  std::string offset;          ///< the column of the experts' offsets, or empty
  std::string trials;          ///< the column of the binomial trials (data.hpp), or empty
  /// Expert covariates whose coefficient all experts share (Dataset::
  /// shared_columns): the expert design's columns after those of `x`.
  std::vector<std::string> x_fixed;
  /// The column of group ids (Dataset::group: all rows of a group belong to
  /// one expert), or empty.
  std::string group;
  /// The value of a point-mass expert, the last one (Dataset::point_mass), or none.
  std::optional<double> point_mass;
  /// Multinomial experts: the response's level names, level 0 first
  /// (levels_of); empty for the other families.
  std::vector<std::string> levels;
};

/// The distinct cells of a table's column, as the levels of a categorical
/// response: in numeric order when every cell is a number, else in
/// alphabetical (byte) order, as R's factor() orders them.
std::vector<std::string> levels_of(const Table& table, const std::string& column);

/// The expert design's covariates: `x`, then `x_fixed`.
std::vector<std::string> expert_covariates(const Specification& spec);
/// The expert design's columns that hold `x_fixed` (the intercept counted).
arma::uvec fixed_columns(const Specification& spec);

struct SavedModel {
  Model model;
  Specification spec;
};

/// The data set of `spec` from a table; the response is read only when
/// `with_response` is true (otherwise y is zeros), as the number of its level
/// when spec.levels is not empty (std::invalid_argument for a cell that is
/// none of them). Group ids are numbered in the order they first appear, and
/// named as the table writes them.
Dataset dataset_from(const Table& table, const Specification& spec, bool with_response);

/// The model file's JSON text (two-space indentation).
std::string model_json(const Model& model, const Specification& spec);

/// Reads model_json's text (or a whole fit.json); throws std::invalid_argument
/// naming the first missing or inconsistent field, or a newer format_version.
SavedModel parse_model(const std::string& text);

/// Writes model_json to `path`; throws std::runtime_error when it cannot.
void write_model_file(const std::string& path, const Model& model, const Specification& spec);

/// parse_model of the file at `path` (std::invalid_argument naming the path).
SavedModel read_model_file(const std::string& path);

}  // namespace moe
