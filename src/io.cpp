#include "moe/io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "json_columns.h"
#include "moe/error.hpp"

namespace moe {
namespace {

using nlohmann::json;

arma::mat columns_from_json(const json& j, arma::uword rows, arma::uword cols, const char* what) {
  require(j.is_array() && j.size() == cols, "read_model",
          std::string(what) + " must list " + std::to_string(cols) + " columns");
  arma::mat M(rows, cols);
  for (arma::uword k = 0; k < cols; ++k) {
    const auto values = j[k].get<std::vector<double>>();
    require(values.size() == rows, "read_model",
            std::string(what) + " column " + std::to_string(k + 1) + " must have " + std::to_string(rows) + " values");
    M.col(k) = arma::vec(values);
  }
  return M;
}

// The names of multinomial experts' levels: the specification's, or 0, 1, ...
std::vector<std::string> level_names(const Experts& experts, const Specification& spec) {
  if (!spec.levels.empty()) return spec.levels;
  std::vector<std::string> names;
  for (arma::uword c = 0; c < experts.levels; ++c) names.push_back(std::to_string(c));
  return names;
}

json to_json(const Model& model, const Specification& spec) {
  json j;
  j["format_version"] = model_format_version;
  j["family"] = to_string(model.experts.family);
  j["K"] = model.K();
  j["response"] = spec.response;
  j["x"] = spec.x;
  j["z"] = spec.z;
  j["intercept"] = spec.intercept;
  if (!spec.offset.empty()) j["offset"] = spec.offset;
  if (!spec.trials.empty()) j["trials"] = spec.trials;
  if (!spec.x_fixed.empty()) j["x_fixed"] = spec.x_fixed;
  if (!spec.group.empty()) j["group"] = spec.group;
  j["common_sigma"] = model.experts.common_sigma;
  if (model.experts.point_mass) j["point_mass"] = *model.experts.point_mass;
  j["experts"]["names"] = design_names(expert_covariates(spec), spec.intercept);
  j["experts"]["coef"] = columns_to_json(model.experts.coef);
  if (model.experts.family == Family::multinomial) j["experts"]["levels"] = level_names(model.experts, spec);
  if (model.experts.has_dispersion())  // "sigma", "theta" or "shape"
    j["experts"][family_entry(model.experts.family).dispersion] =
        arma::conv_to<std::vector<double>>::from(model.experts.dispersion());
  if (model.experts.family == Family::t) {
    j["experts"]["nu"] = arma::conv_to<std::vector<double>>::from(model.experts.shape);
    j["experts"]["nu_fixed"] = model.experts.shape_fixed;
  }
  j["gate"]["names"] = design_names(spec.z, spec.intercept);
  j["gate"]["coef"] = columns_to_json(model.gate.coef);
  j["gate"]["reference"] = model.K();
  return j;
}

// The JSON of `text`; `what` names the text in the error.
json parsed(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw std::invalid_argument("moe::read_model(): " + what + " is not valid JSON: " + e.what());
  }
}

SavedModel from_json(const json& j) {
  require(j.is_object(), "read_model", "a model file holds one JSON object");
  try {
    const int version = j.value("format_version", 1);
    require(version >= 1 && version <= model_format_version, "read_model",
            "format_version " + std::to_string(version) + " is newer than this moe reads (" +
                std::to_string(model_format_version) + "): update moe");
    SavedModel saved;
    saved.spec.response = j.value("response", std::string("y"));
    saved.spec.x = j.at("x").get<std::vector<std::string>>();
    saved.spec.z = j.at("z").get<std::vector<std::string>>();
    saved.spec.intercept = j.at("intercept").get<bool>();
    saved.spec.offset = j.value("offset", std::string());
    saved.spec.trials = j.value("trials", std::string());
    saved.spec.x_fixed = j.value("x_fixed", std::vector<std::string>());
    saved.spec.group = j.value("group", std::string());
    if (j.contains("point_mass")) saved.spec.point_mass = j.at("point_mass").get<double>();
    const arma::uword K = j.at("K").get<arma::uword>();
    const arma::uword p = expert_covariates(saved.spec).size() + saved.spec.intercept;
    const arma::uword q = saved.spec.z.size() + saved.spec.intercept;
    require(K >= 1 && p >= 1 && q >= 1, "read_model", "K and both designs must be non-empty");
    Model& m = saved.model;
    m.experts.family = parse_family(j.at("family").get<std::string>());
    m.experts.common_sigma = j.value("common_sigma", false);
    m.experts.shared = fixed_columns(saved.spec);
    m.experts.point_mass = saved.spec.point_mass;
    if (m.experts.family == Family::multinomial) {
      saved.spec.levels = j.at("experts").at("levels").get<std::vector<std::string>>();
      m.experts.levels = saved.spec.levels.size();
      require(m.experts.levels >= 2, "read_model", "experts.levels must name at least two levels");
    }
    const arma::uword coefficients = p * (m.experts.levels > 1 ? m.experts.levels - 1 : 1);
    m.experts.coef = columns_from_json(j.at("experts").at("coef"), coefficients, K, "experts.coef");
    m.gate.coef = columns_from_json(j.at("gate").at("coef"), q, K, "gate.coef");
    if (m.experts.has_dispersion())
      m.experts.dispersion() =
          arma::vec(j.at("experts").at(family_entry(m.experts.family).dispersion).get<std::vector<double>>());
    if (m.experts.family == Family::t) {
      m.experts.shape = arma::vec(j.at("experts").at("nu").get<std::vector<double>>());
      m.experts.shape_fixed = j.at("experts").value("nu_fixed", false);
    }
    validate_model(m, "read_model");
    return saved;
  } catch (const json::exception& e) {  // a field of the wrong type, or missing
    throw std::invalid_argument(std::string("moe::read_model(): ") + e.what());
  }
}

// Dataset::group from a column of ids: 0, 1, ... in the order the ids first
// appear, each named by its id.
void number_groups(Dataset& data, const arma::vec& ids) {
  std::map<double, arma::uword> number_of;
  data.group.set_size(ids.n_elem);
  for (arma::uword i = 0; i < ids.n_elem; ++i) {
    const auto [at, first] = number_of.emplace(ids(i), number_of.size());
    if (first) {
      char name[32];
      std::snprintf(name, sizeof name, "%.15g", ids(i));
      data.group_names.emplace_back(name);
    }
    data.group(i) = at->second;
  }
}

// Whether two cells name the same level: as numbers when both are, else as text.
bool same_level(const std::string& a, const std::string& b) {
  const double x = parse_number(a), y = parse_number(b);
  return std::isnan(x) || std::isnan(y) ? a == b : x == y;
}

// The number of every cell of a column among `levels` (levels_of).
arma::vec level_numbers(const Table& table, const std::string& column, const std::vector<std::string>& levels) {
  const std::vector<std::string> cells = table.text(column);
  arma::vec y(cells.size());
  for (arma::uword i = 0; i < cells.size(); ++i) {
    const auto at = std::find_if(levels.begin(), levels.end(), [&](const std::string& l) { return same_level(l, cells[i]); });
    require(at != levels.end(), "data",
            "row " + std::to_string(i + 1) + " of '" + column + "' is '" + cells[i] + "', not one of the model's " +
                std::to_string(levels.size()) + " levels");
    y(i) = static_cast<double>(at - levels.begin());
  }
  return y;
}

}  // namespace

std::vector<std::string> levels_of(const Table& table, const std::string& column) {
  std::vector<std::string> cells = table.text(column);
  const bool numeric = std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return !std::isnan(parse_number(c)); });
  std::sort(cells.begin(), cells.end(), [&](const std::string& a, const std::string& b) {
    return numeric ? parse_number(a) < parse_number(b) : a < b;
  });
  cells.erase(std::unique(cells.begin(), cells.end(), same_level), cells.end());
  require(std::none_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); }), "data",
          "'" + column + "' has empty cells: a level must be named");
  return cells;
}

std::vector<std::string> expert_covariates(const Specification& spec) {
  std::vector<std::string> names = spec.x;
  names.insert(names.end(), spec.x_fixed.begin(), spec.x_fixed.end());
  return names;
}

arma::uvec fixed_columns(const Specification& spec) {
  const arma::uword first = spec.x.size() + spec.intercept;
  arma::uvec columns(spec.x_fixed.size());
  for (arma::uword j = 0; j < columns.n_elem; ++j) columns(j) = first + j;
  return columns;
}

Dataset dataset_from(const Table& table, const Specification& spec, bool with_response) {
  for (const std::string& name : spec.x_fixed)
    require(std::find(spec.x.begin(), spec.x.end(), name) == spec.x.end(), "data",
            "'" + name + "' is both an expert covariate of its own (x) and a fixed one (x_fixed): name it once");
  Dataset data;
  data.X = make_design(table.columns(expert_covariates(spec)), spec.intercept);
  data.shared_columns = fixed_columns(spec);
  data.Z = make_design(table.columns(spec.z), spec.intercept);
  data.x_names = design_names(expert_covariates(spec), spec.intercept);
  data.z_names = design_names(spec.z, spec.intercept);
  if (!with_response)
    data.y.zeros(table.n_rows());
  else if (spec.levels.empty())
    data.y = table.column(spec.response);
  else
    data.y = level_numbers(table, spec.response, spec.levels);
  data.level_names = spec.levels;
  if (!spec.offset.empty()) data.offset = table.column(spec.offset);
  if (!spec.trials.empty()) data.trials = table.column(spec.trials);
  if (!spec.group.empty()) number_groups(data, table.column(spec.group));
  data.point_mass = spec.point_mass;
  return data;
}

std::string model_json(const Model& model, const Specification& spec) { return to_json(model, spec).dump(2); }

SavedModel parse_model(const std::string& text) { return from_json(parsed(text, "the text")); }

void write_model_file(const std::string& path, const Model& model, const Specification& spec) {
  std::ofstream out(path);
  if (out) out << model_json(model, spec) << '\n';
  if (!out) throw std::runtime_error("moe::write_model_file(): cannot write '" + path + "'");
}

SavedModel read_model_file(const std::string& path) {
  require(!std::filesystem::is_directory(path), "read_model", "'" + path + "' is a directory");
  std::ifstream in(path);
  require(in.good(), "read_model", "cannot open '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  const json j = parsed(text.str(), "'" + path + "'");
  try {
    return from_json(j);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("'" + path + "': " + e.what());
  }
}

}  // namespace moe
