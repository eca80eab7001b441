#pragma once
/// @file family.hpp
/// The expert families: Gaussian (linear regression) and binomial (logistic).

#include <string>

namespace moe {

enum class Family { gaussian, binomial };

/// "gaussian" or "binomial".
std::string to_string(Family family);

/// Parses "gaussian" / "binomial"; throws std::invalid_argument otherwise.
Family parse_family(const std::string& name);

}  // namespace moe
