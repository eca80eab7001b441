// `moe nn-eval`: evaluate saved networks on a data set's test split: one
// network, a deep ensemble of several (mean probabilities), or one network
// with SCMoE's self-contrast inference.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "moe/backend.hpp"
#include "moe/error.hpp"
#include "moe/nn/checkpoint.hpp"
#include "moe/nn/generation.hpp"
#include "moe/nn/loss.hpp"
#include "moe/nn/scmoe.hpp"
#include "moe/nn/language_training.hpp"
#include "moe/nn/trainer.hpp"
#include "nn_data.hpp"

namespace moe::cli {
namespace {

struct NnEvalArgs {
  NnDataArgs data;
  std::vector<std::string> checkpoints;
  std::string device = "cpu", out;
  bool scmoe = false;
  nn::SCMoEOptions scmoe_options;
  arma::uword generate = 0;  // transformer: greedy tokens after the prompt
  std::string prompt = "Sir Walter Elliot, of Kellynch Hall";  // the held-out novel's first words
};

// What the evaluation accumulates over the networks of an ensemble.
struct Ensemble {
  arma::mat probs;  // mean class probabilities
  double flops = 0.0;
  nlohmann::json scmoe;
};

template <class eT>
nlohmann::json scmoe_json(nn::Network<eT>& network, const nn::Examples& test, const NnEvalArgs& a,
                          const nn::LayerKernels& kernels) {
  const nn::SCMoEOptions& o = a.scmoe_options;
  const nn::SCMoEEvaluation s = nn::evaluate_scmoe(network, test, o, kernels);
  std::printf("scmoe (beta %.3g, alpha %.3g, strong top-%llu, weak rank %llu): accuracy %.4f vs top-%llu %.4f, "
              "coverage %.4f, latency ratio %.2f\n",
              o.beta, o.alpha, static_cast<unsigned long long>(o.strong_k),
              static_cast<unsigned long long>(o.weak_rank), s.accuracy, static_cast<unsigned long long>(o.strong_k),
              s.strong_accuracy, s.coverage, s.seconds / s.strong_seconds);
  return {{"beta", o.beta},                     {"alpha", o.alpha},
          {"strong_k", o.strong_k},             {"weak_rank", o.weak_rank},
          {"accuracy", s.accuracy},             {"strong_accuracy", s.strong_accuracy},
          {"coverage", s.coverage},             {"seconds", s.seconds},
          {"strong_seconds", s.strong_seconds}, {"latency_ratio", s.seconds / s.strong_seconds}};
}

// Adds the network saved at `path` (precision eT) to the ensemble.
template <class eT>
void add_member(Ensemble& ensemble, const std::string& path, const nn::Examples& test, const NnEvalArgs& a,
                const nn::LayerKernels& kernels) {
  auto network = nn::load_checkpoint<eT>(path);
  const nn::NetworkOptions& o = network->options();
  require(test.features() == o.inputs && test.classes() == o.classes, "nn-eval",
          "'" + path + "' takes " + std::to_string(o.inputs) + " inputs and " + std::to_string(o.classes) +
              " classes, unlike " + a.data.name);
  ensemble.probs += nn::predict_probabilities(*network, test, kernels) / static_cast<double>(a.checkpoints.size());
  ensemble.flops += nn::flops_per_example(o);
  if (a.scmoe) ensemble.scmoe = scmoe_json(*network, test, a, kernels);
}

// SCMoE on the next characters of the held-out text, against the strong pass.
template <class eT>
nlohmann::json language_scmoe_json(nn::LanguageModel<eT>& model, const arma::uvec& test, const NnEvalArgs& a,
                                   const nn::LayerKernels& kernels) {
  const nn::SCMoEOptions& o = a.scmoe_options;
  const nn::LanguageSCMoEEvaluation s = nn::evaluate_language_scmoe(model, test, o, kernels, a.data.test_size);
  std::printf("scmoe (beta %.3g, alpha %.3g, strong top-%llu, weak rank %llu): next-character accuracy %.4f vs "
              "top-%llu %.4f; coverage %.4f; bits per character on the covered %.4f vs top-%llu %.4f (all: %.4f); "
              "latency ratio %.2f\n",
              o.beta, o.alpha, static_cast<unsigned long long>(o.strong_k),
              static_cast<unsigned long long>(o.weak_rank), s.accuracy, static_cast<unsigned long long>(o.strong_k),
              s.strong_accuracy, s.coverage, s.bits, static_cast<unsigned long long>(o.strong_k), s.strong_bits_covered,
              s.strong_bits, s.seconds / s.strong_seconds);
  return {{"beta", o.beta},
          {"alpha", o.alpha},
          {"strong_k", o.strong_k},
          {"weak_rank", o.weak_rank},
          {"positions", s.positions},
          {"accuracy", s.accuracy},
          {"strong_accuracy", s.strong_accuracy},
          {"coverage", s.coverage},
          {"bits_per_character_covered", s.bits},
          {"strong_bits_per_character_covered", s.strong_bits_covered},
          {"strong_bits_per_character", s.strong_bits},
          {"seconds", s.seconds},
          {"strong_seconds", s.strong_seconds},
          {"latency_ratio", s.seconds / s.strong_seconds}};
}

// Greedy continuations of the prompt: the model's own routing, and SCMoE's
// scores with --scmoe.
template <class eT>
nlohmann::json generation_json(nn::LanguageModel<eT>& model, const NnText& text, const NnEvalArgs& a,
                               const nn::LayerKernels& kernels) {
  for (const char c : a.prompt)
    require(text.vocabulary.contains(static_cast<unsigned char>(c)), "nn-eval",
            "--prompt has the byte " + std::to_string(static_cast<unsigned char>(c)) +
                ", which the model never saw (it knows the bytes of the Austen novels)");
  const arma::uvec prompt = nn::encode(a.prompt, text.vocabulary);
  const auto continuation = [&](const nn::SCMoEOptions* scmoe) {
    const arma::uvec all = nn::generate_greedy(model, prompt, a.generate, kernels, scmoe);
    return nn::decode(all.tail(a.generate), text.vocabulary);
  };
  const std::string plain = continuation(nullptr);
  std::printf("prompt: %s\ngreedy: %s\n", nn::decode(prompt, text.vocabulary).c_str(), plain.c_str());
  nlohmann::json json = {{"prompt", nn::decode(prompt, text.vocabulary)}, {"tokens", a.generate}, {"greedy", plain}};
  if (a.scmoe) {
    json["scmoe"] = continuation(&a.scmoe_options);
    std::printf("scmoe:  %s\n", json["scmoe"].get<std::string>().c_str());
  }
  return json;
}

// A transformer language model saved by nn-train: held-out nats and bits per
// character over --test-size windows of Persuasion (0: all); SCMoE against the
// strong pass with --scmoe; greedy text with --generate.
template <class eT>
void evaluate_language_model(const NnEvalArgs& a, const nn::LayerKernels& kernels, std::ofstream& out) {
  const std::unique_ptr<nn::LanguageModel<eT>> model = nn::load_language_model<eT>(a.checkpoints.front());
  const NnText text = load_nn_text(a.data);
  require(text.vocabulary.size() == model->options().vocabulary, "nn-eval",
          "the model has a vocabulary of " + std::to_string(model->options().vocabulary) + " codes, the text " +
              std::to_string(text.vocabulary.size()));
  require(!a.scmoe || model->options().block == nn::BlockKind::moe, "nn-eval",
          "--scmoe contrasts routings of MoE blocks; this model's blocks are dense");
  const double nll = nn::language_nll(*model, text.test, kernels, a.data.test_size);
  const arma::uword T = model->options().context;
  const arma::uword windows = a.data.test_size == 0 ? (text.test.n_elem - 1) / T
                                                    : std::min(a.data.test_size, (text.test.n_elem - 1) / T);
  std::printf("test_nll %.4f (%.4f bits per character)  (%llu windows of %llu characters)\n", nll, nll / std::log(2.0),
              static_cast<unsigned long long>(windows), static_cast<unsigned long long>(T));
  nlohmann::json json = {{"checkpoints", a.checkpoints}, {"data", a.data.name}, {"arch", "transformer"},
                         {"windows", windows},           {"context", T},       {"test_nll", nll},
                         {"test_bits_per_character", nll / std::log(2.0)}};
  if (a.scmoe) json["scmoe"] = language_scmoe_json(*model, text.test, a, kernels);
  if (a.generate > 0) json["generation"] = generation_json(*model, text, a, kernels);
  // Generated bytes need not be valid UTF-8 (a character's bytes cut apart): such bytes become U+FFFD.
  if (out.is_open()) out << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

void run_nn_eval(const NnEvalArgs& a) {
  const nn::LayerKernels& kernels = nn::layer_kernels_for(a.device);
  if (nn::checkpoint_model(a.checkpoints.front()) == "transformer") {
    require(a.checkpoints.size() == 1, "nn-eval", "a transformer checkpoint is evaluated alone (no ensemble)");
    std::ofstream out = a.out.empty() ? std::ofstream() : open_output(a.out, "nn-eval");
    if (nn::checkpoint_precision(a.checkpoints.front()) == "fp32") return evaluate_language_model<float>(a, kernels, out);
    return evaluate_language_model<double>(a, kernels, out);
  }
  require(a.generate == 0, "nn-eval", "--generate needs a transformer checkpoint");
  require(!a.scmoe || a.checkpoints.size() == 1, "nn-eval", "--scmoe evaluates one network, not an ensemble");
  for (const auto& path : a.checkpoints) {  // a bad file or another split fails before the data loads
    nn::checkpoint_precision(path);
    require_same_split(path, a.data);
  }
  std::ofstream out = a.out.empty() ? std::ofstream() : open_output(a.out, "nn-eval");
  const NnData data = load_nn_data(a.data, false);
  const nn::Examples& test = *data.test;
  Ensemble ensemble{arma::mat(test.size(), test.classes(), arma::fill::zeros), 0.0, {}};
  for (const auto& path : a.checkpoints) {
    if (nn::checkpoint_precision(path) == "fp32")
      add_member<float>(ensemble, path, test, a, kernels);
    else
      add_member<double>(ensemble, path, test, a, kernels);
  }
  const auto s = nn::score_probabilities(ensemble.probs, test.labels(arma::regspace<arma::uvec>(0, test.size() - 1)));
  std::printf("test_accuracy %.4f  test_nll %.4f (%.4f bits)  ece %.4f  flops_per_example %.4g  (%llu networks, "
              "%llu examples)\n",
              s.accuracy, s.nll, s.nll / std::log(2.0), s.ece, ensemble.flops,
              static_cast<unsigned long long>(a.checkpoints.size()), static_cast<unsigned long long>(test.size()));
  nlohmann::json json = {{"checkpoints", a.checkpoints}, {"data", a.data.name},  {"examples", test.size()},
                         {"test_accuracy", s.accuracy},  {"test_nll", s.nll},    {"test_nll_bits", s.nll / std::log(2.0)},
                         {"ece", s.ece},                 {"flops_per_example", ensemble.flops}};
  if (a.scmoe) json["scmoe"] = ensemble.scmoe;
  if (out.is_open()) out << json.dump(2) << '\n';
}

}  // namespace

void add_nn_eval_command(CLI::App& app) {
  auto a = std::make_shared<NnEvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "nn-eval", "Evaluate networks saved by `moe nn-train --save` on the test split: accuracy, NLL, calibration "
                 "error (15 bins), FLOPs; several -c form a deep ensemble (mean probabilities); --scmoe compares "
                 "self-contrast inference with plain top-k. A transformer checkpoint: held-out bits per character, "
                 "--scmoe on next-character prediction, --generate N for greedy decoding");
  cmd->add_option("--checkpoint,-c", a->checkpoints, "Saved network (repeat for an ensemble)")->required();
  add_nn_data_options(cmd, a->data);
  cmd->add_flag("--scmoe", a->scmoe, "Also run SCMoE self-contrast inference");
  cmd->add_option("--scmoe-beta", a->scmoe_options.beta, "SCMoE contrast strength beta")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--scmoe-alpha", a->scmoe_options.alpha, "SCMoE plausibility threshold alpha")
      ->check(CLI::Range(1e-12, 1.0))->capture_default_str();
  cmd->add_option("--scmoe-k", a->scmoe_options.strong_k, "SCMoE strong pass: top-k")
      ->check(count_between(1, 65536))->capture_default_str();
  cmd->add_option("--scmoe-rank", a->scmoe_options.weak_rank, "SCMoE weak pass: the single expert of this rank")
      ->check(count_between(1, 65536))->capture_default_str();
  cmd->add_option("--generate", a->generate, "Transformer: print this many greedily decoded characters after "
                                             "the prompt (with --scmoe, also SCMoE's)")
      ->check(count_between(1, 1000000));
  cmd->add_option("--prompt", a->prompt, "Transformer, with --generate: the text to continue; its bytes must be in "
                                         "the novels' vocabulary")
      ->capture_default_str();
  cmd->add_option("--device", a->device, "cpu or cuda")->capture_default_str();
  cmd->add_option("--out,-o", a->out, "Write the results as JSON here");
  cmd->callback([a] { run_nn_eval(*a); });
}

}  // namespace moe::cli
