#pragma once
/// @file fashion_mnist.hpp
/// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; 60 000 training and 10 000 test
/// 28×28 grey images of 10 clothing classes) read from the IDX files that
/// Debian's `dataset-fashion-mnist` installs (gzip-compressed).

#include <string>

#include "moe/nn/examples.hpp"

namespace moe::nn {

/// Where Debian's package puts the files.
inline const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// The training ("train") or test ("t10k") split: pixels scaled to [0, 1] and
/// standardized with the training set's mean and sd (0.2860, 0.3530), labels
/// 0–9. Checks the IDX headers and the expected counts; throws
/// std::invalid_argument with the path when a file is missing or malformed.
DenseExamples load_fashion_mnist(const std::string& dir, const std::string& split);

}  // namespace moe::nn
