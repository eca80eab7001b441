#pragma once
// Internal: a text that must be one finite number, all of it.

#include <cmath>
#include <exception>
#include <optional>
#include <string>

namespace moe {

/// The number `text` spells out in full (std::stod's syntax, leading blanks
/// allowed), or nothing when it is empty, has anything after the number, or is
/// not finite.
inline std::optional<double> finite_number(const std::string& text) {
  std::size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace moe
