#include "moe/nn/optimizer.hpp"

#include <cmath>

namespace moe::nn {

template <class eT>
AdamW<eT>::AdamW(std::vector<Parameter<eT>> parameters, const AdamWOptions& options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const Parameter<eT>& p : parameters_) {
    m_.emplace_back(p.size, arma::fill::zeros);
    v_.emplace_back(p.size, arma::fill::zeros);
  }
}

template <class eT>
void AdamW<eT>::step(double lr) {
  ++t_;
  const eT c1 = static_cast<eT>(1.0 - std::pow(options_.beta1, static_cast<double>(t_)));
  const eT c2 = static_cast<eT>(1.0 - std::pow(options_.beta2, static_cast<double>(t_)));
  const eT b1 = static_cast<eT>(options_.beta1), b2 = static_cast<eT>(options_.beta2);
  const eT rate = static_cast<eT>(lr), eps = static_cast<eT>(options_.eps);
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter<eT>& p = parameters_[i];
    const eT decay = static_cast<eT>(p.decay ? 1.0 - lr * options_.weight_decay : 1.0);
    for (arma::uword j = 0; j < p.size; ++j) {
      const eT g = p.grad[j];
      m_[i](j) = b1 * m_[i](j) + (eT(1) - b1) * g;
      v_[i](j) = b2 * v_[i](j) + (eT(1) - b2) * g * g;
      p.value[j] = decay * p.value[j] - rate * (m_[i](j) / c1) / (std::sqrt(v_[i](j) / c2) + eps);
    }
  }
}

double cosine_learning_rate(double base, arma::uword step, arma::uword total, arma::uword warmup) {
  if (step < warmup) return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (total <= warmup) return base;
  const double progress = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
  return 0.5 * base * (1.0 + std::cos(M_PI * std::min(progress, 1.0)));
}

template <class eT>
double clip_gradients(const std::vector<Parameter<eT>>& parameters, double max_norm) {
  double squared = 0.0;
  for (const Parameter<eT>& p : parameters)
    for (arma::uword j = 0; j < p.size; ++j) squared += static_cast<double>(p.grad[j]) * p.grad[j];
  const double norm = std::sqrt(squared);
  if (max_norm > 0.0 && norm > max_norm)
    for (const Parameter<eT>& p : parameters)
      for (arma::uword j = 0; j < p.size; ++j) p.grad[j] *= static_cast<eT>(max_norm / norm);
  return norm;
}

template class AdamW<double>;
template class AdamW<float>;
template double clip_gradients(const std::vector<Parameter<double>>&, double);
template double clip_gradients(const std::vector<Parameter<float>>&, double);

}  // namespace moe::nn
