#pragma once
/// @file posterior.hpp
/// The E-step and what is computed from its responsibilities, behind one
/// interface so that an estimator runs the same way whether the responsibilities
/// live on the host (HostPosterior) or on a device next to the data (the CUDA
/// backend's, created by Kernels::posterior()): an iteration then moves only
/// parameter-sized vectors and scalars between host and device.

#include <memory>
#include <optional>

#include "moe/data.hpp"
#include "moe/expert_sums.hpp"
#include "moe/gate_sums.hpp"
#include "moe/model.hpp"

namespace moe {

class Posterior {
 public:
  virtual ~Posterior() = default;

  /// E-step: the responsibilities r_ik of `model`, kept until the next update.
  /// Returns ℓ(model).
  virtual double update(const Model& model) = 0;

  /// ∇ℓ at `model`, which must be the model of the last update (as gradient_at).
  virtual arma::vec gradient(const Model& model) const = 0;

  /// The experts' sums for EM's statistics w = r, s1 = r·y, s2 = r·y², with
  /// r_ik times the observation's weight when the data are weighted.
  virtual const ExpertSums& expert_sums() const = 0;

  /// The gate's sums for the targets T = R (rows times the weights, if any).
  virtual GateSums& gate_sums() = 0;
};

/// Responsibilities as an n×K matrix on the host; keeps a reference to `data`.
class HostPosterior final : public Posterior {
 public:
  HostPosterior(const Dataset& data, const Kernels& kernels);

  double update(const Model& model) override;
  arma::vec gradient(const Model& model) const override;
  const ExpertSums& expert_sums() const override;
  GateSums& gate_sums() override;

  /// R (n×K) of the last update.
  const arma::mat& responsibilities() const { return R_; }

 private:
  // R, or R with rows times the weights.
  const arma::mat& targets() const { return data_.weights.is_empty() ? R_ : weighted_R_; }

  const Dataset& data_;
  const Kernels& kernels_;
  arma::mat R_;
  arma::mat weighted_R_;  // when the data are weighted
  arma::mat group_weighted_R_;  // when grouped: the gate's targets (a group counts once)
  // The sums of the last update: the experts' made when first asked for, the
  // gate's holding the update's gate softmax.
  mutable ExpertStatistics stats_;
  mutable std::optional<HostExpertSums> expert_sums_;
  std::optional<HostGateSums> gate_sums_;
};

}  // namespace moe
