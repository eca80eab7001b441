#include "moe/nn/checkpoint.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

constexpr const char* kMagic = "moe-nn-checkpoint 1";

std::map<std::string, std::string> option_fields(const NetworkOptions& o) {
  return {{"inputs", std::to_string(o.inputs)},
          {"classes", std::to_string(o.classes)},
          {"width", std::to_string(o.width)},
          {"blocks", std::to_string(o.blocks)},
          {"block", o.block == BlockKind::moe ? "moe" : "dense"},
          {"experts", std::to_string(o.moe.experts)},
          {"expert_size", std::to_string(o.moe.expert_size)},
          {"activation", activation_name(o.moe.activation)},
          {"router", router_name(o.moe.router.kind)},
          {"k", std::to_string(o.moe.router.k)},
          {"expert_dropout", std::to_string(o.moe.router.expert_dropout)},
          {"balance", std::to_string(o.moe.router.balance)},
          {"entropy", std::to_string(o.moe.router.entropy)},
          {"members", std::to_string(o.members)},
          {"seed", std::to_string(o.seed)}};
}

NetworkOptions options_from_fields(const std::map<std::string, std::string>& f, const std::string& path) {
  const auto get = [&](const char* key) {
    const auto it = f.find(key);
    require(it != f.end(), "load_checkpoint", "'" + path + "' has no '" + key + "' field");
    return it->second;
  };
  NetworkOptions o;
  o.inputs = std::stoull(get("inputs"));
  o.classes = std::stoull(get("classes"));
  o.width = std::stoull(get("width"));
  o.blocks = std::stoull(get("blocks"));
  o.block = get("block") == "moe" ? BlockKind::moe : BlockKind::dense;
  o.moe.experts = std::stoull(get("experts"));
  o.moe.expert_size = std::stoull(get("expert_size"));
  o.moe.activation = activation_from_name(get("activation"));
  o.moe.router.kind = router_from_name(get("router"));
  o.moe.router.k = std::stoull(get("k"));
  o.moe.router.expert_dropout = std::stod(get("expert_dropout"));
  o.moe.router.balance = std::stod(get("balance"));
  o.moe.router.entropy = std::stod(get("entropy"));
  o.members = std::stoull(get("members"));
  o.seed = std::stoull(get("seed"));
  return o;
}

}  // namespace

void save_checkpoint(Network& network, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  require(out.good(), "save_checkpoint", "cannot write '" + path + "'");
  out << kMagic << '\n';
  for (const auto& [key, value] : option_fields(network.options())) out << key << ' ' << value << '\n';
  const auto params = network.parameters();
  out << "parameters " << params.size() << '\n';
  for (const Parameter& p : params) {
    out << p.name << ' ' << p.size << '\n';
    out.write(reinterpret_cast<const char*>(p.value), static_cast<std::streamsize>(p.size * sizeof(double)));
  }
  require(out.good(), "save_checkpoint", "writing '" + path + "' failed");
}

std::unique_ptr<Network> load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  require(in.good(), "load_checkpoint", "cannot read '" + path + "'");
  std::string line;
  require(std::getline(in, line) && line == kMagic, "load_checkpoint", "'" + path + "' is not a moe network checkpoint");
  std::map<std::string, std::string> fields;
  while (std::getline(in, line) && line.rfind("parameters ", 0) != 0) {
    std::istringstream words(line);
    std::string key, value;
    require(static_cast<bool>(words >> key >> value), "load_checkpoint", "'" + path + "' has a malformed header");
    fields[key] = value;
  }
  require(in.good(), "load_checkpoint", "'" + path + "' ends inside its header");
  auto network = std::make_unique<Network>(options_from_fields(fields, path));
  const auto params = network->parameters();
  require(line == "parameters " + std::to_string(params.size()), "load_checkpoint",
          "'" + path + "' does not hold the parameters its options describe");
  for (const Parameter& p : params) {
    require(std::getline(in, line) && line == p.name + ' ' + std::to_string(p.size), "load_checkpoint",
            "'" + path + "': expected parameter " + p.name + " of size " + std::to_string(p.size));
    in.read(reinterpret_cast<char*>(p.value), static_cast<std::streamsize>(p.size * sizeof(double)));
    require(in.gcount() == static_cast<std::streamsize>(p.size * sizeof(double)), "load_checkpoint",
            "'" + path + "' is truncated in " + p.name);
  }
  return network;
}

}  // namespace moe::nn
