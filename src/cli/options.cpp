#include <cmath>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "../finite_number.h"
#include "commands.hpp"
#include "moe/csv.hpp"
#include "moe/error.hpp"
#include "moe/family.hpp"
#include "moe/methods.hpp"

namespace moe::cli {

void require_writable(const std::string& path, const char* who) {
  const bool existed = std::filesystem::exists(path);
  {
    std::ofstream probe(path, std::ios::app);  // appends nothing: the contents stay
    require(probe.good(), who, "cannot write '" + path + "'");
  }
  if (!existed) std::filesystem::remove(path);
}

std::ofstream open_output(const std::string& path, const char* who) {
  std::ofstream out(path);
  require(out.good(), who, "cannot write '" + path + "'");
  return out;
}

void write_table(const std::string& path, const std::vector<std::string>& names, const arma::mat& values,
                 const char* who) {
  if (path.empty()) {
    write_csv(std::cout, names, values);
    return;
  }
  std::ofstream out = open_output(path, who);
  write_csv(out, names, values);
}

std::vector<std::string> numbered(const std::string& prefix, std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t j = 1; j <= count; ++j) names.push_back(prefix + std::to_string(j));
  return names;
}

CLI::Validator count_between(long long low, long long high) {
  const std::string range = std::to_string(low) + " to " + std::to_string(high);
  return CLI::Validator(
      [low, high, range](std::string& text) -> std::string {
        std::size_t used = 0;
        long long value = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || used == 0) return "'" + text + "' is not a whole number";
        if (value < low || value > high) return text + " is out of range (" + range + ")";
        return "";
      },
      "INT in " + range);
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        bool fits = digits;
        try {
          if (digits) std::stoull(text);
        } catch (const std::out_of_range&) {
          fits = false;
        }
        return fits ? "" : "'" + text + "' is not a whole number from 0 to 18446744073709551615";
      },
      "SEED");
}

CLI::Validator open_probability() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::optional<double> number = finite_number(text);
        return number && *number > 0.0 && *number < 1.0 ? "" : "'" + text + "' is not a probability in (0, 1)";
      },
      "P in (0, 1)");
}

CLI::Validator positive_number(bool allow_zero) {
  return CLI::Validator(
      [allow_zero](std::string& text) -> std::string {
        const std::optional<double> number = finite_number(text);
        if (!number) return "'" + text + "' is not a finite number";
        const double value = *number;
        if (value < 0.0 || (!allow_zero && value == 0.0))
          return text + (allow_zero ? " is negative" : " is not positive");
        return "";
      },
      allow_zero ? "NUMBER >= 0" : "NUMBER > 0");
}

std::string methods_help() {
  std::string out;
  for (const MethodEntry& entry : method_registry()) out += (out.empty() ? "" : "; ") + method_description(entry);
  return out;
}

CLI::Validator family_name() {
  std::vector<std::string> names;
  for (const FamilyEntry& entry : family_registry()) names.push_back(entry.name);
  return CLI::IsMember(names);
}

std::string families_help() {
  std::string out;
  for (const FamilyEntry& entry : family_registry())
    out += (out.empty() ? "" : "; ") + entry.name + ": " + entry.help + " (y " + entry.response + ")";
  return out;
}

}  // namespace moe::cli
