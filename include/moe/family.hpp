#pragma once
/// @file family.hpp
/// The expert families: Gaussian (linear regression), binomial (logistic
/// regression) and Poisson (log-linear regression of counts).
/// The functions of the binomial and Poisson families are in canonical.hpp.

#include <string>

namespace moe {

enum class Family { gaussian, binomial, poisson };

/// "gaussian", "binomial" or "poisson".
std::string to_string(Family family);

/// Parses "gaussian" / "binomial" / "poisson"; throws std::invalid_argument otherwise.
Family parse_family(const std::string& name);

}  // namespace moe
