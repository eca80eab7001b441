#pragma once
/// @file flushed_exp.hpp
/// e^x flushed to zero below the smallest normal number. Where e^x underflows,
/// libm's exp takes a slow path (it raises the underflow flag and sets errno)
/// that costs tens of normal calls; far-off experts and separated logistic
/// experts put most entries of a fit there. Beside any normal number such a
/// result is round-off, so zero changes no sum.

#include <armadillo>
#include <cmath>
#include <limits>
#include <type_traits>

namespace moe {

/// e^x, or 0 where e^x is below the smallest normal number of eT.
template <class eT>
inline std::enable_if_t<std::is_floating_point_v<eT>, eT> flushed_exp(eT x) {
  constexpr eT smallest_normal_log = static_cast<eT>(std::numeric_limits<eT>::min_exponent - 1) *
                                     static_cast<eT>(0.693147180559945309417);
  return x < smallest_normal_log ? eT(0) : std::exp(x);
}

/// flushed_exp entrywise.
inline arma::mat flushed_exp(arma::mat x) {
  x.transform([](double v) { return flushed_exp(v); });
  return x;
}

}  // namespace moe
