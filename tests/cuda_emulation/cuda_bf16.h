#pragma once
// Host emulation of CUDA's cuda_bf16.h (a test double): bfloat16 as 16 bits
// of storage (the upper half of a float), converted with round to nearest even.

#include <cstdint>
#include <cstring>

#include "cuda_runtime.h"

struct __nv_bfloat16 {
  std::uint16_t bits = 0;
  __nv_bfloat16() = default;
  inline __nv_bfloat16(float value);
  inline operator float() const;
};
typedef __nv_bfloat16 nv_bfloat16;

/// Round to nearest, ties to even; NaN stays a (quiet) NaN, infinities stay.
inline __nv_bfloat16 __float2bfloat16(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  __nv_bfloat16 out;
  if (std::isnan(value)) {
    out.bits = static_cast<std::uint16_t>((bits >> 16) | 0x0040u);  // keep the sign, set the quiet bit
    return out;
  }
  const std::uint32_t lsb = (bits >> 16) & 1u;
  out.bits = static_cast<std::uint16_t>((bits + 0x7FFFu + lsb) >> 16);
  return out;
}

inline float __bfloat162float(__nv_bfloat16 value) {
  const std::uint32_t bits = std::uint32_t{value.bits} << 16;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

inline __nv_bfloat16::__nv_bfloat16(float value) : bits(__float2bfloat16(value).bits) {}
inline __nv_bfloat16::operator float() const { return __bfloat162float(*this); }
