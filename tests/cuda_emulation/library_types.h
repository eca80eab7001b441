#pragma once
// Host emulation of the CUDA API (a test double): the data types of CUDA's
// library_types.h that the emulated cuBLAS supports, with the real values.

typedef enum cudaDataType_t {
  CUDA_R_32F = 0,
  CUDA_R_64F = 1,
  CUDA_R_16BF = 14,
} cudaDataType_t;
typedef cudaDataType_t cudaDataType;
