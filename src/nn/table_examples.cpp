#include "moe/nn/table_examples.hpp"

#include <algorithm>
#include <cmath>

#include "moe/csv.hpp"
#include "moe/error.hpp"
#include "moe/rng.hpp"

namespace moe::nn {
namespace {

// Class codes 0..C−1 of whole-number labels, in sorted order of their values.
arma::uvec class_codes(const arma::vec& y, std::vector<double>& values, const std::string& path) {
  for (double v : y)
    require(v == std::round(v), "load_table_examples", "'" + path + "': the label column has a value that is "
                                                       "not a whole number (" + std::to_string(v) + ")");
  const arma::vec distinct = arma::unique(y);
  require(distinct.n_elem >= 2, "load_table_examples", "'" + path + "': the label column has fewer than two classes");
  values.assign(distinct.begin(), distinct.end());
  arma::uvec codes(y.n_elem);
  for (arma::uword i = 0; i < y.n_elem; ++i)
    codes(i) = static_cast<arma::uword>(std::lower_bound(values.begin(), values.end(), y(i)) - values.begin());
  return codes;
}

}  // namespace

TableSplit load_table_examples(const std::string& path, const std::string& label,
                               const std::vector<std::string>& features, double test_fraction,
                               std::uint64_t seed) {
  require(test_fraction > 0.0 && test_fraction < 1.0, "load_table_examples", "the test fraction must be in (0, 1)");
  const Table table = Table::read(path);
  require(table.has(label), "load_table_examples", "'" + path + "' has no column '" + label + "'");
  std::vector<std::string> names = features;
  if (names.empty())
    for (const auto& name : table.names())
      if (name != label) names.push_back(name);
  require(!names.empty(), "load_table_examples", "'" + path + "' has no feature column besides the label");
  require(std::find(names.begin(), names.end(), label) == names.end(), "load_table_examples",
          "the label column '" + label + "' cannot also be a feature");
  std::vector<double> values;
  const arma::uvec y = class_codes(table.column(label), values, path);
  arma::mat X = table.columns(names);

  Rng rng(seed);  // a seeded permutation: the last test_fraction of it is the test set
  arma::uvec order = arma::regspace<arma::uvec>(0, X.n_rows - 1);
  for (arma::uword i = order.n_elem; i > 1; --i) std::swap(order(i - 1), order(rng.index(i)));
  const auto n_test = static_cast<arma::uword>(std::round(test_fraction * static_cast<double>(X.n_rows)));
  require(n_test >= 1 && n_test < X.n_rows, "load_table_examples",
          "'" + path + "': the split leaves no training or no test rows");
  const arma::uvec train_rows = order.head(X.n_rows - n_test), test_rows = order.tail(n_test);

  const arma::rowvec mean = arma::mean(X.rows(train_rows), 0);
  arma::rowvec sd = arma::stddev(X.rows(train_rows), 0, 0);
  sd.transform([](double s) { return s > 0.0 ? s : 1.0; });  // a constant column stays 0
  X.each_row() -= mean;
  X.each_row() /= sd;
  const arma::uword classes = values.size();
  return {DenseExamples(X.rows(train_rows), y.elem(train_rows), classes),
          DenseExamples(X.rows(test_rows), y.elem(test_rows), classes), values};
}

}  // namespace moe::nn
