#pragma once
/// @file csv.hpp
/// Numeric CSV tables: a header row of names, then one row per observation.
/// Cells that are not finite numbers are remembered, and reported with their
/// row and column when (and only when) their column is used.

#include <armadillo>
#include <iosfwd>
#include <string>
#include <vector>

namespace moe {

class Table {
 public:
  /// Reads `path`; throws std::invalid_argument when the file cannot be opened,
  /// has no header or no rows, or a row has the wrong number of cells.
  static Table read(const std::string& path);

  const std::vector<std::string>& names() const { return names_; }
  arma::uword n_rows() const { return values_.n_rows; }
  bool has(const std::string& name) const;
  /// True when every cell of the (existing) column is a finite number.
  bool is_numeric(const std::string& name) const;

  /// The named columns as an n×m matrix; throws std::invalid_argument for a
  /// missing column or a cell in them that is empty, non-numeric, NaN or Inf.
  arma::mat columns(const std::vector<std::string>& names) const;
  arma::vec column(const std::string& name) const;
  /// The cells of a column as the file writes them (its quotes and
  /// surrounding blanks removed), such as the level names of a categorical
  /// response; reads the file again.
  std::vector<std::string> text(const std::string& name) const;

 private:
  struct BadCell {
    arma::uword line = 0;  // 0: none
    std::string text;
  };
  arma::uword index_of(const std::string& name) const;

  std::string path_;
  std::vector<std::string> names_;
  arma::mat values_;
  std::vector<BadCell> first_bad_;
};

/// A finite decimal number filling the whole cell, or NaN (so also for a
/// hexadecimal number or a cell with a NUL byte, which strtod would take in part).
double parse_number(const std::string& cell);

/// Writes a header and the rows of `values` with 17 significant digits.
void write_csv(std::ostream& out, const std::vector<std::string>& names, const arma::mat& values);

/// Splits "a,b,c" into {"a", "b", "c"} (empty input gives no names).
std::vector<std::string> split_names(const std::string& list);

}  // namespace moe
