#include "moe/selection.hpp"

#include <algorithm>

#include "moe/error.hpp"

namespace moe {

Criterion parse_criterion(const std::string& name) {
  if (name == "aic") return Criterion::aic;
  if (name == "bic") return Criterion::bic;
  if (name == "icl") return Criterion::icl;
  throw std::invalid_argument("moe::parse_criterion(): unknown criterion '" + name + "' (aic, bic or icl)");
}

std::string to_string(Criterion criterion) {
  switch (criterion) {
    case Criterion::aic: return "aic";
    case Criterion::bic: return "bic";
    case Criterion::icl: return "icl";
  }
  return "";
}

double icl(const Fit& fit, const Dataset& data) {
  // the largest responsibility of a row is at least 1/K: its log is finite;
  // with groups a group's entropy counts once
  const arma::mat map = arma::max(responsibilities(fit.model, data), 1);
  return fit.bic - 2.0 * arma::accu(data.group_weighted(arma::log(map)));
}

const arma::vec& Selection::values() const {
  switch (criterion) {
    case Criterion::aic: return aic;
    case Criterion::icl: return icl;
    case Criterion::bic: break;
  }
  return bic;
}

Selection select_experts(const Method& method, const Dataset& data, const std::vector<arma::uword>& candidates,
                         Family family, bool common_sigma, Criterion criterion,
                         const std::function<void(arma::uword K)>& on_candidate) {
  require(!candidates.empty(), "select_experts", "no candidate K");
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    require(candidates[i] >= 1, "select_experts", "every K must be at least 1");
    require(std::find(candidates.begin(), candidates.begin() + i, candidates[i]) == candidates.begin() + i,
            "select_experts", "K = " + std::to_string(candidates[i]) + " is listed twice");
  }
  validate(data, family, *std::max_element(candidates.begin(), candidates.end()));  // before any work
  Selection s;
  s.criterion = criterion;
  s.K = candidates;
  const arma::uword m = candidates.size();
  s.aic.set_size(m);
  s.bic.set_size(m);
  s.icl.set_size(m);
  for (arma::uword i = 0; i < m; ++i) {
    if (on_candidate) on_candidate(candidates[i]);
    s.fits.push_back(method.fit(data, candidates[i], family, common_sigma));
    s.aic(i) = s.fits.back().aic;
    s.bic(i) = s.fits.back().bic;
    s.icl(i) = moe::icl(s.fits.back(), data);
  }
  s.best = s.values().index_min();
  return s;
}

}  // namespace moe
