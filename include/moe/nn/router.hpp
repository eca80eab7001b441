#pragma once
/// @file router.hpp
/// The router of a sparse MoE layer (docs/ARCHITECTURE.md section 4): logits L = X W, top-k
/// choice per token, gate values, and the auxiliary losses that shape routing.
///
///  - softmax: gates are the softmax over the chosen k logits (top-k of the
///    softmax, renormalized over the chosen experts);
///  - sigma (σ-MoE): gates are sigmoid(L) of the chosen experts, not renormalized.
///
/// A forward pass may override the choice (RouteOverride, for inference).
/// Expert dropout (training only) removes each (token, expert) pair with
/// probability δ before the top-k choice; a token keeps fewer than k experts
/// only when fewer than k survive.

#include <string>

#include "moe/nn/layer.hpp"
#include "moe/nn/routing.hpp"

namespace moe::nn {

enum class RouterKind { softmax, sigma };

/// "softmax" or "sigma"; throws std::invalid_argument otherwise.
RouterKind router_from_name(const std::string& name);
const char* router_name(RouterKind kind);

struct RouterOptions {
  RouterKind kind = RouterKind::sigma;
  arma::uword k = 2;            ///< experts per token
  double expert_dropout = 0.0;  ///< δ ∈ [0, 1)
  double balance = 0.0;         ///< weight of the Switch load-balancing loss E·Σ_e f_e P̄_e
  double entropy = 0.0;         ///< weight of σ-MoE's regularizer −H(P̄)
  /// E³ ensemble members M: the experts form M groups of E/M and the rows form
  /// M equal consecutive blocks; block m routes only inside group m (its own
  /// router: the columns of group m).
  arma::uword members = 1;
};

/// One forward pass's routing decision.
template <class eT>
struct RouteDecision {
  Mat<eT> logits;  ///< n×E
  Mat<eT> probs;   ///< n×E: softmax(logits), what the auxiliary losses see
  Mat<eT> gate;    ///< n×E: gate value of each routed (token, expert), 0 elsewhere
  Routing routing;   ///< the routed pairs sorted by expert, weights = gate values
};

template <class eT>
class Router {
 public:
  /// W has columns (one per expert) of equal norm 1 (σ-MoE's initialization).
  Router(arma::uword d, arma::uword experts, const RouterOptions& options, Rng& rng);

  const RouteDecision<eT>& forward(const Mat<eT>& X, const Pass& pass);
  /// dL/dX through the router, given dL/dgate (n×E, used where routed); sets dW,
  /// adding the gradient of the auxiliary losses.
  Mat<eT> backward(const Mat<eT>& dgate);
  void parameters(std::vector<Parameter<eT>>& out, const std::string& prefix);

  /// The pairs (n×E, 1 = removed) that expert dropout takes out of the top-k
  /// choice of an n-row batch: drawn from pass.rng when training with dropout,
  /// else empty.
  arma::uchar_mat expert_dropout_mask(arma::uword n, const Pass& pass) const;
  /// Records a forward pass that a device backend computed: its input, routing
  /// and the batch mean of the softmax of the logits (empty when
  /// !needs_probabilities()); logits, probs and gate of decision() stay empty.
  void record(const Mat<eT>& X, Routing routing, arma::rowvec mean_prob);
  /// Whether the auxiliary losses (weights > 0) need the router probabilities.
  bool needs_probabilities() const { return options_.balance > 0.0 || options_.entropy > 0.0; }
  /// d(auxiliary losses)/d(P(t, e)) of the last forward: one row c (1×E),
  /// the same for every token t; empty when !needs_probabilities().
  arma::rowvec auxiliary_row() const;

  /// The weighted auxiliary losses of the last forward pass.
  double auxiliary_loss() const { return auxiliary_loss_; }
  const RouteDecision<eT>& decision() const { return decision_; }
  /// The input of the last forward pass.
  const Mat<eT>& input() const { return X_; }
  const RouterOptions& options() const { return options_; }

  Mat<eT> W, dW;  ///< d×E

 private:
  Mat<eT> auxiliary_gradient() const;  // dL_aux/dlogits, n×E
  double weighted_auxiliary_loss() const;  // from mean_prob_ and the routing
  // Gate matrices (n×E) of the trained top-k choice and of RouteOverride::rank.
  Mat<eT> top_k_gate(const Mat<eT>& logits, const Pass& pass) const;
  // Logits with −∞ outside each row's member group (E³); unchanged when M = 1.
  Mat<eT> member_logits(Mat<eT> logits) const;
  Mat<eT> single_expert_gate(const Mat<eT>& logits, const Pass& pass) const;

  RouterOptions options_;
  Mat<eT> X_;
  RouteDecision<eT> decision_;
  arma::rowvec mean_prob_;  // batch mean of decision_.probs (1×E)
  double auxiliary_loss_ = 0.0;
};

/// Fraction of the routed pairs that went to each expert.  Returns E.
arma::vec expert_load(const Routing& routing);

}  // namespace moe::nn
