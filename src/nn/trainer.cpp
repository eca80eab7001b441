#include "moe/nn/trainer.hpp"

#include <chrono>
#include <cmath>

#include "moe/error.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/training_step.hpp"

namespace moe::nn {
namespace {

// A random permutation of 0..n-1 (Fisher–Yates on the moe::Rng stream).
arma::uvec shuffled(arma::uword n, Rng& rng) {
  arma::uvec order = arma::regspace<arma::uvec>(0, n - 1);
  for (arma::uword i = n; i > 1; --i) std::swap(order(i - 1), order(rng.index(i)));
  return order;
}

// Runs `visit(rows)` on consecutive batches of `order`.
template <class Visit>
void for_each_batch(const arma::uvec& order, arma::uword batch, Visit visit) {
  for (arma::uword start = 0; start < order.n_elem; start += batch)
    visit(order.subvec(start, std::min(order.n_elem, start + batch) - 1));
}

// The inputs of `rows` in the network's element type.
template <class eT>
Mat<eT> inputs_of(const Examples& examples, const arma::uvec& rows) {
  return arma::conv_to<Mat<eT>>::from(examples.inputs(rows));
}

double normalized_entropy(const arma::vec& share) {
  if (share.n_elem < 2) return 1.0;
  double h = 0.0;
  for (double s : share)
    if (s > 0.0) h -= s * std::log(s);
  return h / std::log(static_cast<double>(share.n_elem));
}

}  // namespace

template <class eT>
std::vector<EpochRecord> train(Network<eT>& network, const Examples& train_set, const Examples& test_set,
                               const TrainOptions& options) {
  require(train_set.size() > 0 && test_set.size() > 0, "train", "the training and test sets must not be empty");
  require(train_set.features() == network.options().inputs && test_set.features() == network.options().inputs,
          "train", "the examples have " + std::to_string(train_set.features()) +
                       " features but the network expects " + std::to_string(network.options().inputs));
  require(options.batch_size >= 1 && options.epochs >= 1, "train", "batch size and epochs must be at least 1");
  Rng rng(options.seed);
  const std::vector<Parameter<eT>> params = network.parameters();
  AdamW<eT> optimizer(params, options.adamw);
  const arma::uword steps_per_epoch = (train_set.size() + options.batch_size - 1) / options.batch_size;
  const arma::uword total_steps = steps_per_epoch * options.epochs;
  const Pass pass = training_pass(rng, *options.kernels);
  arma::uword step = 0;
  std::vector<EpochRecord> records;
  for (arma::uword epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    EpochRecord record;
    record.epoch = epoch;
    arma::uword batch = 0;
    for_each_batch(shuffled(train_set.size(), rng), options.batch_size, [&](const arma::uvec& rows) {
      const arma::uvec labels = arma::repmat(train_set.labels(rows), network.options().members, 1);
      double auxiliary = 0.0;
      ++batch;
      record.train_loss += descend(network, inputs_of<eT>(train_set, rows), labels, pass, params, optimizer,
                                   cosine_learning_rate(options.learning_rate, step++, total_steps, options.warmup),
                                   options.clip, auxiliary,
                                   "in epoch " + std::to_string(epoch) + ", batch " + std::to_string(batch));
      record.auxiliary_loss += auxiliary;
      if (options.on_batch) options.on_batch(epoch, batch, steps_per_epoch, record.train_loss / batch);
    });
    record.train_loss /= static_cast<double>(steps_per_epoch);
    record.auxiliary_loss /= static_cast<double>(steps_per_epoch);
    record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    record.test = evaluate(network, test_set, *options.kernels, options.eval_batch);
    if (options.on_epoch) options.on_epoch(record);
    records.push_back(record);
  }
  return records;
}

template <class eT>
arma::mat predict_probabilities(Network<eT>& network, const Examples& examples, const LayerKernels& kernels,
                                arma::uword batch) {
  arma::mat P(examples.size(), examples.classes());
  const Pass pass = inference_pass(kernels);
  for_each_batch(arma::regspace<arma::uvec>(0, examples.size() - 1), batch, [&](const arma::uvec& rows) {
    P.rows(rows.front(), rows.back()) =
        arma::exp(arma::conv_to<arma::mat>::from(network.log_probabilities(inputs_of<eT>(examples, rows), pass)));
  });
  return P;
}

template <class eT>
Evaluation evaluate(Network<eT>& network, const Examples& examples, const LayerKernels& kernels, arma::uword batch) {
  const auto layers = network.moe_layers();
  Evaluation ev;
  ev.tokens.zeros(network.options().moe.experts, layers.size());
  const Pass pass = inference_pass(kernels);
  double correct = 0.0;
  for_each_batch(arma::regspace<arma::uvec>(0, examples.size() - 1), batch, [&](const arma::uvec& rows) {
    const arma::mat log_p = arma::conv_to<arma::mat>::from(network.log_probabilities(inputs_of<eT>(examples, rows), pass));
    const arma::uvec labels = examples.labels(rows);
    for (arma::uword i = 0; i < rows.n_elem; ++i) ev.nll -= log_p(i, labels(i));
    correct += arma::accu(arma::index_max(log_p, 1) == labels);
    for (std::size_t l = 0; l < layers.size(); ++l)
      ev.tokens.col(l) += arma::diff(layers[l]->router.decision().routing.offsets);
  });
  // Collapse score on a probe batch: the first (up to) 256 examples.
  network.forward(inputs_of<eT>(examples, arma::regspace<arma::uvec>(0, std::min<arma::uword>(256, examples.size()) - 1)),
                  pass);
  ev.collapse = mean_collapse_score(layers);
  const double n = static_cast<double>(examples.size());
  ev.accuracy = correct / n;
  ev.nll /= n;
  ev.usage = arma::conv_to<arma::mat>::from(ev.tokens);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    ev.usage.col(l) /= arma::accu(ev.usage.col(l));
    ev.usage_entropy += normalized_entropy(ev.usage.col(l)) / static_cast<double>(layers.size());
  }
  return ev;
}

template std::vector<EpochRecord> train(Network<double>&, const Examples&, const Examples&, const TrainOptions&);
template std::vector<EpochRecord> train(Network<float>&, const Examples&, const Examples&, const TrainOptions&);
template arma::mat predict_probabilities(Network<double>&, const Examples&, const LayerKernels&, arma::uword);
template arma::mat predict_probabilities(Network<float>&, const Examples&, const LayerKernels&, arma::uword);
template Evaluation evaluate(Network<double>&, const Examples&, const LayerKernels&, arma::uword);
template Evaluation evaluate(Network<float>&, const Examples&, const LayerKernels&, arma::uword);

}  // namespace moe::nn
