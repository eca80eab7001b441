// Finding and opening the CUDA backend's plugin (cuda_plugin.h). CMake adds
// this file where it builds the plugin, and defines MOE_CUDA_PLUGIN_ABI and
// MOE_CUDA_PLUGIN_DIRS (a ':'-separated list: moe's installed library folder,
// then the build folder). The R package, which compiles every src/*.cpp and
// has no CUDA backend, compiles it to nothing.
#ifdef MOE_CUDA_PLUGIN_ABI

#include "cuda_plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace moe::cuda_plugin {
namespace {

std::string folder_of_executable() {
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return "";
  const std::string file(path, static_cast<std::size_t>(length));
  return file.substr(0, file.find_last_of('/'));
}

// Where the plugin is looked for when MOE_CUDA_PLUGIN does not name it: beside
// the running program, in the installed library folder, in the build folder.
std::vector<std::string> candidates() {
  std::vector<std::string> folders{folder_of_executable()};
  std::istringstream configured(MOE_CUDA_PLUGIN_DIRS);
  for (std::string folder; std::getline(configured, folder, ':');) folders.push_back(folder);
  std::vector<std::string> files;
  for (const std::string& folder : folders)
    if (!folder.empty()) files.push_back(folder + "/" + file_name);
  return files;
}

bool exists(const std::string& file) { return std::ifstream(file).good(); }

[[noreturn]] void fail(const std::string& why) {
  throw std::runtime_error("the CUDA plugin cannot be loaded: " + why);
}

struct Opened {
  void* handle;
  const Entry* entry;
};

Opened open(const std::string& file) {
  // RTLD_LOCAL: the plugin's copies of moe's symbols never stand in for the program's
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) fail(dlerror());
  using EntryFunction = const Entry* (*)();
  const auto get = reinterpret_cast<EntryFunction>(dlsym(handle, entry_symbol));
  if (get == nullptr) fail(file + " is not moe's CUDA plugin (it has no " + entry_symbol + ")");
  const Entry* found = get();
  if (abi_tag() != found->abi)
    fail(file + " was built for " + found->abi + ", this program for " + abi_tag() + " (rebuild them together)");
  return {handle, found};  // the handle stays open for the life of the program
}

Opened load() {
  if (const char* path = std::getenv("MOE_CUDA_PLUGIN"); path != nullptr && *path != '\0') {
    if (!exists(path)) fail(std::string(path) + " does not exist (it is MOE_CUDA_PLUGIN)");
    return open(path);
  }
  const std::vector<std::string> files = candidates();
  for (const std::string& file : files)
    if (exists(file)) return open(file);
  std::string looked;
  for (const std::string& file : files) looked += (looked.empty() ? "" : ", ") + file;
  fail(std::string(file_name) + " was not found (looked for " + looked + "; set MOE_CUDA_PLUGIN to its path)");
}

// The plugin, opened once; or why it cannot be.
struct Loaded {
  Opened opened{nullptr, nullptr};
  std::string problem;
};

const Loaded& loaded() {
  static const Loaded once = [] {
    try {
      return Loaded{load(), ""};
    } catch (const std::runtime_error& e) {
      return Loaded{{nullptr, nullptr}, e.what()};
    }
  }();
  if (once.opened.entry == nullptr) throw std::runtime_error(once.problem);
  return once;
}

}  // namespace

const Entry& entry() { return *loaded().opened.entry; }

void* symbol(const char* name) {
  void* found = dlsym(loaded().opened.handle, name);
  if (found == nullptr) fail(std::string("the plugin has no ") + name + " (rebuild it with this program)");
  return found;
}

}  // namespace moe::cuda_plugin

#endif  // MOE_CUDA_PLUGIN_ABI
