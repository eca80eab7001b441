#include "moe/nn/optimizer.hpp"

#include <cmath>

namespace moe::nn {

AdamW::AdamW(std::vector<Parameter> parameters, const AdamWOptions& options)
    : parameters_(std::move(parameters)), options_(options) {
  for (const Parameter& p : parameters_) {
    m_.emplace_back(p.size, arma::fill::zeros);
    v_.emplace_back(p.size, arma::fill::zeros);
  }
}

void AdamW::step(double lr) {
  ++t_;
  const double c1 = 1.0 - std::pow(options_.beta1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(options_.beta2, static_cast<double>(t_));
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    const Parameter& p = parameters_[i];
    const double decay = p.decay ? 1.0 - lr * options_.weight_decay : 1.0;
    for (arma::uword j = 0; j < p.size; ++j) {
      const double g = p.grad[j];
      m_[i](j) = options_.beta1 * m_[i](j) + (1.0 - options_.beta1) * g;
      v_[i](j) = options_.beta2 * v_[i](j) + (1.0 - options_.beta2) * g * g;
      p.value[j] = decay * p.value[j] - lr * (m_[i](j) / c1) / (std::sqrt(v_[i](j) / c2) + options_.eps);
    }
  }
}

double cosine_learning_rate(double base, arma::uword step, arma::uword total, arma::uword warmup) {
  if (step < warmup) return base * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (total <= warmup) return base;
  const double progress = static_cast<double>(step - warmup) / static_cast<double>(total - warmup);
  return 0.5 * base * (1.0 + std::cos(M_PI * std::min(progress, 1.0)));
}

double clip_gradients(const std::vector<Parameter>& parameters, double max_norm) {
  double squared = 0.0;
  for (const Parameter& p : parameters)
    for (arma::uword j = 0; j < p.size; ++j) squared += p.grad[j] * p.grad[j];
  const double norm = std::sqrt(squared);
  if (max_norm > 0.0 && norm > max_norm)
    for (const Parameter& p : parameters)
      for (arma::uword j = 0; j < p.size; ++j) p.grad[j] *= max_norm / norm;
  return norm;
}

}  // namespace moe::nn
