#pragma once
// Internal to the CUDA backend: kernel launches written
//     MOE_LAUNCH(kernel, blocks, threads)(arguments...);
// so that one source compiles two ways: with nvcc, a <<<blocks, threads>>> launch
// on the default stream; as plain C++ against the host emulation of the CUDA API
// (tests/cuda_emulation, MOE_CUDA_EMULATION), which runs every thread in turn.
// Kernels therefore keep to what that emulation can run faithfully: each thread
// computes its own outputs (grid-stride loops; no shared memory, __syncthreads,
// warp shuffles or atomics).

#ifdef MOE_CUDA_EMULATION
#include <moe_emulation/launch.hpp>
#define MOE_LAUNCH(kernel, blocks, threads) ::moe::emulation::launcher((kernel), (blocks), (threads))
#else
#define MOE_LAUNCH(kernel, blocks, threads) kernel<<<(blocks), (threads)>>>
#endif
