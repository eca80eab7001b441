#include "moe/nn/language_training.hpp"

#include <algorithm>
#include <chrono>
#include <string>

#include "moe/error.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/training_step.hpp"

namespace moe::nn {
namespace {

// The inputs (tokens at the offsets' windows 1 .. T) and targets (2 .. T + 1)
// of windows starting at `offsets`, sequence by sequence.
void windows_at(const arma::uvec& text, const arma::uvec& offsets, arma::uword T, arma::uvec& inputs,
                arma::uvec& targets) {
  inputs.set_size(offsets.n_elem * T);
  targets.set_size(offsets.n_elem * T);
  for (arma::uword b = 0; b < offsets.n_elem; ++b) {
    inputs.subvec(b * T, (b + 1) * T - 1) = text.subvec(offsets(b), offsets(b) + T - 1);
    targets.subvec(b * T, (b + 1) * T - 1) = text.subvec(offsets(b) + 1, offsets(b) + T);
  }
}

}  // namespace

arma::uword for_each_window_batch(const arma::uvec& text, arma::uword T, arma::uword windows, arma::uword batch,
                                  const std::function<void(const arma::uvec&, const arma::uvec&)>& visit) {
  require(text.n_elem > T, "for_each_window_batch", "the text must have more than " + std::to_string(T) + " tokens");
  require(batch >= 1, "for_each_window_batch", "the batch must hold at least one window");
  arma::uword count = (text.n_elem - 1) / T;
  if (windows > 0) count = std::min(count, windows);
  arma::uvec inputs, targets;
  for (arma::uword first = 0; first < count; first += batch) {
    const arma::uword last = std::min(count, first + batch);
    windows_at(text, arma::regspace<arma::uvec>(first, last - 1) * T, T, inputs, targets);
    visit(inputs, targets);
  }
  return count;
}

template <class eT>
double language_nll(LanguageModel<eT>& model, const arma::uvec& text, const LayerKernels& kernels, arma::uword windows,
                    arma::uword batch) {
  const Pass pass = inference_pass(kernels);
  double total = 0.0;
  const arma::uword count = for_each_window_batch(
      text, model.options().context, windows, batch, [&](const arma::uvec& inputs, const arma::uvec& targets) {
        total += cross_entropy(model.forward(inputs, pass), targets) * static_cast<double>(targets.n_elem);
      });
  return total / static_cast<double>(count * model.options().context);
}

template <class eT>
double language_collapse(LanguageModel<eT>& model, const arma::uvec& text, const LayerKernels& kernels) {
  const arma::uword T = model.options().context;
  const arma::uword windows = std::max<arma::uword>(1, 256 / T);
  model.forward(text.head(std::min(windows, text.n_elem / T) * T), inference_pass(kernels));
  return mean_collapse_score(model.moe_layers());
}

template <class eT>
std::vector<LanguageRecord> train_language_model(LanguageModel<eT>& model, const arma::uvec& train,
                                                 const arma::uvec& test, const LanguageTrainOptions& options) {
  const arma::uword T = model.options().context;
  require(train.n_elem > T && test.n_elem > T, "train_language_model",
          "the training and test texts must have more than " + std::to_string(T) + " tokens (the context)");
  require(options.steps >= 1 && options.batch_size >= 1, "train_language_model", "steps and batch size must be at least 1");
  Rng rng(options.seed);
  const std::vector<Parameter<eT>> params = model.parameters();
  AdamW<eT> optimizer(params, options.adamw);
  const Pass pass = training_pass(rng, *options.kernels);
  const arma::uword every = options.eval_every == 0 ? options.steps : options.eval_every;
  std::vector<LanguageRecord> records;
  LanguageRecord record;
  double seconds = 0.0;
  arma::uword since = 0;
  arma::uvec offsets(options.batch_size), inputs, targets;
  for (arma::uword step = 0; step < options.steps; ++step) {
    const auto start = std::chrono::steady_clock::now();
    offsets.imbue([&] { return rng.index(train.n_elem - T); });
    windows_at(train, offsets, T, inputs, targets);
    double auxiliary = 0.0;
    record.train_loss += descend(model, inputs, targets, pass, params, optimizer,
                                 cosine_learning_rate(options.learning_rate, step, options.steps, options.warmup),
                                 options.clip, auxiliary, "at step " + std::to_string(step + 1));
    record.auxiliary_loss += auxiliary;
    ++since;
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if ((step + 1) % every != 0 && step + 1 != options.steps) continue;
    record.step = step + 1;
    record.train_loss /= static_cast<double>(since);
    record.auxiliary_loss /= static_cast<double>(since);
    record.seconds = seconds;
    record.test_nll = language_nll(model, test, *options.kernels, options.eval_windows);
    record.collapse = language_collapse(model, test, *options.kernels);
    if (options.on_record) options.on_record(record);
    records.push_back(record);
    record = LanguageRecord{};
    since = 0;
  }
  return records;
}

template double language_collapse(LanguageModel<double>&, const arma::uvec&, const LayerKernels&);
template double language_collapse(LanguageModel<float>&, const arma::uvec&, const LayerKernels&);
template double language_nll<double>(LanguageModel<double>&, const arma::uvec&, const LayerKernels&, arma::uword, arma::uword);
template double language_nll<float>(LanguageModel<float>&, const arma::uvec&, const LayerKernels&, arma::uword, arma::uword);
template std::vector<LanguageRecord> train_language_model<double>(LanguageModel<double>&, const arma::uvec&,
                                                                  const arma::uvec&, const LanguageTrainOptions&);
template std::vector<LanguageRecord> train_language_model<float>(LanguageModel<float>&, const arma::uvec&,
                                                                 const arma::uvec&, const LanguageTrainOptions&);

}  // namespace moe::nn
