#pragma once
/// @file checkpoint.hpp
/// Saving a trained Network (its options and every parameter, in binary
/// fp64) and loading it back bit for bit.

#include <memory>
#include <string>

#include "moe/nn/network.hpp"

namespace moe::nn {

/// Writes `network` to `path`; throws std::invalid_argument when it cannot.
void save_checkpoint(Network& network, const std::string& path);

/// The network saved at `path`; throws std::invalid_argument naming the path
/// and the problem when the file is missing, truncated or not a checkpoint.
std::unique_ptr<Network> load_checkpoint(const std::string& path);

}  // namespace moe::nn
