#pragma once
/// @file table_examples.hpp
/// A classification data set from a numeric CSV table (csv.hpp): one column of
/// class labels (whole numbers; the distinct values, sorted, become classes
/// 0..C−1), feature columns standardized with the training rows' mean and sd,
/// and a seeded random split into training and test rows. The same file, label,
/// features, fraction and seed always give the same split and scaling, so a
/// network trained on it can be evaluated on it later.

#include <string>
#include <vector>

#include "moe/nn/examples.hpp"

namespace moe::nn {

struct TableSplit {
  DenseExamples train, test;
  std::vector<double> class_values;  ///< the label value of each class
};

/// Reads `path`; `features` empty means every column but the label. Throws
/// std::invalid_argument naming the file and the problem (missing column,
/// non-numeric cell, a label that is not a whole number, fewer than two classes,
/// a split that leaves either part empty).
TableSplit load_table_examples(const std::string& path, const std::string& label,
                               const std::vector<std::string>& features, double test_fraction,
                               std::uint64_t seed);

}  // namespace moe::nn
