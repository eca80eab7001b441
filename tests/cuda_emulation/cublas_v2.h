#pragma once
// Host emulation of cuBLAS (a test double): the v2 API, declared in cublas_api.h.
#include "cublas_api.h"
