#pragma once
// Host emulation of the CUDA API (a test double, see moe_emulation/launch.hpp):
// the launch-geometry types of CUDA's vector_types.h.

struct uint3 {
  unsigned int x, y, z;
};

/// Grid or block dimensions; unset components are 1, as in CUDA.
struct dim3 {
  unsigned int x, y, z;
  constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
  constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  constexpr operator uint3() const { return uint3{x, y, z}; }
};
