#include "moe/family.hpp"

#include <stdexcept>

namespace moe {

std::string to_string(Family family) {
  switch (family) {
    case Family::gaussian: return "gaussian";
    case Family::binomial: return "binomial";
    case Family::poisson: return "poisson";
  }
  return "unknown";
}

Family parse_family(const std::string& name) {
  if (name == "gaussian") return Family::gaussian;
  if (name == "binomial") return Family::binomial;
  if (name == "poisson") return Family::poisson;
  throw std::invalid_argument("moe::parse_family(): unknown family '" + name +
                              "' (use gaussian, binomial or poisson)");
}

}  // namespace moe
