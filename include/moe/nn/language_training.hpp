#pragma once
/// @file language_training.hpp
/// Training a LanguageModel on a text of token codes, seeded (two runs with the
/// same options give the same bits). Every step draws B windows of T + 1
/// consecutive tokens at uniform random offsets, predicts tokens 2 .. T + 1
/// from 1 .. T at every position, and takes one AdamW step (training_step.hpp)
/// under the cosine schedule with warm-up and gradient clipping. The held-out
/// score is the mean negative log-likelihood per token over the test text's
/// non-overlapping windows.

#include <functional>

#include "moe/nn/language_model.hpp"
#include "moe/nn/optimizer.hpp"

namespace moe::nn {

struct LanguageRecord {
  arma::uword step = 0;          ///< steps done (1-based)
  double train_loss = 0.0;       ///< mean cross-entropy (nats) of the steps since the last record
  double auxiliary_loss = 0.0;   ///< their mean weighted auxiliary loss
  double seconds = 0.0;          ///< training time since the start (evaluations excluded)
  double test_nll = 0.0;         ///< nats per token on the held-out text
  double collapse = 0.0;         ///< language_collapse() then (0 with dense blocks)
};

struct LanguageTrainOptions {
  arma::uword steps = 1000;
  arma::uword batch_size = 32;   ///< windows per step
  double learning_rate = 1e-3;   ///< peak of the cosine schedule
  arma::uword warmup = 0;        ///< linear warm-up steps
  double clip = 1.0;             ///< global gradient norm limit (≤ 0: none)
  AdamWOptions adamw;
  std::uint64_t seed = 1;        ///< window offsets and expert dropout
  const LayerKernels* kernels = &cpu_layer_kernels();
  arma::uword eval_every = 0;    ///< steps between records (0: one record, at the end)
  arma::uword eval_windows = 0;  ///< held-out windows scored (0: all)
  std::function<void(const LanguageRecord&)> on_record;
};

/// Trains `model` in place on `train` (codes below its vocabulary, at least
/// T + 1 of them), scoring it on `test`; returns the records.
template <class eT>
std::vector<LanguageRecord> train_language_model(LanguageModel<eT>& model, const arma::uvec& train,
                                                 const arma::uvec& test, const LanguageTrainOptions& options);

/// The mean collapse score (linear CKA of the experts' outputs) of the MoE
/// layers on the inputs that the first windows of `text` (256 tokens at most,
/// one window at least) give them; 0 with dense blocks.
template <class eT>
double language_collapse(LanguageModel<eT>& model, const arma::uvec& text, const LayerKernels& kernels);

/// Calls visit(inputs, targets) on the first `windows` non-overlapping windows
/// of T + 1 tokens of `text` (0: all), `batch` windows at a time (inputs: their
/// tokens 1 .. T, targets: 2 .. T + 1, window by window); returns how many
/// windows there were.
arma::uword for_each_window_batch(const arma::uvec& text, arma::uword T, arma::uword windows, arma::uword batch,
                                  const std::function<void(const arma::uvec&, const arma::uvec&)>& visit);

/// Mean negative log-likelihood per token (nats) of `text` under `model`, over
/// its first `windows` non-overlapping windows of T + 1 tokens (0: all),
/// `batch` windows at a time.
template <class eT>
double language_nll(LanguageModel<eT>& model, const arma::uvec& text, const LayerKernels& kernels,
                    arma::uword windows = 0, arma::uword batch = 64);

}  // namespace moe::nn
