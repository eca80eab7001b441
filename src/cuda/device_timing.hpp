#pragma once
// Internal to the CUDA backend (and the benchmarks that include it): timing
// work queued on the default stream with CUDA events.

#include <functional>
#include <vector>

namespace moe::cuda {

/// Seconds of each of `repeats` runs of `work` on the default stream, timed by
/// CUDA events after one untimed warm-up run.
std::vector<double> device_seconds(const std::function<void()>& work, int repeats);

}  // namespace moe::cuda
