#include "moe/data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "moe/error.hpp"
#include "moe/experts.hpp"
#include "moe/multinomial.hpp"
#include "moe/point_mass.hpp"

namespace moe {
namespace {

std::string column_name(const std::vector<std::string>& names, const char* prefix,
                        arma::uword j) {
  if (j < names.size()) return names[j];
  return prefix + std::to_string(j + 1);
}

// Beyond this magnitude, sums of squares over the data could overflow.
constexpr double kLargestValue = 1e100;

// Rejects values so large that the fit's sums of squares would overflow.
void require_moderate(const arma::vec& values, const std::string& what) {
  const double largest = values.is_empty() ? 0.0 : arma::abs(values).max();
  if (largest <= kLargestValue) return;
  char magnitude[32];
  std::snprintf(magnitude, sizeof magnitude, "%.3g", largest);
  require(false, "validate",
          what + " has values as large as " + magnitude +
              " in magnitude; rescale it (at most 1e100, so that sums of squares stay finite)");
}

bool is_constant(const arma::vec& column) {
  return column.n_elem == 0 || column.max() == column.min();
}

// The columns' cross-products after centering every non-constant column (when
// the design has a constant column, which then carries the means) and scaling
// every column to unit length: a matrix with unit diagonal whose conditioning
// does not depend on the covariates' units or offsets. Built a block of rows at
// a time, so that no centered copy of D is held.
arma::mat scaled_cross_products(const arma::mat& D, bool has_intercept) {
  arma::rowvec shift(D.n_cols, arma::fill::zeros);
  for (arma::uword j = 0; j < D.n_cols; ++j)
    if (has_intercept && !is_constant(D.col(j))) shift(j) = arma::mean(D.col(j));
  arma::mat G(D.n_cols, D.n_cols, arma::fill::zeros);
  constexpr arma::uword kBlock = 4096;
  for (arma::uword first = 0; first < D.n_rows; first += kBlock) {
    arma::mat block = D.rows(first, std::min(D.n_rows, first + kBlock) - 1);
    block.each_row() -= shift;
    G += block.t() * block;
  }
  const arma::vec scale = 1.0 / arma::sqrt(G.diag());
  return G % (scale * scale.t());
}

// Rejects a column that is, to 1e-10 of its (centered) sum of squares, a linear
// combination of the columns before it: its coefficient would not be
// identified and the degrees of freedom (AIC, BIC) would count it. Incremental
// Cholesky of scaled_cross_products(): column j's squared residual after the
// columns before it is the j-th pivot.
void require_independent(const arma::mat& D, bool has_intercept, const std::vector<std::string>& names,
                         const char* prefix, const char* what) {
  const arma::mat G = scaled_cross_products(D, has_intercept);
  arma::mat L(D.n_cols, D.n_cols, arma::fill::zeros);
  for (arma::uword j = 0; j < D.n_cols; ++j) {
    arma::vec y;
    if (j > 0) y = arma::solve(arma::trimatl(L.submat(0, 0, j - 1, j - 1)), G.col(j).head(j), arma::solve_opts::fast);
    const double pivot = G(j, j) - (j > 0 ? arma::dot(y, y) : 0.0);
    require(pivot > 1e-10, "validate",
            "column '" + column_name(names, prefix, j) + "' of the " + what +
                " is a linear combination of the columns before it (collinear): drop it");
    if (j > 0) L.row(j).head(j) = y.t();
    L(j, j) = std::sqrt(pivot);
  }
}

// Rejects constant columns (other than one intercept), duplicated columns and
// collinear ones.
void validate_design(const arma::mat& D, const std::vector<std::string>& names,
                     const char* prefix, const char* what) {
  require(D.is_finite(), "validate", std::string(what) + " has NaN or infinite values");
  int constants = 0;
  for (arma::uword j = 0; j < D.n_cols; ++j) {
    const std::string name = column_name(names, prefix, j);
    require_moderate(D.col(j), "column '" + name + "' of the " + what);
    if (is_constant(D.col(j))) {
      require(D.n_rows == 0 || D(0, j) != 0.0, "validate",
              "column '" + name + "' of the " + what + " is all zero");
      require(++constants == 1, "validate",
              "column '" + name + "' of the " + what + " is constant (the intercept already is)");
    }
    for (arma::uword i = 0; i < j; ++i)
      require(!arma::approx_equal(D.col(i), D.col(j), "absdiff", 0.0), "validate",
              "columns '" + column_name(names, prefix, i) + "' and '" + name + "' of the " +
                  what + " are identical");
  }
  require_independent(D, constants == 1, names, prefix, what);
}

// Weights: none, or n finite values ≥ 0 of moderate size, not all zero.
void validate_weights(const Dataset& data) {
  const arma::vec& w = data.weights;
  if (w.is_empty()) return;
  require(w.n_elem == data.n(), "validate",
          "there are " + std::to_string(w.n_elem) + " weights for " + std::to_string(data.n()) + " rows");
  require(w.is_finite() && w.min() >= 0.0, "validate", "the weights must be finite and non-negative");
  require_moderate(w, "the vector of weights");
  require(w.max() > 0.0, "validate", "every weight is zero: there is nothing to fit");
}

// Offsets: none, or n finite values of moderate size.
void validate_offset(const Dataset& data) {
  const arma::vec& o = data.offset;
  if (o.is_empty()) return;
  require(o.n_elem == data.n(), "validate",
          "there are " + std::to_string(o.n_elem) + " offsets for " + std::to_string(data.n()) + " rows");
  require(o.is_finite(), "validate", "the offset has NaN or infinite values");
  require_moderate(o, "the offset");
}

// Shared columns: none, or distinct columns of X in order, leaving one or more
// columns to the experts' own coefficients.
void validate_shared_columns(const Dataset& data) {
  require(is_valid_shared_set(data.shared_columns, data.X.n_cols), "validate",
          "the shared columns must be distinct columns of the expert design, in order, and leave at least one "
          "(such as the intercept) to each expert's own coefficients");
}

// Groups: none, or n numbers 0..G−1 each used, at least K groups, no weights,
// and one gate row per group.
void validate_groups(const Dataset& data, arma::uword K) {
  if (!data.grouped()) return;
  const arma::uvec& group = data.group;
  require(group.n_elem == data.n(), "validate",
          "there are " + std::to_string(group.n_elem) + " group numbers for " + std::to_string(data.n()) + " rows");
  const arma::uword G = data.n_groups();
  require(arma::all(data.group_sizes() > 0), "validate",
          "the group numbers must run from 0 to G - 1, each used");
  require(G >= K, "validate",
          std::to_string(G) + " groups are too few for K = " + std::to_string(K) + " experts");
  require(data.weights.is_empty(), "validate",
          "frequency weights and groups together are not supported: repeat a group's rows, or fit without weights");
  const arma::uvec first = data.group_first_rows();
  for (arma::uword i = 0; i < data.n(); ++i) {
    const arma::uword g = group(i);
    require(arma::all(data.Z.row(i) == data.Z.row(first(g))), "validate",
            "the gate's covariates vary within group '" + data.group_name(g) + "' (rows " +
                std::to_string(first(g) + 1) + " and " + std::to_string(i + 1) +
                "): all rows of a group share one gate, so its covariates must be the group's");
  }
}

// A value as a message shows it (%.6g).
std::string shown(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

// Binomial trials m_i: whole numbers ≥ 1, and successes y_i in 0..m_i.
void validate_trials(const arma::vec& y, const arma::vec& trials, Family family) {
  require(family == Family::binomial, "validate", "trials are for the binomial family only");
  require(trials.n_elem == y.n_elem, "validate",
          "there are " + std::to_string(trials.n_elem) + " trials for " + std::to_string(y.n_elem) + " rows");
  require(trials.is_finite(), "validate", "the trials have NaN or infinite values");
  require_moderate(trials, "the trials");
  for (arma::uword i = 0; i < y.n_elem; ++i) {
    const bool whole_trials = trials(i) >= 1.0 && trials(i) == std::floor(trials(i));
    const bool successes = y(i) >= 0.0 && y(i) == std::floor(y(i)) && y(i) <= trials(i);
    if (whole_trials && successes) continue;
    const std::string row = " (row " + std::to_string(i + 1) + " has ";
    require(whole_trials, "validate", "the trials must be whole numbers, 1 or more" + row + shown(trials(i)) + ")");
    require(false, "validate",
            "the successes must be whole numbers from 0 to the trials" + row + shown(y(i)) + " of " +
                shown(trials(i)) + ")");
  }
}

// Multinomial experts: C ≥ 2 levels 0..C−1, each on a row of positive weight,
// and no offsets or shared coefficients (which apply to a single predictor).
void validate_levels(const Dataset& data) {
  const arma::uword C = count_levels(data.y);
  require(C >= 2, "validate", "the response has one level: a multinomial response needs at least two");
  arma::uvec rows(C, arma::fill::zeros);
  for (arma::uword i = 0; i < data.n(); ++i)
    if (data.weights.is_empty() || data.weights(i) > 0.0) ++rows(static_cast<arma::uword>(data.y(i)));
  for (arma::uword c = 0; c < C; ++c)
    require(rows(c) > 0, "validate",
            "level " + std::to_string(c) + " of the response has no rows (levels are 0 to " + std::to_string(C - 1) +
                ", each must occur)");
  require(data.offset.is_empty(), "validate", "offsets are not for multinomial experts");
  require(data.shared_columns.is_empty(), "validate", "shared coefficients are not for multinomial experts");
}

}  // namespace

double Dataset::total_weight() const {
  return weights.is_empty() ? static_cast<double>(n()) : arma::accu(weights);
}

double Dataset::weighted_sum(const arma::vec& v) const {
  return weights.is_empty() ? arma::accu(v) : arma::dot(weights, v);
}

arma::mat Dataset::weighted(const arma::mat& M) const {
  if (weights.is_empty()) return M;
  return M.each_col() % weights;
}

arma::uword Dataset::n_groups() const { return grouped() ? group.max() + 1 : n(); }

std::string Dataset::group_name(arma::uword g) const {
  return g < group_names.size() ? group_names[g] : std::to_string(g + 1);
}

std::string Dataset::level_name(arma::uword c) const {
  return c < level_names.size() ? level_names[c] : std::to_string(c);
}

arma::uvec Dataset::group_sizes() const {
  arma::uvec sizes(n_groups(), arma::fill::zeros);
  for (const arma::uword g : group) ++sizes(g);
  return sizes;
}

arma::uvec Dataset::group_first_rows() const {
  arma::uvec first(n_groups());
  for (arma::uword i = n(); i-- > 0;) first(group(i)) = i;
  return first;
}

arma::mat Dataset::group_weighted(const arma::mat& M) const {
  if (!grouped()) return weighted(M);
  const arma::vec sizes = arma::conv_to<arma::vec>::from(group_sizes());
  return weighted(M.each_col() / sizes.elem(group));
}

Dataset rows_of(const Dataset& data, const arma::uvec& rows) {
  const auto of = [&rows](const arma::vec& v) { return v.is_empty() ? arma::vec() : arma::vec(v.elem(rows)); };
  require(!data.grouped(), "rows_of", "grouped rows cannot be split: a group's rows belong together");
  return Dataset{data.y.elem(rows), data.X.rows(rows), data.Z.rows(rows), data.x_names, data.z_names,
                 of(data.weights), of(data.offset), of(data.trials), data.shared_columns, {}, {}, data.point_mass,
                 data.level_names};
}

Dataset without_zero_weights(const Dataset& data) {
  if (data.weights.is_empty() || arma::all(data.weights != 0.0)) return data;
  return rows_of(data, arma::find(data.weights != 0.0));
}

std::string Dataset::x_name(arma::uword j) const { return column_name(x_names, "x", j); }
std::string Dataset::z_name(arma::uword j) const { return column_name(z_names, "z", j); }

arma::mat make_design(const arma::mat& covariates, bool intercept) {
  if (!intercept) return covariates;
  return arma::join_horiz(arma::ones(covariates.n_rows), covariates);
}

std::vector<std::string> design_names(const std::vector<std::string>& covariates,
                                      bool intercept) {
  std::vector<std::string> names;
  if (intercept) names.emplace_back(intercept_name);
  names.insert(names.end(), covariates.begin(), covariates.end());
  return names;
}

arma::mat intercept_only(arma::uword n) { return arma::ones(n, 1); }

void validate(const Dataset& data, Family family, arma::uword K) {
  require(K >= 1, "validate", "K must be at least 1");
  require(data.X.n_rows == data.n() && data.Z.n_rows == data.n(), "validate",
          "y has " + std::to_string(data.n()) + " rows but X has " + std::to_string(data.X.n_rows) +
              " and Z has " + std::to_string(data.Z.n_rows));
  validate_weights(data);
  validate_offset(data);
  // rows with weight 0 do not count
  const arma::uword n = data.weights.is_empty() ? data.n() : arma::accu(data.weights > 0.0);
  require(data.X.n_cols >= 1, "validate", "the expert design X has no columns");
  require(data.Z.n_cols >= 1, "validate", "the gate design Z has no columns");
  validate_response(data.y, family, data.trials);
  validate_shared_columns(data);
  validate_groups(data, K);
  if (data.point_mass) validate_point_mass(data.y, family, K, *data.point_mass);
  if (family == Family::multinomial) validate_levels(data);
  require(n < 2 || data.y.min() < data.y.max(), "validate",
          "the response is constant: there is nothing to fit");
  const arma::uword coefficients = data.X.n_cols * (family == Family::multinomial ? count_levels(data.y) - 1 : 1);
  const arma::uword per_expert = coefficients + (family_entry(family).dispersion.empty() ? 0 : 1);
  const arma::uword regression = K - (data.point_mass ? 1 : 0);
  const arma::uword gate = data.Z.n_cols * (K - 1), parameters = regression * per_expert + gate;
  require(n / per_expert >= regression && n - regression * per_expert >= gate, "validate",
          "n = " + std::to_string(n) + (data.weights.is_empty() ? " rows" : " rows with positive weight") +
              " is too few for " +
              (data.point_mass ? std::to_string(regression) + " experts beside the point mass"
                               : "K = " + std::to_string(K) + " experts") +
              " with " + std::to_string(per_expert) + " parameters each and a gate with " +
              std::to_string(gate) + " (need at least " + std::to_string(parameters) + ")");
  if (!data.weights.is_empty() && data.total_weight() < static_cast<double>(parameters)) {
    char total[32];
    std::snprintf(total, sizeof total, "%.3g", data.total_weight());
    require(false, "validate",
            std::string("the weights sum to ") + total + ", fewer than the " + std::to_string(parameters) +
                " parameters (frequency weights count observations)");
  }
  validate_design(data.X, data.x_names, "x", "expert design");
  validate_design(data.Z, data.z_names, "z", "gate design");
}

void validate_response(const arma::vec& y, Family family, const arma::vec& trials) {
  require(y.is_finite(), "validate", "the response has NaN or infinite values");
  require_moderate(y, "the response");
  if (!trials.is_empty()) return validate_trials(y, trials, family);
  if (family == Family::binomial)
    require(arma::all((y == 0.0) || (y == 1.0)), "validate", "the response must be 0 or 1 for the binomial family");
  if (family == Family::gamma)
    require(arma::all(y > 0.0), "validate", "the response must be positive for the gamma family");
  if (family == Family::multinomial)
    require(arma::all((y >= 0.0) && (y == arma::floor(y))), "validate",
            "the response must be a level (a whole number 0, 1, ..., C - 1) for the multinomial family");
  if (family == Family::poisson || family == Family::negbin)
    require(arma::all((y >= 0.0) && (y == arma::floor(y))), "validate",
            "the response must be a count (a whole number, 0 or more) for the " + to_string(family) + " family");
}

}  // namespace moe
