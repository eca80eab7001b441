#include "moe/nn/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <sstream>

#include "../finite_number.h"
#include "moe/error.hpp"

namespace moe::nn {
namespace {

constexpr const char* kMagic = "moe-nn-checkpoint 1";

// The fields of the blocks' feed-forward layers, which both models share.
std::map<std::string, std::string> block_fields(BlockKind block, const SparseMoEOptions& moe) {
  return {{"block", block == BlockKind::moe ? "moe" : "dense"},
          {"experts", std::to_string(moe.experts)},
          {"expert_size", std::to_string(moe.expert_size)},
          {"activation", activation_name(moe.activation)},
          {"router", router_name(moe.router.kind)},
          {"k", std::to_string(moe.router.k)},
          {"expert_dropout", std::to_string(moe.router.expert_dropout)},
          {"balance", std::to_string(moe.router.balance)},
          {"entropy", std::to_string(moe.router.entropy)}};
}

// `fields` with `more` added.
std::map<std::string, std::string> merged(std::map<std::string, std::string> fields,
                                          const std::map<std::string, std::string>& more) {
  fields.insert(more.begin(), more.end());
  return fields;
}

std::map<std::string, std::string> option_fields(const NetworkOptions& o) {
  return merged(block_fields(o.block, o.moe), {{"inputs", std::to_string(o.inputs)},
                                               {"classes", std::to_string(o.classes)},
                                               {"width", std::to_string(o.width)},
                                               {"blocks", std::to_string(o.blocks)},
                                               {"members", std::to_string(o.members)},
                                               {"seed", std::to_string(o.seed)}});
}

const std::string& field(const std::map<std::string, std::string>& fields, const std::string& key,
                         const std::string& path) {
  const auto it = fields.find(key);
  require(it != fields.end(), "load_checkpoint", "'" + path + "' has no '" + key + "' field");
  return it->second;
}

// A header field that must be a whole number (digits only: "-8" is not).
arma::uword count_field(const std::map<std::string, std::string>& fields, const char* key, const std::string& path) {
  const std::string& text = field(fields, key, path);
  const bool digits = !text.empty() && text.size() <= 19 && text.find_first_not_of("0123456789") == std::string::npos;
  require(digits, "load_checkpoint", "'" + path + "': its '" + key + "' field, '" + text + "', is not a whole number");
  return std::stoull(text);
}

// A header field that must be a finite number.
double number_field(const std::map<std::string, std::string>& fields, const char* key, const std::string& path) {
  const std::string& text = field(fields, key, path);
  const std::optional<double> value = finite_number(text);
  require(value.has_value(), "load_checkpoint",
          "'" + path + "': its '" + key + "' field, '" + text + "', is not a finite number");
  return *value;
}

// The blocks' kind and feed-forward options of block_fields().
void block_from_fields(const std::map<std::string, std::string>& f, const std::string& path, BlockKind& block,
                       SparseMoEOptions& moe) {
  const auto count = [&](const char* key) { return count_field(f, key, path); };
  const auto number = [&](const char* key) { return number_field(f, key, path); };
  block = field(f, "block", path) == "moe" ? BlockKind::moe : BlockKind::dense;
  moe.experts = count("experts");
  moe.expert_size = count("expert_size");
  moe.activation = activation_from_name(field(f, "activation", path));
  moe.router.kind = router_from_name(field(f, "router", path));
  moe.router.k = count("k");
  moe.router.expert_dropout = number("expert_dropout");
  moe.router.balance = number("balance");
  moe.router.entropy = number("entropy");
}

NetworkOptions options_from_fields(const std::map<std::string, std::string>& f, const std::string& path) {
  const auto count = [&](const char* key) { return count_field(f, key, path); };
  NetworkOptions o;
  o.inputs = count("inputs");
  o.classes = count("classes");
  o.width = count("width");
  o.blocks = count("blocks");
  block_from_fields(f, path, o.block, o.moe);
  o.members = count("members");
  o.seed = count("seed");
  return o;
}

// Whether the product of `dims` is at most `values` (without overflow).
bool product_fits(std::initializer_list<arma::uword> dims, std::uintmax_t values) {
  long double product = 1.0L;
  for (const arma::uword d : dims) product *= static_cast<long double>(d);
  return product <= static_cast<long double>(values);
}

// Whether a file of `values` parameters can hold the weight matrices that the
// options describe (a necessary condition, checked before anything is
// allocated: a hand-edited width of 10⁸ would otherwise allocate for minutes).
bool file_can_hold(const NetworkOptions& o, std::uintmax_t values) {
  const auto fits = [values](std::initializer_list<arma::uword> dims) { return product_fits(dims, values); };
  const bool experts_fit = o.block != BlockKind::moe || fits({o.moe.experts, o.moe.expert_size, o.width});
  return fits({o.inputs, o.width}) && fits({o.width, o.classes}) && fits({o.blocks, o.width}) &&
         fits({o.members}) && experts_fit;
}

std::map<std::string, std::string> language_option_fields(const LanguageModelOptions& o) {
  return merged(block_fields(o.block, o.moe), {{"model", "transformer"},
                                               {"vocabulary", std::to_string(o.vocabulary)},
                                               {"context", std::to_string(o.context)},
                                               {"width", std::to_string(o.width)},
                                               {"heads", std::to_string(o.heads)},
                                               {"blocks", std::to_string(o.blocks)},
                                               {"positions", positions_name(o.positions)},
                                               {"tie_weights", o.tie_weights ? "1" : "0"},
                                               {"dropout", std::to_string(o.dropout)},
                                               {"seed", std::to_string(o.seed)}});
}

LanguageModelOptions language_options_from_fields(const std::map<std::string, std::string>& f, const std::string& path) {
  const auto count = [&](const char* key) { return count_field(f, key, path); };
  const auto number = [&](const char* key) { return number_field(f, key, path); };
  LanguageModelOptions o;
  o.vocabulary = count("vocabulary");
  o.context = count("context");
  o.width = count("width");
  o.heads = count("heads");
  o.blocks = count("blocks");
  block_from_fields(f, path, o.block, o.moe);
  const auto positions = f.find("positions");  // absent: saved before ALiBi, learned positions
  o.positions = positions == f.end() ? Positions::learned : positions_from_name(positions->second);
  o.tie_weights = count("tie_weights") != 0;
  o.dropout = number("dropout");
  o.seed = count("seed");
  return o;
}

// As file_can_hold, for a language model.
bool language_file_can_hold(const LanguageModelOptions& o, std::uintmax_t values) {
  const auto fits = [values](std::initializer_list<arma::uword> dims) { return product_fits(dims, values); };
  const bool experts_fit = o.block != BlockKind::moe || fits({o.moe.experts, o.moe.expert_size, o.width});
  return fits({o.vocabulary, o.width}) && fits({o.context, o.width}) && fits({o.blocks, o.width, o.width}) && experts_fit;
}

template <class eT>
const char* precision_name() {
  return sizeof(eT) == sizeof(double) ? "fp64" : "fp32";
}

// The "key value" header lines up to and including "parameters N" (stored
// under "parameters"); `in` is left at the first parameter.
std::map<std::string, std::string> read_header(std::ifstream& in, const std::string& path) {
  require(in.good(), "load_checkpoint", "cannot read '" + path + "'");
  std::string line;
  require(std::getline(in, line) && line == kMagic, "load_checkpoint", "'" + path + "' is not a moe network checkpoint");
  std::map<std::string, std::string> fields;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value;
    require(static_cast<bool>(words >> key >> value), "load_checkpoint", "'" + path + "' has a malformed header");
    fields[key] = value;
    if (key == "parameters") return fields;
  }
  require(false, "load_checkpoint", "'" + path + "' ends inside its header");
  return fields;
}

// The parameters that make the model (not training-only heads).
template <class eT>
std::vector<Parameter<eT>> saved_parameters(const std::vector<Parameter<eT>>& params) {
  std::vector<Parameter<eT>> saved;
  std::copy_if(params.begin(), params.end(), std::back_inserter(saved), [](const Parameter<eT>& p) { return p.saved; });
  return saved;
}

// Writes the header (the model's option fields, the notes, the precision) and
// then every saved parameter to `path`.
template <class eT>
void write_checkpoint(const std::string& path, const std::map<std::string, std::string>& options,
                      const std::map<std::string, std::string>& notes, const std::vector<Parameter<eT>>& params) {
  std::ofstream out(path, std::ios::binary);
  require(out.good(), "save_checkpoint", "cannot write '" + path + "'");
  out << kMagic << '\n';
  for (const auto& [key, value] : options) out << key << ' ' << value << '\n';
  for (const auto& [key, value] : notes) {
    const bool plain = !key.empty() && !value.empty() && key.find_first_of(" \t\n") == std::string::npos &&
                       value.find_first_of(" \t\n") == std::string::npos && key != "parameters";
    require(plain, "save_checkpoint", "a note's key and value must be words without blanks");
    out << key << ' ' << value << '\n';
  }
  out << "precision " << precision_name<eT>() << '\n';
  const std::vector<Parameter<eT>> saved = saved_parameters(params);
  out << "parameters " << saved.size() << '\n';
  for (const Parameter<eT>& p : saved) {
    out << p.name << ' ' << p.size << '\n';
    out.write(reinterpret_cast<const char*>(p.value), static_cast<std::streamsize>(p.size * sizeof(eT)));
  }
  require(out.good(), "save_checkpoint", "writing '" + path + "' failed");
}

// Reads the values of `params` (of the model that the header at `fields`
// describes) from `in`, which stands at the first parameter.
template <class eT>
void read_parameters(std::ifstream& in, const std::map<std::string, std::string>& fields,
                     const std::vector<Parameter<eT>>& model_params, const std::string& path) {
  const std::vector<Parameter<eT>> params = saved_parameters(model_params);
  require(field(fields, "parameters", path) == std::to_string(params.size()), "load_checkpoint",
          "'" + path + "' does not hold the parameters its options describe");
  std::string line;
  for (const Parameter<eT>& p : params) {
    require(std::getline(in, line) && line == p.name + ' ' + std::to_string(p.size), "load_checkpoint",
            "'" + path + "': expected parameter " + p.name + " of size " + std::to_string(p.size));
    in.read(reinterpret_cast<char*>(p.value), static_cast<std::streamsize>(p.size * sizeof(eT)));
    require(in.gcount() == static_cast<std::streamsize>(p.size * sizeof(eT)), "load_checkpoint",
            "'" + path + "' is truncated in " + p.name);
    require(std::all_of(p.value, p.value + p.size, [](eT v) { return std::isfinite(v); }), "load_checkpoint",
            "'" + path + "': parameter " + p.name + " has non-finite values");
  }
}

// The header of the checkpoint at `path`, of precision eT and of `model`
// ("mlp" or "transformer"); `in` is left at the first parameter.
template <class eT>
std::map<std::string, std::string> checked_header(std::ifstream& in, const std::string& path, const std::string& model) {
  const auto fields = read_header(in, path);
  const std::string& precision = field(fields, "precision", path);
  require(precision == precision_name<eT>(), "load_checkpoint",
          "'" + path + "' holds " + precision + " parameters, not " + precision_name<eT>());
  const auto kind = fields.find("model");
  const std::string saved = kind == fields.end() ? "mlp" : kind->second;
  require(saved == model, "load_checkpoint", "'" + path + "' holds a " + saved + " model, not a " + model + " one");
  return fields;
}

}  // namespace

template <class eT>
void save_checkpoint(Network<eT>& network, const std::string& path, const std::map<std::string, std::string>& notes) {
  write_checkpoint(path, option_fields(network.options()), notes, network.parameters());
}

template <class eT>
void save_checkpoint(LanguageModel<eT>& model, const std::string& path, const std::map<std::string, std::string>& notes) {
  write_checkpoint(path, language_option_fields(model.options()), notes, model.parameters());
}

std::string checkpoint_precision(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return field(read_header(in, path), "precision", path);
}

std::string checkpoint_note(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  const auto fields = read_header(in, path);
  const auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

template <class eT>
std::unique_ptr<Network<eT>> load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const auto fields = checked_header<eT>(in, path, "mlp");
  const NetworkOptions options = options_from_fields(fields, path);
  require(file_can_hold(options, std::filesystem::file_size(path) / sizeof(eT)), "load_checkpoint",
          "'" + path + "' is too small for the network its header describes");
  auto network = std::make_unique<Network<eT>>(options);
  read_parameters(in, fields, network->parameters(), path);
  return network;
}

template <class eT>
std::unique_ptr<LanguageModel<eT>> load_language_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const auto fields = checked_header<eT>(in, path, "transformer");
  const LanguageModelOptions options = language_options_from_fields(fields, path);
  require(language_file_can_hold(options, std::filesystem::file_size(path) / sizeof(eT)), "load_checkpoint",
          "'" + path + "' is too small for the model its header describes");
  auto model = std::make_unique<LanguageModel<eT>>(options);
  read_parameters(in, fields, model->parameters(), path);
  return model;
}

std::string checkpoint_model(const std::string& path) {
  const std::string model = checkpoint_note(path, "model");
  return model.empty() ? "mlp" : model;
}

template void save_checkpoint(Network<double>&, const std::string&, const std::map<std::string, std::string>&);
template void save_checkpoint(Network<float>&, const std::string&, const std::map<std::string, std::string>&);
template std::unique_ptr<Network<double>> load_checkpoint(const std::string&);
template std::unique_ptr<Network<float>> load_checkpoint(const std::string&);
template void save_checkpoint(LanguageModel<double>&, const std::string&, const std::map<std::string, std::string>&);
template void save_checkpoint(LanguageModel<float>&, const std::string&, const std::map<std::string, std::string>&);
template std::unique_ptr<LanguageModel<double>> load_language_model(const std::string&);
template std::unique_ptr<LanguageModel<float>> load_language_model(const std::string&);

}  // namespace moe::nn
