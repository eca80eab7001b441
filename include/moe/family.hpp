#pragma once
/// @file family.hpp
/// The expert families and their registry: Gaussian (linear regression),
/// binomial (logistic regression), Poisson (log-linear regression of counts)
/// negative binomial (NB2: counts with overdispersion), gamma (positive
/// responses, log link), Student's t (linear regressions with heavy-tailed
/// noise, student_t.hpp) and multinomial (categorical responses, one logit
/// per level, multinomial.hpp). family_registry() lists each with its link, what its
/// response must be and a help line; `moe fit --help`, the CLI's checks and R's
/// moe_family() derive from it. The functions of the binomial and Poisson
/// families are in canonical.hpp, those of the families with a shape
/// (negative binomial, gamma) in shape_family.hpp, negbin.hpp and gamma.hpp.
/// See docs/ARCHITECTURE.md, "Adding a family".

#include <string>
#include <vector>

namespace moe {

enum class Family { gaussian, binomial, poisson, negbin, gamma, t, multinomial };

struct ShapeFamily;  // shape_family.hpp

/// One family of the registry.
struct FamilyEntry {
  Family family;
  std::string name;      ///< "gaussian", as the doors spell it
  std::string link;      ///< the link of its mean, as R's family objects name it
  std::string response;  ///< what y must be, for help and errors
  bool has_scale;        ///< a noise level σ per expert (or one shared: common_sigma)
  std::string dispersion;  ///< its per-expert positive parameter ("sigma", "theta", "shape"), or empty
  bool continuous;       ///< y continuous (its PIT is F(y)), else counts
  const ShapeFamily* shape;  ///< the functions of its shape parameter (shape_family.hpp), or nullptr
  bool on_device;        ///< the CUDA backend has its kernels (the others run on the cpu device only)
  std::string help;      ///< one line
};

/// Every family, in the order that help lists them.
const std::vector<FamilyEntry>& family_registry();

/// The registry's entry of `family`.
const FamilyEntry& family_entry(Family family);

/// The family's name: "gaussian", "binomial", "poisson", "negbin", "gamma", "t" or "multinomial".
std::string to_string(Family family);

/// Whether experts of `family` are linear regressions with a noise level σ
/// (Gaussian, t): FamilyEntry::has_scale.
bool has_scale(Family family);

/// The positive shape that experts of a family hold per expert in
/// Experts::shape: the negative binomial's size θ ("theta"), the gamma's
/// shape ("shape"), the t's degrees of freedom ν ("nu"); and the range that
/// the M-step keeps it in. `name` is empty for the families without one.
struct ShapeParameter {
  std::string name;
  double min = 0.0, max = 0.0;
};
ShapeParameter shape_parameter(Family family);

/// Whether experts of `family` have a shape: shape_parameter(family).name is not empty.
bool has_shape(Family family);

/// Parses a family's name; throws std::invalid_argument
/// ("moe::parse_family(): ...", listing the registry's names) otherwise.
Family parse_family(const std::string& name);

}  // namespace moe
