#include "moe/posterior.hpp"

#include "moe/error.hpp"
#include "moe/expert_mstep.hpp"

namespace moe {

std::unique_ptr<Posterior> Kernels::posterior(const Dataset& data) const {
  return std::make_unique<HostPosterior>(data, *this);
}

HostPosterior::HostPosterior(const Dataset& data, const Kernels& kernels) : data_(data), kernels_(kernels) {}

double HostPosterior::update(const Model& model) {
  double loglik = 0.0;
  R_ = moe::responsibilities(model, data_, &loglik, kernels_);
  expert_sums_.reset();  // made on demand: gradient descent and mirror descent never ask for them
  gate_sums_.reset();
  return loglik;
}

arma::vec HostPosterior::gradient(const Model& model) const { return gradient_at(model, data_, R_, kernels_); }

const ExpertSums& HostPosterior::expert_sums() const {
  require(!R_.is_empty(), "HostPosterior::expert_sums", "update first");
  if (!expert_sums_) {
    stats_ = posterior_statistics(R_, data_.y);
    expert_sums_.emplace(data_.X, stats_, kernels_);
  }
  return *expert_sums_;
}

GateSums& HostPosterior::gate_sums() {
  require(!R_.is_empty(), "HostPosterior::gate_sums", "update first");
  if (!gate_sums_) gate_sums_.emplace(data_.Z, R_, kernels_);
  return *gate_sums_;
}

}  // namespace moe
