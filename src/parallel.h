#pragma once
// Tasks over indices on the machine's cores (OpenMP when the build has it),
// with results that do not depend on the number of threads: each index is
// one independent task writing its own slot, and the caller combines the
// slots in index order.
#include <armadillo>
#include <exception>
#include <functional>
#include <optional>
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
  std::vector<std::exception_ptr> failures(n);
  bool failed = false;
#ifdef _OPENMP
  std::optional<SingleThreadedBlas> blas;
  if (threads > 1 && n > 1) blas.emplace();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (threads > 1 && n > 1)
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

}  // namespace moe
