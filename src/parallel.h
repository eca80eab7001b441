#pragma once
// Tasks over indices on the machine's cores (OpenMP when the build has it),
// with results that do not depend on the number of threads: each index is
// one independent task writing its own slot, and the caller combines the
// slots in index order.
#include <algorithm>
#include <armadillo>
#include <exception>
#include <functional>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

// OpenBLAS's thread control, when OpenBLAS is the BLAS this process runs on
// (weak: null with another BLAS).
extern "C" {
void openblas_set_num_threads(int threads) __attribute__((weak));
int openblas_get_num_threads(void) __attribute__((weak));
}

namespace moe {

/// Holds OpenBLAS at one thread while it lives, then restores its count: the
/// BLAS calls of tasks that already run on every core must not each start
/// BLAS threads of their own (they would only wait on one another). Does
/// nothing with another BLAS.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() : saved_(openblas_get_num_threads && openblas_set_num_threads ? openblas_get_num_threads() : 0) {
    if (saved_ > 1) openblas_set_num_threads(1);
  }
  ~SingleThreadedBlas() {
    if (saved_ > 1) openblas_set_num_threads(saved_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int saved_;
};

/// The threads to use for `requested` (0: every core), at least 1.
inline unsigned thread_count(unsigned requested) {
#ifdef _OPENMP
  if (requested == 0) return static_cast<unsigned>(std::max(1, omp_get_num_procs()));
  return requested;
#else
  (void)requested;
  return 1;
#endif
}

/// True on the thread that started the parallel tasks (and outside them):
/// where callbacks into a front end (progress, R's interrupts) may run.
inline bool on_calling_thread() {
#ifdef _OPENMP
  return omp_get_thread_num() == 0;
#else
  return true;
#endif
}

/// Runs task(i) for i = 0..n−1 on up to `threads` threads, in index order when
/// one, with OpenBLAS on one thread when there are several. An exception stops
/// the tasks not yet begun; the one of the lowest index is rethrown after all
/// running tasks have ended.
inline void parallel_for(arma::uword n, unsigned threads, const std::function<void(arma::uword)>& task) {
  if (threads <= 1 || n <= 1) {  // no parallel region: a row pass of a small fit is shorter than starting one
    for (arma::uword i = 0; i < n; ++i) task(i);
    return;
  }
  std::vector<std::exception_ptr> failures(n);
  bool failed = false;
#ifdef _OPENMP
  const SingleThreadedBlas blas;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
#else
  (void)threads;
#endif
  for (long long i = 0; i < static_cast<long long>(n); ++i) {
    bool stop = false;
#ifdef _OPENMP
#pragma omp atomic read
#endif
    stop = failed;
    if (stop) continue;
    try {
      task(static_cast<arma::uword>(i));
    } catch (...) {
      failures[static_cast<std::size_t>(i)] = std::current_exception();
#ifdef _OPENMP
#pragma omp atomic write
#endif
      failed = true;
    }
  }
  for (const std::exception_ptr& e : failures)
    if (e) std::rethrow_exception(e);
}

/// The threads that KernelThreads set for this thread's row-wise passes (1 when none).
inline unsigned& kernel_thread_setting() {
  static thread_local unsigned threads = 1;
  return threads;
}

/// The threads for the row-wise passes of one fit (kernels.hpp, Experts::log_density):
/// kernel_thread_setting(), or 1 inside parallel tasks (each task is a whole fit already).
inline unsigned kernel_threads() {
#ifdef _OPENMP
  if (omp_in_parallel()) return 1;
#endif
  return kernel_thread_setting();
}

/// Runs this thread's row-wise passes on thread_count(requested) threads while
/// it lives, then restores the setting before it.
class KernelThreads {
 public:
  explicit KernelThreads(unsigned requested) : saved_(kernel_thread_setting()) {
    kernel_thread_setting() = thread_count(requested);
  }
  ~KernelThreads() { kernel_thread_setting() = saved_; }
  KernelThreads(const KernelThreads&) = delete;
  KernelThreads& operator=(const KernelThreads&) = delete;

 private:
  unsigned saved_;
};

/// Rows per block of the row-wise passes that write their own rows (a fixed
/// number, so that the blocks do not depend on the threads).
constexpr arma::uword row_block = 4096;

/// task(first, last) for the blocks of `block` rows that cover rows 0..n−1
/// (the last may be shorter), on kernel_threads() threads. The blocks do not
/// depend on the number of threads, so neither does a result that each block
/// writes to its own rows, or that sums per-block results in block order.
/// Returns the number of blocks.
inline arma::uword for_row_blocks(arma::uword n, arma::uword block,
                                  const std::function<void(arma::uword first, arma::uword last)>& task) {
  const arma::uword blocks = (n + block - 1) / block;
  parallel_for(blocks, kernel_threads(), [&](arma::uword b) { task(b * block, std::min(n, (b + 1) * block) - 1); });
  return blocks;
}

}  // namespace moe
