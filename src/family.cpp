#include "moe/family.hpp"

#include "moe/error.hpp"

namespace moe {

std::string to_string(Family family) {
  return family == Family::gaussian ? "gaussian" : "binomial";
}

Family parse_family(const std::string& name) {
  if (name == "gaussian") return Family::gaussian;
  if (name == "binomial") return Family::binomial;
  throw std::invalid_argument("moe::parse_family(): unknown family '" + name +
                              "' (use gaussian or binomial)");
}

}  // namespace moe
