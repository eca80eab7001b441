#pragma once
/// @file error.hpp
/// The two tiers of errors in moe: invalid arguments throw std::invalid_argument
/// with a "moe::Fn(): ..." prefix; numerical failures throw moe::numerical_error.

#include <stdexcept>
#include <string>

namespace moe {

/// Thrown when a computation fails numerically (e.g. a matrix that should be
/// positive definite is not). The model being fitted is left unchanged.
class numerical_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws std::invalid_argument("moe::<fn>(): <what>") when `ok` is false.
inline void require(bool ok, const char* fn, const std::string& what) {
  if (!ok) throw std::invalid_argument(std::string("moe::") + fn + "(): " + what);
}

}  // namespace moe
