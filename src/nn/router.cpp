#include "moe/nn/router.hpp"

#include <cmath>
#include <limits>

#include "moe/error.hpp"

namespace moe::nn {
namespace {

// Scores the top-k choice sees: the logits, with the pairs of `dropped` set to −∞.
template <class eT>
Mat<eT> choice_scores(const Mat<eT>& logits, const arma::uchar_mat& dropped) {
  Mat<eT> scores = logits;
  if (!dropped.is_empty()) scores.elem(arma::find(dropped)).fill(-arma::Datum<eT>::inf);
  return scores;
}

// Gate values (n×E, zero where not routed) from each token's chosen experts.
template <class eT>
Mat<eT> gate_values(RouterKind kind, const Mat<eT>& logits, const arma::umat& chosen, const Mat<eT>& chosen_scores) {
  Mat<eT> gate(arma::size(logits), arma::fill::zeros);
  for (arma::uword t = 0; t < logits.n_rows; ++t) {
    eT total = 0;
    for (arma::uword j = 0; j < chosen.n_cols; ++j) {
      if (!std::isfinite(chosen_scores(t, j))) continue;  // dropped
      const arma::uword e = chosen(t, j);
      const eT l = logits(t, e);
      // softmax: exp relative to the row's largest chosen logit (the first).
      gate(t, e) = kind == RouterKind::sigma ? eT(1) / (eT(1) + std::exp(-l)) : std::exp(l - logits(t, chosen(t, 0)));
      total += gate(t, e);
    }
    if (kind == RouterKind::softmax && total > 0) gate.row(t) /= total;
  }
  return gate;
}

// log p, with an underflowed share (p = 0) taken as the smallest positive double.
arma::rowvec safe_log(const arma::rowvec& p) {
  return arma::log(arma::clamp(p, std::numeric_limits<double>::min(), 1.0));
}

}  // namespace

RouterKind router_from_name(const std::string& name) {
  if (name == "softmax") return RouterKind::softmax;
  if (name == "sigma") return RouterKind::sigma;
  require(false, "router_from_name", "unknown router '" + name + "' (use softmax or sigma)");
  return RouterKind::sigma;
}

const char* router_name(RouterKind kind) { return kind == RouterKind::softmax ? "softmax" : "sigma"; }

template <class eT>
Router<eT>::Router(arma::uword d, arma::uword experts, const RouterOptions& options, Rng& rng)
    : W(d, experts), dW(d, experts, arma::fill::zeros), options_(options) {
  require(experts >= 1, "Router", "need at least one expert");
  require(options.k >= 1 && options.k <= experts, "Router",
          "k = " + std::to_string(options.k) + " must be between 1 and the number of experts (" +
              std::to_string(experts) + ")");
  require(options.expert_dropout >= 0.0 && options.expert_dropout < 1.0, "Router",
          "expert dropout must be in [0, 1)");
  require(options.balance >= 0.0 && options.entropy >= 0.0, "Router",
          "auxiliary loss weights must be ≥ 0");
  require(options.members >= 1 && experts % options.members == 0 && options.k <= experts / options.members,
          "Router", "with " + std::to_string(options.members) + " ensemble members the " + std::to_string(experts) +
                        " experts must split into equal groups of at least k = " + std::to_string(options.k));
  W.imbue([&] { return static_cast<eT>(rng.normal()); });
  W.each_row() /= arma::sqrt(arma::sum(arma::square(W), 0));
}

template <class eT>
const RouteDecision<eT>& Router<eT>::forward(const Mat<eT>& X, const Pass& pass) {
  X_ = X;
  RouteDecision<eT>& r = decision_;
  r.logits = member_logits(X * W);
  arma::Col<eT> lse;
  pass.kernels->row_softmax(r.probs, lse, r.logits);
  r.gate = pass.route.rank > 0 ? single_expert_gate(r.logits, pass) : top_k_gate(r.logits, pass);
  r.routing = make_routing(r.gate);
  mean_prob_ = arma::conv_to<arma::rowvec>::from(arma::mean(r.probs, 0));
  auxiliary_loss_ = weighted_auxiliary_loss();
  return decision_;
}

template <class eT>
void Router<eT>::record(const Mat<eT>& X, Routing routing, arma::rowvec mean_prob) {
  X_ = X;
  decision_ = RouteDecision<eT>{};
  decision_.routing = std::move(routing);
  mean_prob_ = std::move(mean_prob);
  auxiliary_loss_ = weighted_auxiliary_loss();
}

template <class eT>
double Router<eT>::weighted_auxiliary_loss() const {
  if (mean_prob_.is_empty()) return 0.0;
  const double balance = static_cast<double>(W.n_cols) * arma::dot(expert_load(decision_.routing), mean_prob_);
  const double neg_entropy = arma::accu(mean_prob_ % safe_log(mean_prob_));  // 0 · log 0 = 0
  return options_.balance * balance + options_.entropy * neg_entropy;
}

template <class eT>
arma::uchar_mat Router<eT>::expert_dropout_mask(arma::uword n, const Pass& pass) const {
  const double dropout = options_.expert_dropout;
  if (!pass.training || dropout <= 0.0) return {};
  require(pass.rng != nullptr, "Router::forward", "expert dropout needs a random number source");
  arma::uchar_mat dropped(n, W.n_cols);
  dropped.imbue([&] { return static_cast<unsigned char>(pass.rng->uniform() < dropout); });
  return dropped;
}

template <class eT>
Mat<eT> Router<eT>::member_logits(Mat<eT> logits) const {
  const arma::uword M = options_.members;
  if (M == 1) return logits;
  require(logits.n_rows % M == 0, "Router::forward",
          "the rows must be " + std::to_string(M) + " equal blocks, one per ensemble member");
  const arma::uword rows = logits.n_rows / M, group = logits.n_cols / M;
  for (arma::uword m = 0; m < M; ++m)
    for (arma::uword other = 0; other < M; ++other)
      if (other != m)
        logits.submat(m * rows, other * group, (m + 1) * rows - 1, (other + 1) * group - 1).fill(-arma::Datum<eT>::inf);
  return logits;
}

template <class eT>
Mat<eT> Router<eT>::top_k_gate(const Mat<eT>& logits, const Pass& pass) const {
  const arma::uword k = pass.route.k > 0 ? pass.route.k : options_.k;
  require(k <= logits.n_cols / options_.members, "Router::forward",
          "k = " + std::to_string(k) + " exceeds the number of experts per member");
  arma::umat chosen;
  Mat<eT> chosen_scores;
  pass.kernels->row_topk(chosen, chosen_scores, choice_scores(logits, expert_dropout_mask(logits.n_rows, pass)), k);
  return gate_values(options_.kind, logits, chosen, chosen_scores);
}

template <class eT>
Mat<eT> Router<eT>::single_expert_gate(const Mat<eT>& logits, const Pass& pass) const {
  const arma::uword rank = pass.route.rank;
  require(rank <= logits.n_cols / options_.members, "Router::forward",
          "rank " + std::to_string(rank) + " exceeds the number of experts per member");
  arma::umat chosen;
  Mat<eT> chosen_scores;
  pass.kernels->row_topk(chosen, chosen_scores, logits, rank);
  Mat<eT> gate(arma::size(logits), arma::fill::zeros);
  for (arma::uword t = 0; t < logits.n_rows; ++t) gate(t, chosen(t, rank - 1)) = 1.0;
  return gate;
}

// d(aux)/dP̄ is one row c shared by all tokens, dP = c/n, then the softmax
// backward: dL = P ∘ (dP − rowsum(P ∘ dP)).
template <class eT>
arma::rowvec Router<eT>::auxiliary_row() const {
  if (!needs_probabilities()) return {};
  return (options_.balance * static_cast<double>(W.n_cols) * expert_load(decision_.routing).t() +
          options_.entropy * (safe_log(mean_prob_) + 1.0)) /
         static_cast<double>(X_.n_rows);
}

template <class eT>
Mat<eT> Router<eT>::auxiliary_gradient() const {
  const Mat<eT>& P = decision_.probs;
  if (!needs_probabilities()) return Mat<eT>(arma::size(P), arma::fill::zeros);
  Mat<eT> dL = P.each_row() % arma::conv_to<Row<eT>>::from(auxiliary_row());
  dL -= P.each_col() % arma::sum(dL, 1);
  return dL;
}

template <class eT>
Mat<eT> Router<eT>::backward(const Mat<eT>& dgate) {
  const Mat<eT>& g = decision_.gate;
  Mat<eT> dL;
  if (options_.kind == RouterKind::softmax)
    dL = g % (dgate.each_col() - arma::sum(g % dgate, 1));  // softmax over the chosen logits
  else
    dL = dgate % g % (eT(1) - g);  // sigmoid; g = 0 where not routed
  dL += auxiliary_gradient();
  dW = X_.t() * dL;
  return dL * W.t();
}

template <class eT>
void Router<eT>::parameters(std::vector<Parameter<eT>>& out, const std::string& prefix) {
  out.push_back(parameter(prefix + "router", W, dW, true));
}

template class Router<double>;
template class Router<float>;

arma::vec expert_load(const Routing& routing) {
  arma::vec load = arma::conv_to<arma::vec>::from(arma::diff(routing.offsets));
  return routing.n_assignments() > 0 ? arma::vec(load / static_cast<double>(routing.n_assignments())) : load;
}

}  // namespace moe::nn
