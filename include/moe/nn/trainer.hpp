#pragma once
/// @file trainer.hpp
/// Mini-batch training of a Network with AdamW, a cosine schedule and gradient
/// clipping, seeded (two runs with the same options give the same bits), with an
/// evaluation after every epoch.

#include <functional>

#include "moe/nn/examples.hpp"
#include "moe/nn/network.hpp"
#include "moe/nn/optimizer.hpp"

namespace moe::nn {

/// How a trained network does on a set of examples.
struct Evaluation {
  double accuracy = 0.0;
  double nll = 0.0;        ///< mean negative log-likelihood (nats)
  arma::umat tokens;       ///< E×(MoE layers): tokens routed to each expert (none is dropped)
  arma::mat usage;         ///< E×(MoE layers): share of routed pairs per expert
  double usage_entropy = 0.0;  ///< mean over layers of H(usage)/log E: 1 = uniform
  double collapse = 0.0;  ///< mean over layers of the collapse score (linear CKA) on the first 256 examples
};

struct EpochRecord {
  arma::uword epoch = 0;        ///< 1-based
  double train_loss = 0.0;      ///< mean cross-entropy over the epoch's batches (and members)
  double auxiliary_loss = 0.0;  ///< mean weighted auxiliary loss
  double seconds = 0.0;         ///< training time of the epoch (evaluation excluded)
  Evaluation test;
};

struct TrainOptions {
  arma::uword epochs = 5;
  arma::uword batch_size = 128;
  double learning_rate = 1e-3;  ///< peak of the cosine schedule
  arma::uword warmup = 0;       ///< linear warm-up steps
  double clip = 1.0;            ///< global gradient norm limit (≤ 0: none)
  AdamWOptions adamw;
  std::uint64_t seed = 1;       ///< batch order and expert dropout
  const LayerKernels* kernels = &cpu_layer_kernels();
  arma::uword eval_batch = 1000;
  std::function<void(const EpochRecord&)> on_epoch;  ///< called after each epoch
  /// Called after each mini-batch: epoch, batch (1-based), batches per epoch,
  /// mean training loss of the epoch so far (for progress reports).
  std::function<void(arma::uword, arma::uword, arma::uword, double)> on_batch;
};

/// Trains `network` in place; returns one record per epoch.
template <class eT>
std::vector<EpochRecord> train(Network<eT>& network, const Examples& train_set, const Examples& test_set,
                               const TrainOptions& options);

/// Class probabilities, the members' mean (inference: no dropout).  Returns size()×classes().
template <class eT>
arma::mat predict_probabilities(Network<eT>& network, const Examples& examples, const LayerKernels& kernels,
                                arma::uword batch = 1000);

/// Accuracy, NLL and expert usage on `examples`.
template <class eT>
Evaluation evaluate(Network<eT>& network, const Examples& examples, const LayerKernels& kernels, arma::uword batch = 1000);

}  // namespace moe::nn
