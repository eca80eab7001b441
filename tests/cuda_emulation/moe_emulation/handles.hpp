#pragma once
// Host emulation of the CUDA API (a test double): the live handles of one kind
// (streams, events, cuBLAS and cuSOLVER contexts), so that a destroyed or
// unknown handle is refused instead of being used after it was freed.

#include <mutex>
#include <set>

namespace moe::emulation {

template <class Object>
class Handles {
 public:
  Object* create() {
    const std::lock_guard<std::mutex> lock(mutex_);
    Object* handle = new Object();
    live_.insert(handle);
    return handle;
  }
  /// False (and nothing freed) for a handle that is not live.
  bool destroy(Object* handle) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (live_.erase(handle) == 0) return false;
    delete handle;
    return true;
  }
  bool contains(Object* handle) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return live_.count(handle) == 1;
  }

 private:
  mutable std::mutex mutex_;
  std::set<Object*> live_;
};

/// The one registry of handles of this kind; never destroyed, since handles
/// may be destroyed by static objects at exit.
template <class Object>
Handles<Object>& live_handles() {
  static auto* const all = new Handles<Object>();
  return *all;
}

}  // namespace moe::emulation
