#pragma once
// Host emulation of CUB (a test double): the device algorithms it offers.
#include "cub/device/device_radix_sort.cuh"
#include "cub/device/device_scan.cuh"
