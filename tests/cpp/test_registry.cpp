// The registries of estimators (methods.hpp) and families (family.hpp): every
// entry builds and fits, the parameter rules hold, and the errors list the
// registry.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <set>
#include <string>

#include "helpers.hpp"
#include "moe/family.hpp"
#include "moe/methods.hpp"

namespace {

using Need = moe::MethodParameter::Need;

using moe::testing::thrown_by;

// How an entry is spelled with a number when it needs one.
std::string spec_of(const moe::MethodEntry& entry) {
  return entry.parameter.need == Need::required ? entry.name + ":0.1" : entry.name;
}

TEST(MethodRegistry, EveryEntryBuildsAndFits) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 300, 3);
  moe::MethodSettings settings;
  settings.control.max_iter = 15;
  settings.control.starts = 1;
  std::set<std::string> names;
  for (const moe::MethodEntry& entry : moe::method_registry()) {
    SCOPED_TRACE(entry.name);
    EXPECT_TRUE(names.insert(entry.name).second) << "a name twice";
    EXPECT_FALSE(entry.help.empty());
    EXPECT_EQ(entry.parameter.need == Need::none, entry.parameter.name.empty());
    const moe::Method method = moe::make_method(spec_of(entry), settings);
    EXPECT_EQ(method.name, spec_of(entry));
    const moe::Fit fit = method.fit_from(data, truth);
    ASSERT_FALSE(fit.trace.rows.empty());
    EXPECT_TRUE(std::isfinite(fit.loglik));
    EXPECT_NE(moe::method_usages().find(moe::method_usage(entry)), std::string::npos);
    EXPECT_EQ(moe::method_description(entry).rfind(moe::method_usage(entry) + ": " + entry.help, 0), 0u);
  }
}

TEST(MethodRegistry, TheParameterRules) {
  const moe::MethodSettings settings;
  for (const moe::MethodEntry& entry : moe::method_registry()) {
    SCOPED_TRACE(entry.name);
    const auto make = [&](const std::string& spec) { return [&, spec] { moe::make_method(spec, settings); }; };
    switch (entry.parameter.need) {
      case Need::none:
        EXPECT_NE(thrown_by(make(entry.name + ":0.5")).find("'" + entry.name + "' takes no number"),
                  std::string::npos);
        EXPECT_FALSE(entry.parameter.default_value.has_value());
        break;
      case Need::required:
        EXPECT_NE(thrown_by(make(entry.name)).find("'" + entry.name + "' needs a number: " + entry.name + ":"),
                  std::string::npos);
        break;
      case Need::optional:
        EXPECT_EQ(thrown_by(make(entry.name)), "");
        break;
    }
    if (entry.parameter.need != Need::none)
      EXPECT_NE(thrown_by(make(entry.name + ":abc")).find("'abc' in '" + entry.name + ":abc' is not a number"),
                std::string::npos);
  }
  const std::string unknown = thrown_by([&] { moe::make_method("nope", settings); });
  EXPECT_NE(unknown.find("unknown method 'nope' (use " + moe::method_usages() + ")"), std::string::npos) << unknown;
}

TEST(MethodRegistry, AnOptionalNumberLeftOutIsItsDefault) {
  const moe::Model truth = moe::testing::gaussian_truth();
  const moe::Dataset data = moe::testing::draw(truth, 300, 4);
  moe::MethodSettings settings;
  settings.control.max_iter = 10;
  settings.control.tol = 0;
  int with_default = 0;
  for (const moe::MethodEntry& entry : moe::method_registry()) {
    if (!entry.parameter.default_value) continue;
    SCOPED_TRACE(entry.name);
    ++with_default;
    char spec[64];
    std::snprintf(spec, sizeof spec, "%s:%.17g", entry.name.c_str(), *entry.parameter.default_value);
    const moe::Fit alone = moe::make_method(entry.name, settings).fit_from(data, truth);
    const moe::Fit given = moe::make_method(spec, settings).fit_from(data, truth);
    ASSERT_EQ(alone.trace.rows.size(), given.trace.rows.size());
    for (std::size_t t = 0; t < alone.trace.rows.size(); ++t)
      EXPECT_EQ(alone.trace.rows[t].loglik, given.trace.rows[t].loglik);
  }
  EXPECT_GE(with_default, 2);  // mirror and adam
}

TEST(FamilyRegistry, NamesRoundTripAndTheErrorListsThem) {
  std::string names;
  for (const moe::FamilyEntry& entry : moe::family_registry()) {
    SCOPED_TRACE(entry.name);
    EXPECT_EQ(moe::parse_family(entry.name), entry.family);
    EXPECT_EQ(moe::to_string(entry.family), entry.name);
    EXPECT_EQ(&moe::family_entry(entry.family), &entry);
    EXPECT_FALSE(entry.link.empty() || entry.response.empty() || entry.help.empty());
    names += (names.empty() ? "" : ", ") + entry.name;
  }
  EXPECT_TRUE(moe::family_entry(moe::Family::gaussian).has_scale);
  EXPECT_FALSE(moe::family_entry(moe::Family::poisson).has_scale);
  EXPECT_EQ(thrown_by([] { moe::parse_family("weibull"); }),
            "moe::parse_family(): unknown family 'weibull' (use " + names + ")");
}

}  // namespace
