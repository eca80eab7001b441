#pragma once
// Internal to the library: the seam between the core and the CUDA backend. The
// backend (src/cuda) is built as a plugin, libmoe_cuda.so, that the core opens
// with dlopen on the first kernels_for("cuda") (cuda_plugin.cpp), so that no
// program that links moe loads a CUDA library until it asks for the GPU. The
// plugin exports two C functions (src/cuda/plugin.cpp): one returns an Entry,
// the other the layer kernels of moe_nn.
// See docs/ARCHITECTURE.md, "Backends".

#include <cstddef>
#include <string>

#include "moe/backend.hpp"
#include "moe/kernels.hpp"

namespace moe::cuda_plugin {

/// The plugin's file name, looked for by cuda_plugin.cpp.
inline constexpr const char* file_name = "libmoe_cuda.so";

/// The name of the plugin's exported function `const Entry* f()`.
inline constexpr const char* entry_symbol = "moe_cuda_plugin_entry";

/// The name of the plugin's exported function `const nn::LayerKernels* f()`:
/// the layer kernels (nn/layer_kernels.hpp), which moe_nn asks for through
/// symbol(), so that the core never names a type of moe_nn.
inline constexpr const char* layer_kernels_symbol = "moe_cuda_plugin_layer_kernels";

/// What the plugin hands the core: the tag of its build and the backend's entry
/// points (see kernels_cuda.hpp and device_rates.hpp).
struct Entry {
  const char* abi;  ///< abi_tag() of the plugin's build
  std::string (*device_problem)() noexcept;
  const Kernels& (*kernels)();
  DeviceRates (*measure_rates)(std::size_t copy_bytes, std::size_t gemm_order, int repeats);
};

/// The tag that the core and the plugin both compile in: moe's version and the
/// sizes of the types that cross the seam. A plugin with another tag is refused.
inline std::string abi_tag() {
  return std::string("moe ") + MOE_CUDA_PLUGIN_ABI + ", uword " + std::to_string(sizeof(arma::uword)) +
         " bytes, mat " + std::to_string(sizeof(arma::mat)) + " bytes";
}

/// The loaded plugin's entry, opened once (thread-safe) and kept open.
/// @throws std::runtime_error ("the CUDA plugin cannot be loaded: ...") with one
///   line that says what is missing: the
///   plugin file (and where it was looked for), a CUDA library it needs (the
///   dynamic loader's words), or a plugin of another build.
const Entry& entry();

/// Another exported function of the loaded plugin, by name; throws as entry().
void* symbol(const char* name);

}  // namespace moe::cuda_plugin
