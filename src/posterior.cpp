#include "moe/posterior.hpp"

#include "moe/expert_mstep.hpp"

namespace moe {

std::unique_ptr<Posterior> Kernels::posterior(const Dataset& data) const {
  return std::make_unique<HostPosterior>(data, *this);
}

HostPosterior::HostPosterior(const Dataset& data, const Kernels& kernels) : data_(data), kernels_(kernels) {}

double HostPosterior::update(const Model& model) {
  double loglik = 0.0;
  R_ = moe::responsibilities(model, data_, &loglik, kernels_);
  stats_ = posterior_statistics(R_, data_.y);
  expert_sums_.emplace(data_.X, stats_, kernels_);
  gate_sums_.emplace(data_.Z, R_, kernels_);
  return loglik;
}

arma::vec HostPosterior::gradient(const Model& model) const { return gradient_at(model, data_, R_, kernels_); }

// value() throws std::bad_optional_access before the first update.
const ExpertSums& HostPosterior::expert_sums() const { return expert_sums_.value(); }

GateSums& HostPosterior::gate_sums() { return gate_sums_.value(); }

}  // namespace moe
