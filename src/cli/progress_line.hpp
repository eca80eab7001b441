#pragma once
// A progress line on standard error for long work: at most one a second, the
// first after a second; on a terminal each overwrites the last in place.
#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace moe::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() {
    if (printed_ && tty_) std::fputc('\n', stderr);
  }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  /// True when a line is due now (then the next is due a second later).
  bool due() {
    const auto now = std::chrono::steady_clock::now();
    if (!enabled_ || now - last_ < std::chrono::seconds(1)) return false;
    last_ = now;
    return true;
  }
  /// Prints one line of progress.
  void print(const std::string& text) {
    std::fprintf(stderr, "%s%s%s", tty_ ? "\r" : "", text.c_str(), tty_ ? "   " : "\n");
    printed_ = true;
  }

 private:
  bool enabled_;
  bool tty_ = isatty(fileno(stderr)) != 0;
  bool printed_ = false;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace moe::cli
