#include "moe/nn/routing.hpp"

#include "moe/error.hpp"

namespace moe::nn {

Routing make_routing(const arma::umat& expert_of, const arma::mat& weight, arma::uword n_experts) {
  require(arma::size(expert_of) == arma::size(weight), "make_routing",
          "expert choices and weights must have the same shape");
  require(expert_of.is_empty() || expert_of.max() < n_experts, "make_routing",
          "an expert index is out of range");
  Routing r;
  r.offsets.zeros(n_experts + 1);
  for (arma::uword e : expert_of) ++r.offsets(e + 1);
  r.offsets = arma::cumsum(r.offsets);
  r.token.set_size(expert_of.n_elem);
  r.weight.set_size(expert_of.n_elem);
  arma::uvec next = r.offsets.head(n_experts);
  for (arma::uword t = 0; t < expert_of.n_rows; ++t)  // token order within each expert
    for (arma::uword j = 0; j < expert_of.n_cols; ++j) {
      const arma::uword a = next(expert_of(t, j))++;
      r.token(a) = t;
      r.weight(a) = weight(t, j);
    }
  return r;
}

template <class eT>
Routing make_routing(const arma::Mat<eT>& gate) {
  Routing r;
  r.offsets.zeros(gate.n_cols + 1);
  for (arma::uword e = 0; e < gate.n_cols; ++e)
    r.offsets(e + 1) = r.offsets(e) + arma::accu(gate.col(e) != eT(0));
  r.token.set_size(r.offsets(gate.n_cols));
  r.weight.set_size(r.offsets(gate.n_cols));
  arma::uword a = 0;
  for (arma::uword e = 0; e < gate.n_cols; ++e)
    for (arma::uword t = 0; t < gate.n_rows; ++t)
      if (gate(t, e) != eT(0)) {
        r.token(a) = t;
        r.weight(a++) = gate(t, e);
      }
  return r;
}

template Routing make_routing(const arma::mat&);
template Routing make_routing(const arma::fmat&);

}  // namespace moe::nn
