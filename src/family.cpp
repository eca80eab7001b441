#include "moe/family.hpp"

#include <stdexcept>

#include "moe/gamma.hpp"
#include "moe/negbin.hpp"
#include "moe/student_t.hpp"

namespace moe {

const std::vector<FamilyEntry>& family_registry() {
  static const std::vector<FamilyEntry> registry{
      {Family::gaussian, "gaussian", "identity", "any number", true, "sigma", true, nullptr, true,
       "linear regressions with normal noise"},
      {Family::binomial, "binomial", "logit", "0 or 1", false, "", false, nullptr, true,
       "logistic regressions of a 0/1 response"},
      {Family::poisson, "poisson", "log", "a count (0, 1, 2, ...)", false, "", false, nullptr, true,
       "log-linear regressions of counts"},
      {Family::negbin, "negbin", "log", "a count (0, 1, 2, ...)", false, "theta", false, &kNegbinFamily, false,
       "negative binomial (NB2) regressions of overdispersed counts, a size theta per expert"},
      {Family::gamma, "gamma", "log", "a positive number", false, "shape", true, &kGammaFamily, false,
       "gamma regressions of positive responses (log link), a shape per expert"},
      {Family::t, "t", "identity", "any number", true, "sigma", true, nullptr, false,
       "linear regressions with Student-t noise (heavy tails: outliers weigh less), a scale sigma and degrees of "
       "freedom nu per expert"},
      {Family::multinomial, "multinomial", "logit", "a category of C >= 2 levels; the first level is the reference",
       false, "", false, nullptr, false,
       "multinomial logit regressions of a categorical response (levels sorted as R's factor() sorts them; C++: 0, 1, "
       "..., C - 1)"},
  };
  return registry;
}

const FamilyEntry& family_entry(Family family) {
  for (const FamilyEntry& entry : family_registry())
    if (entry.family == family) return entry;
  throw std::logic_error("moe::family_entry(): a family without a registry entry");
}

std::string to_string(Family family) { return family_entry(family).name; }

bool has_scale(Family family) { return family_entry(family).has_scale; }

Family parse_family(const std::string& name) {
  std::string names;
  for (const FamilyEntry& entry : family_registry()) {
    if (entry.name == name) return entry.family;
    names += (names.empty() ? "" : ", ") + entry.name;
  }
  throw std::invalid_argument("moe::parse_family(): unknown family '" + name + "' (use " + names + ")");
}

const ShapeFamily* shape_family(Family family) { return family_entry(family).shape; }

ShapeParameter shape_parameter(Family family) {
  if (const ShapeFamily* shaped = shape_family(family))
    return {family_entry(family).dispersion, shaped->min_shape, shaped->max_shape};
  if (family == Family::t) return {"nu", kMinNu, kMaxNu};
  return {};
}

bool has_shape(Family family) { return !shape_parameter(family).name.empty(); }

}  // namespace moe
