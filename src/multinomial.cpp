#include "moe/multinomial.hpp"

namespace moe {

arma::uword count_levels(const arma::vec& y) { return y.is_empty() ? 0 : static_cast<arma::uword>(y.max()) + 1; }

Gate level_gate(const Experts& experts, arma::uword k) {
  const arma::uword p = experts.n_inputs(), others = experts.levels - 1;
  return Gate{arma::join_horiz(arma::reshape(experts.coef.col(k), p, others), arma::zeros(p, 1))};
}

void set_level_gate(Experts& experts, arma::uword k, const Gate& gate) {
  experts.coef.col(k) = arma::vectorise(gate.coef.head_cols(experts.levels - 1));
}

arma::uvec level_columns(const arma::vec& y, arma::uword levels) {
  arma::uvec column(y.n_elem);
  for (arma::uword i = 0; i < y.n_elem; ++i) {
    const auto c = static_cast<arma::uword>(y(i));
    column(i) = c == 0 ? levels - 1 : c - 1;
  }
  return column;
}

arma::mat level_targets(const arma::vec& y, const arma::vec& w, arma::uword levels) {
  const arma::uvec column = level_columns(y, levels);
  arma::mat T(y.n_elem, levels, arma::fill::zeros);
  for (arma::uword i = 0; i < y.n_elem; ++i) T(i, column(i)) = w(i);
  return T;
}

arma::mat multinomial_log_density(const Experts& experts, const arma::mat& X, const arma::vec& y) {
  arma::mat out(X.n_rows, experts.n_experts());
  out.fill(arma::datum::nan);
  const double C = static_cast<double>(experts.levels);
  out.rows(arma::find((y < 0.0) || (y >= C))).fill(-arma::datum::inf);  // not one of the experts' levels: P = 0
  const arma::uvec known = arma::find((y >= 0.0) && (y < C));            // NaN is neither
  const arma::uvec column = level_columns(y(known), experts.levels);
  for (arma::uword k = 0; k < experts.n_experts(); ++k) {
    const arma::mat log_p = level_gate(experts, k).log_probs(X);
    for (arma::uword j = 0; j < known.n_elem; ++j) out(known(j), k) = log_p(known(j), column(j));
  }
  return out;
}

arma::cube level_probabilities(const Experts& experts, const arma::mat& X) {
  const arma::uword C = experts.levels;
  arma::cube P(X.n_rows, C, experts.n_experts());
  for (arma::uword k = 0; k < experts.n_experts(); ++k) {
    const arma::mat by_column = arma::exp(level_gate(experts, k).log_probs(X));  // levels 1..C−1, then 0
    P.slice(k) = arma::join_horiz(by_column.col(C - 1), by_column.head_cols(C - 1));
  }
  return P;
}

arma::mat multinomial_eta_scores(const Experts& experts, const arma::mat& X, const arma::vec& y, const arma::mat& W) {
  const arma::uword C = experts.levels, K = experts.n_experts();
  arma::mat scores(X.n_rows, K * (C - 1));
  for (arma::uword k = 0; k < K; ++k) {  // in level_gate()'s columns: levels 1..C−1, then 0 (left out)
    const arma::mat P = arma::exp(level_gate(experts, k).log_probs(X));
    scores.cols(k * (C - 1), (k + 1) * (C - 1) - 1) =
        (level_targets(y, W.col(k), C) - P.each_col() % W.col(k)).eval().head_cols(C - 1);
  }
  return scores;
}

void level_number_moments(arma::vec& mean, arma::vec& sd, const Experts& experts, const arma::mat& X,
                          arma::uword k) {
  const arma::mat P = arma::exp(level_gate(experts, k).log_probs(X));  // levels 1..C−1, then 0
  const arma::vec number = arma::join_vert(arma::regspace(1.0, double(experts.levels - 1)), arma::vec{0.0});
  mean = P * number;
  sd = arma::sqrt(arma::clamp(P * arma::square(number) - arma::square(mean), 0.0, arma::datum::inf));
}

}  // namespace moe
