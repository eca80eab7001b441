// `moe nn-train`: train a network with sparse MoE (or dense) blocks on a real
// data set, print progress per epoch, write a JSON log and a checkpoint; or,
// with --arch transformer, a causal language model on the Austen novels.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "moe/backend.hpp"
#include "moe/error.hpp"
#include "moe/nn/checkpoint.hpp"
#include "moe/nn/language_training.hpp"
#include "moe/nn/trainer.hpp"
#include "nn_data.hpp"

namespace moe::cli {
namespace {

struct NnTrainArgs {
  NnDataArgs data;
  std::string router = "sigma", activation = "relu", device = "cpu", out, save, simsmoe_kernel = "linear",
              simsmoe_rule = "counted", precision = "fp32", arch = "mlp", positions = "both";
  nn::NetworkOptions network;
  nn::TrainOptions train;
  arma::uword heads = 4, steps = 1000, eval_every = 0;  // --arch transformer
  double dropout = 0.0;
  bool tie_weights = false, quiet = false, simsmoe_no_projection = false;
  CLI::Option *steps_option = nullptr, *epochs_option = nullptr, *positions_option = nullptr;
};

// SimSMoE's settings in a log's configuration.
void add_simsmoe_json(nlohmann::json& config, const NnTrainArgs& a, const nn::SimSMoEOptions& o) {
  config["simsmoe"] = o.alpha;
  config["simsmoe_threshold"] = o.threshold;
  config["simsmoe_kernel"] = a.simsmoe_kernel;
  config["simsmoe_sigma"] = o.cka.sigma;
  config["simsmoe_rule"] = a.simsmoe_rule;
  config["simsmoe_frequency"] = o.frequency;
  config["simsmoe_projection"] = o.rule == nn::SimSMoERule::counted && o.projection;
  config["simsmoe_pairs"] = o.pairs;
  config["simsmoe_tokens"] = o.tokens;
}

nlohmann::json config_json(const NnTrainArgs& a, arma::uword parameters) {
  const auto& n = a.network;
  nlohmann::json config = {{"data", a.data.name},        {"router", a.router},
          {"experts", n.moe.experts},   {"k", n.moe.router.k},
          {"expert_size", n.moe.expert_size}, {"activation", a.activation},
          {"width", n.width},           {"layers", n.blocks},
          {"expert_dropout", n.moe.router.expert_dropout}, {"balance", n.moe.router.balance},
          {"entropy", n.moe.router.entropy}, {"epochs", a.train.epochs},
          {"batch_size", a.train.batch_size}, {"learning_rate", a.train.learning_rate},
          {"weight_decay", a.train.adamw.weight_decay}, {"clip", a.train.clip},
          {"warmup", a.train.warmup},   {"seed", n.seed},
          {"ensemble", n.members},      {"flops_per_example", nn::flops_per_example(n)},
          {"device", a.device},         {"precision", a.precision},
          {"parameters", parameters}};
  add_simsmoe_json(config, a, n.moe.simsmoe);
  return config;
}

nlohmann::json epoch_json(const nn::EpochRecord& r) {
  nlohmann::json usage = nlohmann::json::array(), tokens = nlohmann::json::array();
  for (arma::uword l = 0; l < r.test.usage.n_cols; ++l) {
    usage.push_back(arma::conv_to<std::vector<double>>::from(r.test.usage.col(l)));
    tokens.push_back(arma::conv_to<std::vector<arma::uword>>::from(r.test.tokens.col(l)));
  }
  return {{"epoch", r.epoch},           {"train_loss", r.train_loss},
          {"auxiliary_loss", r.auxiliary_loss}, {"test_accuracy", r.test.accuracy},
          {"test_nll", r.test.nll},     {"test_nll_bits", r.test.nll / std::log(2.0)},
          {"expert_usage", usage},      {"tokens_per_expert", tokens},
          {"dropped_tokens", 0},        {"usage_entropy", r.test.usage_entropy},
          {"collapse", r.test.collapse}, {"seconds", r.seconds}};
}

void print_epoch(const nn::EpochRecord& r, arma::uword epochs) {
  std::printf("epoch %llu/%llu  train_loss %.4f  test_accuracy %.4f  test_nll %.4f (%.4f bits)  usage_entropy %.3f  "
              "collapse %.3f  %.1f s\n",
              static_cast<unsigned long long>(r.epoch), static_cast<unsigned long long>(epochs), r.train_loss,
              r.test.accuracy, r.test.nll, r.test.nll / std::log(2.0), r.test.usage_entropy, r.test.collapse, r.seconds);
  std::fflush(stdout);
}

template <class eT>
void train_network(NnTrainArgs& a, const NnData& data, std::ofstream& log);

template <class eT>
void train_transformer(NnTrainArgs& a, std::ofstream& log);

// What --arch transformer does not take (yet), refused by name.
void require_transformer_options(const NnTrainArgs& a) {
  const auto refuse = [](bool given, const std::string& what) {
    require(!given, "nn-train", what + " is not available with --arch transformer");
  };
  refuse(a.network.members != 1, "--ensemble");
  refuse(a.device != "cpu", "--device " + a.device);
  refuse(a.epochs_option->count() > 0, "--epochs (give --steps)");
}

void run_nn_train(NnTrainArgs& a) {
  a.network.block = a.router == "dense" ? nn::BlockKind::dense : nn::BlockKind::moe;
  if (a.router != "dense") a.network.moe.router.kind = nn::router_from_name(a.router);
  a.network.moe.activation = nn::activation_from_name(a.activation);
  a.network.moe.simsmoe.cka.kernel = nn::cka_kernel_from_name(a.simsmoe_kernel);
  a.network.moe.simsmoe.rule = nn::simsmoe_rule_from_name(a.simsmoe_rule);
  a.network.moe.simsmoe.projection = !a.simsmoe_no_projection;
  a.train.seed = a.network.seed;
  a.train.kernels = &nn::layer_kernels_for(a.device);
  if (a.arch == "transformer") require_transformer_options(a);
  else require(a.steps_option->count() == 0 && a.dropout == 0.0 && !a.tie_weights && a.positions_option->count() == 0,
               "nn-train", "--steps, --dropout, --tie-weights and --positions are for --arch transformer (the MLP "
               "trains by --epochs; its experts take --expert-dropout)");
  // Open outputs before the long work so that a bad path fails at once.
  std::ofstream log = a.out.empty() ? std::ofstream() : open_output(a.out, "nn-train");
  if (a.arch == "transformer") {
    if (a.precision == "fp32") return train_transformer<float>(a, log);
    return train_transformer<double>(a, log);
  }
  const NnData data = load_nn_data(a.data);
  a.network.inputs = data.train->features();
  a.network.classes = data.train->classes();
  if (a.precision == "fp32")
    train_network<float>(a, data, log);
  else
    train_network<double>(a, data, log);
}

template <class eT>
void train_network(NnTrainArgs& a, const NnData& data, std::ofstream& log) {
  nn::Network<eT> network(a.network);
  const arma::uword parameters = nn::parameter_count(network);
  if (!a.quiet)
    std::printf("%s: %llu training and %llu test examples, %llu parameters, device %s\n", a.data.name.c_str(),
                static_cast<unsigned long long>(data.train->size()), static_cast<unsigned long long>(data.test->size()),
                static_cast<unsigned long long>(parameters), a.train.kernels->name());
  std::fflush(stdout);
  nlohmann::json json = {{"config", config_json(a, parameters)}, {"epochs", nlohmann::json::array()}};
  a.train.on_epoch = [&](const nn::EpochRecord& r) {
    if (!a.quiet) print_epoch(r, a.train.epochs);
    json["epochs"].push_back(epoch_json(r));
    if (log.is_open()) {  // rewritten each epoch: a long run leaves a readable log
      log.seekp(0);
      log << json.dump(2) << '\n';
      log.flush();
    }
  };
  // Within long epochs, a progress line on standard error at most every 10 s.
  auto last = std::chrono::steady_clock::now();
  a.train.on_batch = [&](arma::uword epoch, arma::uword batch, arma::uword batches, double loss) {
    const auto now = std::chrono::steady_clock::now();
    if (a.quiet || batch == batches || now - last < std::chrono::seconds(10)) return;
    last = now;
    std::fprintf(stderr, "epoch %llu  batch %llu/%llu  train_loss %.4f\n", static_cast<unsigned long long>(epoch),
                 static_cast<unsigned long long>(batch), static_cast<unsigned long long>(batches), loss);
  };
  nn::train(network, *data.train, *data.test, a.train);
  if (!a.save.empty()) nn::save_checkpoint(network, a.save, split_notes(a.data));
}

// The log's configuration of a transformer run.
nlohmann::json transformer_config_json(const NnTrainArgs& a, const nn::LanguageModelOptions& o, arma::uword parameters) {
  nlohmann::json config = {{"data", a.data.name},          {"arch", "transformer"},       {"router", a.router},
          {"experts", o.moe.experts},     {"k", o.moe.router.k},         {"expert_size", o.moe.expert_size},
          {"activation", a.activation},   {"width", o.width},            {"layers", o.blocks},
          {"heads", o.heads},             {"context", o.context},        {"tie_weights", o.tie_weights}, {"dropout", o.dropout},
          {"positions", a.positions},       {"vocabulary", o.vocabulary},  {"expert_dropout", o.moe.router.expert_dropout},
          {"balance", o.moe.router.balance}, {"entropy", o.moe.router.entropy}, {"steps", a.steps},
          {"batch_size", a.train.batch_size}, {"learning_rate", a.train.learning_rate},
          {"weight_decay", a.train.adamw.weight_decay}, {"clip", a.train.clip}, {"warmup", a.train.warmup},
          {"seed", o.seed},               {"precision", a.precision},    {"parameters", parameters}};
  add_simsmoe_json(config, a, o.moe.simsmoe);
  return config;
}

template <class eT>
void train_transformer(NnTrainArgs& a, std::ofstream& log) {
  const NnText text = load_nn_text(a.data);
  nn::LanguageModelOptions o;
  o.vocabulary = text.vocabulary.size();
  o.context = a.data.context;
  o.width = a.network.width;
  o.heads = a.heads;
  o.blocks = a.network.blocks;
  o.block = a.network.block;
  o.moe = a.network.moe;
  o.tie_weights = a.tie_weights;
  o.positions = nn::positions_from_name(a.positions);
  o.dropout = a.dropout;
  o.seed = a.network.seed;
  nn::LanguageModel<eT> model(o);
  arma::uword parameters = 0;
  for (const nn::Parameter<eT>& p : model.parameters()) parameters += p.size;
  if (!a.quiet)
    std::printf("%s: %llu training and %llu test characters, context %llu, %llu parameters\n", a.data.name.c_str(),
                static_cast<unsigned long long>(text.train.n_elem), static_cast<unsigned long long>(text.test.n_elem),
                static_cast<unsigned long long>(o.context), static_cast<unsigned long long>(parameters));
  std::fflush(stdout);
  nn::LanguageTrainOptions t;
  t.steps = a.steps;
  t.batch_size = a.train.batch_size;
  t.learning_rate = a.train.learning_rate;
  t.warmup = a.train.warmup;
  t.clip = a.train.clip;
  t.adamw = a.train.adamw;
  t.seed = a.network.seed;
  t.kernels = a.train.kernels;
  t.eval_every = a.eval_every;
  t.eval_windows = a.data.test_size;
  nlohmann::json json = {{"config", transformer_config_json(a, o, parameters)}, {"records", nlohmann::json::array()}};
  t.on_record = [&](const nn::LanguageRecord& r) {
    const double bits = r.test_nll / std::log(2.0);
    if (!a.quiet)
      std::printf("step %llu/%llu  train_loss %.4f  test_nll %.4f (%.4f bits per character)  collapse %.3f  %.1f s\n",
                  static_cast<unsigned long long>(r.step), static_cast<unsigned long long>(a.steps), r.train_loss,
                  r.test_nll, bits, r.collapse, r.seconds);
    std::fflush(stdout);
    json["records"].push_back({{"step", r.step}, {"train_loss", r.train_loss}, {"auxiliary_loss", r.auxiliary_loss},
                               {"test_nll", r.test_nll}, {"test_bits_per_character", bits}, {"collapse", r.collapse},
                               {"seconds", r.seconds}});
    if (log.is_open()) {  // rewritten at each record: a long run leaves a readable log
      log.seekp(0);
      log << json.dump(2) << '\n';
      log.flush();
    }
  };
  nn::train_language_model(model, text.train, text.test, t);
  if (!a.save.empty()) nn::save_checkpoint(model, a.save);
}

}  // namespace

void add_nn_train_command(CLI::App& app) {
  auto a = std::make_shared<NnTrainArgs>();
  CLI::App* cmd = app.add_subcommand(
      "nn-train", "Train a classifier with sparse MoE blocks (or dense ones, --router dense) on a real data set; "
                  "prints loss, test accuracy and expert-usage entropy per epoch");
  add_nn_data_options(cmd, a->data);
  auto& n = a->network;
  auto& t = a->train;
  cmd->add_option("--router", a->router, "sigma (sigma-MoE), softmax (top-k, renormalized) or dense (baseline "
                                         "FFN with d_ff = experts * expert-size)")
      ->check(CLI::IsMember({"sigma", "softmax", "dense"}))->capture_default_str();
  cmd->add_option("--experts,-E", n.moe.experts, "Experts per MoE layer")
      ->check(count_between(1, 65536))->capture_default_str();
  cmd->add_option("--k", n.moe.router.k, "Experts per token")->check(count_between(1, 65536))->capture_default_str();
  cmd->add_option("--expert-size", n.moe.expert_size, "Hidden units per expert (G)")
      ->check(count_between(1, 1 << 20))->capture_default_str();
  cmd->add_option("--activation", a->activation, "relu or gelu")
      ->check(CLI::IsMember({"relu", "gelu"}))->capture_default_str();
  cmd->add_option("--width", n.width, "Width d of the residual stream")
      ->check(count_between(1, 1 << 20))->capture_default_str();
  cmd->add_option("--layers", n.blocks, "Residual blocks")->check(count_between(0, 1024))->capture_default_str();
  cmd->add_option("--expert-dropout", n.moe.router.expert_dropout, "Probability of removing a (token, expert) "
                                                                    "pair before top-k, training only")
      ->check(CLI::Range(0.0, 0.99))->capture_default_str();
  cmd->add_option("--balance", n.moe.router.balance, "Weight of the Switch load-balancing loss")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--entropy", n.moe.router.entropy, "Weight of the sigma-MoE entropy regularizer")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--simsmoe", n.moe.simsmoe.alpha, "SimSMoE: weight alpha of the CKA penalty on flagged "
                                                    "(co-selected) expert pairs (0: off)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--simsmoe-rule", a->simsmoe_rule, "SimSMoE: how pairs are flagged. counted (the authors' code): "
                                                     "a counter per pair adds each training batch's share of tokens "
                                                     "routed to both, the pair is flagged when it exceeds "
                                                     "--simsmoe-frequency and restarts from 0, and is compared on "
                                                     "the tokens routed to both through a trainable E-wide "
                                                     "projection; batch: the --simsmoe-pairs most co-selected "
                                                     "pairs of each batch, on the tokens routed to either")
      ->check(CLI::IsMember({"counted", "batch"}))->capture_default_str();
  cmd->add_option("--simsmoe-frequency", n.moe.simsmoe.frequency, "SimSMoE (counted): flag a pair when its counter "
                                                                  "exceeds this (the authors' scripts: 16)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_flag("--simsmoe-no-projection", a->simsmoe_no_projection,
                "SimSMoE (counted): compare the experts' outputs without the trainable projection");
  cmd->add_option("--simsmoe-tokens", n.moe.simsmoe.tokens, "SimSMoE: at most this many tokens per compared pair "
                                                            "(0: all)")
      ->check(count_between(0, 1 << 30))->capture_default_str();
  cmd->add_option("--simsmoe-threshold", n.moe.simsmoe.threshold, "SimSMoE: penalize only pairs with CKA above this")
      ->check(CLI::Range(0.0, 0.999))->capture_default_str();
  cmd->add_option("--simsmoe-kernel", a->simsmoe_kernel, "SimSMoE: CKA kernel, linear or rbf")
      ->check(CLI::IsMember({"linear", "rbf"}))->capture_default_str();
  cmd->add_option("--simsmoe-sigma", n.moe.simsmoe.cka.sigma, "SimSMoE: RBF bandwidth (0: median distance)")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--simsmoe-pairs", n.moe.simsmoe.pairs, "SimSMoE (batch): most co-selected pairs checked per batch")
      ->check(count_between(1, 1 << 20))->capture_default_str();
  cmd->add_option("--ensemble", n.members, "E3: ensemble members M, each routing inside its own E/M experts")
      ->check(count_between(1, 1024))->capture_default_str();
  a->epochs_option = cmd->add_option("--epochs", t.epochs, "Passes over the training set (--arch mlp)")
      ->check(count_between(1, 100000))->capture_default_str();
  cmd->add_option("--arch", a->arch, "mlp (a window of one-hot inputs, residual blocks) or transformer (austen: "
                                     "a causal byte-level language model whose blocks are causal self-attention "
                                     "then the FFN or MoE layer, learned positions, --context tokens)")
      ->check(CLI::IsMember({"mlp", "transformer"}))->capture_default_str();
  cmd->add_option("--heads", a->heads, "transformer: attention heads (--width must be a multiple)")
      ->check(count_between(1, 4096))->capture_default_str();
  a->steps_option = cmd->add_option("--steps", a->steps, "transformer: optimizer steps, each on --batch-size random "
                                                         "windows of --context + 1 characters")
      ->check(count_between(1, 1 << 30))->capture_default_str();
  cmd->add_option("--eval-every", a->eval_every, "transformer: steps between held-out scores (0: at the end; "
                                                 "--test-size windows, 0: all of Persuasion)")
      ->check(count_between(0, 1 << 30))->capture_default_str();
  cmd->add_flag("--tie-weights", a->tie_weights, "transformer: the head is the embedding's transpose");
  a->positions_option = cmd->add_option("--positions", a->positions, "transformer: learned (position vectors added to the input), alibi "
                                               "(a recency bias in attention, Press et al. 2022) or both")
      ->check(CLI::IsMember({"learned", "alibi", "both"}))->capture_default_str();
  cmd->add_option("--dropout", a->dropout, "transformer: residual dropout of every block (training only)")
      ->check(CLI::Range(0.0, 0.99))->capture_default_str();
  cmd->add_option("--batch-size", t.batch_size, "Examples per mini-batch")
      ->check(count_between(1, 1 << 24))->capture_default_str();
  cmd->add_option("--lr", t.learning_rate, "Peak learning rate (cosine schedule)")
      ->check(positive_number())->capture_default_str();
  cmd->add_option("--warmup", t.warmup, "Linear warm-up steps")->check(count_between(0, 1 << 30))->capture_default_str();
  cmd->add_option("--weight-decay", t.adamw.weight_decay, "AdamW weight decay")
      ->check(positive_number(true))->capture_default_str();
  cmd->add_option("--clip", t.clip, "Gradient norm limit (0: none)")->check(positive_number(true))->capture_default_str();
  cmd->add_option("--seed", n.seed, "Seed of the initialization, batch order and expert dropout")
      ->check(seed_number())->capture_default_str();
  cmd->add_option("--device", a->device, "cpu or cuda (when built with CUDA and a GPU is present)")
      ->capture_default_str();
  cmd->add_option("--precision", a->precision, "fp32 or fp64 (parameters, activations and gradients; fp64 is the "
                                               "reference of the gradient checks)")
      ->check(CLI::IsMember({"fp32", "fp64"}))->capture_default_str();
  cmd->add_option("--out,-o", a->out, "Write the JSON log here (rewritten after every epoch)");
  cmd->add_option("--save", a->save, "Write the trained network (checkpoint) here");
  cmd->add_flag("--quiet,-q", a->quiet, "Print nothing");
  cmd->callback([a] { run_nn_train(*a); });
}

}  // namespace moe::cli
