#include "moe/posterior.hpp"

#include "moe/error.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/grouping.hpp"

namespace moe {

std::unique_ptr<Posterior> Kernels::posterior(const Dataset& data) const {
  return std::make_unique<HostPosterior>(data, *this);
}

HostPosterior::HostPosterior(const Dataset& data, const Kernels& kernels) : data_(data), kernels_(kernels) {}

// The gate's softmax goes to the gate's sums, whose first objective() is at
// the same coefficients.
double HostPosterior::update(const Model& model) {
  GateEvaluation gate(data_.Z, model.gate.coef, kernels_);
  const double loglik = e_step(data_, gate.log_probs(),
                               model.experts.log_density(data_.X, data_.y, data_.offset, data_.trials), kernels_, R_);
  if (!data_.weights.is_empty()) weighted_R_ = data_.weighted(R_);
  if (data_.grouped()) group_weighted_R_ = data_.group_weighted(R_);
  expert_sums_.reset();  // made on demand: gradient descent and mirror descent never ask for them
  gate_sums_.emplace(data_.Z, data_.grouped() ? group_weighted_R_ : targets(), kernels_, std::move(gate));
  return loglik;
}

arma::vec HostPosterior::gradient(const Model& model) const { return gradient_at(model, data_, R_, kernels_); }

const ExpertSums& HostPosterior::expert_sums() const {
  require(!R_.is_empty(), "HostPosterior::expert_sums", "update first");
  if (!expert_sums_) {
    stats_ = posterior_statistics(targets(), data_.y, data_.trials);
    expert_sums_.emplace(data_.X, data_.offset, stats_, kernels_);
  }
  return *expert_sums_;
}

GateSums& HostPosterior::gate_sums() {
  require(gate_sums_.has_value(), "HostPosterior::gate_sums", "update first");
  return *gate_sums_;
}

}  // namespace moe
