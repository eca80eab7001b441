#include "moe/predictive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "moe/error.hpp"
#include "moe/student_t.hpp"

namespace moe {
namespace {

// Terms enough for the series and the continued fraction below: near x ≈ a
// both need a multiple of √a.
double term_limit(double a) { return 1000.0 + 20.0 * std::sqrt(a); }

// P(a, x) = γ(a, x) / Γ(a) by its power series: converges fast for x < a + 1.
double lower_gamma_series(double a, double x) {
  double term = 1.0 / a, sum = term;
  for (double n = 1.0; n < term_limit(a) && std::abs(term) > 1e-17 * std::abs(sum); n += 1.0) {
    term *= x / (a + n);
    sum += term;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) = Γ(a, x) / Γ(a) by its continued fraction (modified Lentz): for x ≥ a + 1.
double upper_gamma_fraction(double a, double x) {
  constexpr double tiny = 1e-300;
  double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, f = d;
  for (double n = 1.0; n < term_limit(a); n += 1.0) {
    const double an = -n * (n - a);
    b += 2.0;
    d = an * d + b;
    d = std::abs(d) < tiny ? tiny : d;
    c = b + an / c;
    c = std::abs(c) < tiny ? tiny : c;
    d = 1.0 / d;
    const double delta = d * c;
    f *= delta;
    if (std::abs(delta - 1.0) < 1e-16) break;
  }
  return f * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// The continued fraction of I_x(a, b) (modified Lentz), for x < (a + 1)/(a + b + 2):
// I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · 1/(1 + d_1/(1 + d_2/(1 + ...))), with
// d_2j = j(b − j)x / ((a + 2j − 1)(a + 2j)), d_2j+1 = −(a + j)(a + b + j)x / ((a + 2j)(a + 2j + 1)).
double incomplete_beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  const auto guarded = [](double v) { return std::abs(v) < tiny ? tiny : v; };
  double c = 1.0, d = 1.0 / guarded(1.0 - (a + b) * x / (a + 1.0)), f = d;
  for (double j = 1.0; j < term_limit(a + b); j += 1.0) {
    for (const double dj : {j * (b - j) * x / ((a + 2.0 * j - 1.0) * (a + 2.0 * j)),
                            -(a + j) * (a + b + j) * x / ((a + 2.0 * j) * (a + 2.0 * j + 1.0))}) {
      d = 1.0 / guarded(1.0 + dj * d);
      c = guarded(1.0 + dj / c);
      f *= d * c;
    }
    if (std::abs(d * c - 1.0) < 1e-16) break;
  }
  return f * std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x)) / a;
}

// I_x(a, b), by the fraction of x or of 1 − x (I_x(a, b) = 1 − I_{1−x}(b, a)), whichever converges fast.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return x < (a + 1.0) / (a + b + 2.0) ? incomplete_beta_fraction(a, b, x) : 1.0 - incomplete_beta_fraction(b, a, 1.0 - x);
}

// The experts' means (n×K: probabilities per trial for binomial experts), for
// Gaussian experts their standard deviations (negbin: sizes θ; gamma: shapes ν), and the binomial trials (n, or empty: 1).
struct ExpertLaws {
  arma::mat gate, mean;
  arma::rowvec dispersion;
  arma::vec trials;
  arma::urowvec is_regression;  // 0 for a point mass (Experts::is_regression)
};

ExpertLaws laws(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& offset,
                const arma::vec& trials) {
  require(trials.is_empty() || trials.n_elem == X.n_rows, "predictive", "the trials must have one value per row");
  require(model.experts.family != Family::multinomial, "predictive",
          "levels have no order, so multinomial experts have no distribution function, quantiles or PIT: predict "
          "the levels' probabilities");
  const Prediction p = predict(model, X, Z, offset);
  return {p.gate, p.experts,
          model.experts.has_dispersion() ? arma::rowvec(model.experts.dispersion().t()) : arma::rowvec(), trials,
          model.experts.is_regression()};
}

double trials_at(const ExpertLaws& law, arma::uword i) { return law.trials.is_empty() ? 1.0 : law.trials(i); }

// F(y) at row i.
double mixture_cdf(const Model& model, const ExpertLaws& law, arma::uword i, double y) {
  double total = 0.0;
  for (arma::uword k = 0; k < model.K(); ++k) {
    const double mean = law.mean(i, k);
    double expert = 0.0;
    if (!law.is_regression(k)) {  // a point mass at its mean
      total += law.gate(i, k) * (y >= mean ? 1.0 : 0.0);
      continue;
    }
    switch (model.experts.family) {
      case Family::gaussian:
        expert = 0.5 * std::erfc(-(y - mean) / (law.dispersion(k) * std::sqrt(2.0)));
        break;
      case Family::binomial:
        expert = binomial_cdf(std::floor(y), trials_at(law, i), mean);
        break;
      case Family::poisson:
        expert = poisson_cdf(std::floor(y), mean);
        break;
      case Family::negbin:
        expert = negbin_cdf(std::floor(y), mean, law.dispersion(k));
        break;
      case Family::gamma:
        expert = gamma_cdf(y, mean, law.dispersion(k));
        break;
      case Family::t:
        expert = t_cdf((y - mean) / law.dispersion(k), model.experts.shape(k));
        break;
      case Family::multinomial:  // laws() refuses it
        expert = arma::datum::nan;
        break;
    }
    total += law.gate(i, k) * expert;
  }
  return total;
}

// The p-quantile at row i: bisection between points whose F lies below and above p.
double mixture_quantile(const Model& model, const ExpertLaws& law, arma::uword i, double p) {
  const arma::rowvec mean = model.experts.family == Family::binomial ? arma::rowvec(law.mean.row(i) * trials_at(law, i))
                                                                     : arma::rowvec(law.mean.row(i));
  const bool discrete = !family_entry(model.experts.family).continuous;
  double scale = std::sqrt(mean.max()) + 1.0;  // about the largest standard deviation of the experts
  if (has_scale(model.experts.family)) scale = law.dispersion.max();  // the t's tails: the bracket doubles
  if (model.experts.family == Family::gamma) scale = arma::max(mean / arma::sqrt(law.dispersion));
  double lo = discrete ? -1.0 : mean.min() - scale, hi = mean.max() + scale;
  for (double step = scale; !discrete && mixture_cdf(model, law, i, lo) >= p; step *= 2.0) lo -= step;
  for (double step = scale; mixture_cdf(model, law, i, hi) < p; step *= 2.0) hi += step;
  if (discrete) {  // F(lo) < p ≤ F(hi) on the integers
    hi = std::ceil(hi);
    while (hi - lo > 1.0) {
      const double mid = std::floor(0.5 * (lo + hi));
      (mixture_cdf(model, law, i, mid) >= p ? hi : lo) = mid;
    }
    return hi;
  }
  for (int it = 0; it < 200 && hi - lo > 4.0 * std::numeric_limits<double>::epsilon() * std::max(std::abs(lo), std::abs(hi)); ++it) {
    const double mid = 0.5 * (lo + hi);
    (mixture_cdf(model, law, i, mid) >= p ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double poisson_cdf(double k, double mean) {
  if (k < 0.0) return 0.0;
  if (mean <= 0.0) return 1.0;
  const double a = k + 1.0;
  return mean < a + 1.0 ? 1.0 - lower_gamma_series(a, mean) : upper_gamma_fraction(a, mean);
}

double binomial_cdf(double k, double m, double p) {
  if (k < 0.0) return 0.0;
  if (k >= m) return 1.0;
  return incomplete_beta(m - k, k + 1.0, 1.0 - p);
}

arma::vec scale_weights(const Model& model, const Dataset& data) {
  require(model.experts.family == Family::t, "scale_weights", "scale weights are for t experts only");
  const Experts& t = model.experts;
  const arma::mat u = t_scale_weights(data.y, t.mean(data.X, data.offset), t.sigma, t.shape);
  return arma::sum(responsibilities(model, data) % u, 1);
}

double t_cdf(double t, double nu) {
  const double tail = 0.5 * incomplete_beta(0.5 * nu, 0.5, nu / (nu + t * t));
  return t > 0.0 ? 1.0 - tail : tail;
}

double gamma_cdf(double y, double mean, double shape) {
  if (y <= 0.0) return 0.0;
  const double x = shape * y / mean;  // Gamma(ν, rate ν/μ) at y is P(ν, ν y/μ)
  return x < shape + 1.0 ? lower_gamma_series(shape, x) : 1.0 - upper_gamma_fraction(shape, x);
}

double negbin_cdf(double k, double mean, double theta) {
  if (k < 0.0) return 0.0;
  if (mean <= 0.0) return 1.0;
  return incomplete_beta(theta, k + 1.0, theta / (theta + mean));
}

arma::vec predictive_cdf(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& y,
                         const arma::vec& offset, const arma::vec& trials) {
  require(y.n_elem == X.n_rows, "predictive_cdf", "y must have one value per row");
  const ExpertLaws law = laws(model, X, Z, offset, trials);
  arma::vec F(y.n_elem);
  for (arma::uword i = 0; i < y.n_elem; ++i) F(i) = mixture_cdf(model, law, i, y(i));
  return F;
}

arma::vec randomized_pit(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& y, Rng& rng,
                         const arma::vec& offset, const arma::vec& trials) {
  const arma::vec upper = predictive_cdf(model, X, Z, y, offset, trials);
  if (family_entry(model.experts.family).continuous) return upper;
  const arma::vec lower = predictive_cdf(model, X, Z, y - 1.0, offset, trials);
  arma::vec pit(y.n_elem);
  for (arma::uword i = 0; i < y.n_elem; ++i) pit(i) = lower(i) + rng.uniform() * (upper(i) - lower(i));
  return pit;
}

arma::mat predictive_quantiles(const Model& model, const arma::mat& X, const arma::mat& Z, const arma::vec& probs,
                               const arma::vec& offset, const arma::vec& trials) {
  require(probs.is_finite() && arma::all(probs > 0.0) && arma::all(probs < 1.0), "predictive_quantiles",
          "every probability must be in (0, 1)");
  const ExpertLaws law = laws(model, X, Z, offset, trials);
  arma::mat Q(X.n_rows, probs.n_elem);
  for (arma::uword i = 0; i < X.n_rows; ++i)
    for (arma::uword j = 0; j < probs.n_elem; ++j) Q(i, j) = mixture_quantile(model, law, i, probs(j));
  return Q;
}

}  // namespace moe
