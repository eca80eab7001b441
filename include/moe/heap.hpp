#pragma once
/// @file heap.hpp
/// How a program (not a library) running moe should set glibc's allocator.
/// glibc maps every block above its mmap threshold (at most 32 MB) on its own
/// and unmaps it when freed, so a large temporary (an n×K matrix of a large
/// fit, a layer's activations) is mapped, faulted in and zeroed page by page
/// again at every use: 4.1 s an EM iteration at n = 3e5, K = 16, against 0.6 s
/// with the blocks kept in the heap; a third of a 2048-token dense FFN's
/// forward + backward (bench/RESULTS.md §19). The command line and the
/// benchmarks call this once at start-up; the library leaves the allocator to
/// its host (R, an embedding program).

namespace moe {

/// Large blocks from the heap, never mapped on their own, and up to 1 GB kept
/// at the heap's top when freed. Does nothing outside glibc.
void keep_large_blocks_in_the_heap();

}  // namespace moe
