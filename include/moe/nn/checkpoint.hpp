#pragma once
/// @file checkpoint.hpp
/// Saving a trained Network or LanguageModel (its options and every
/// parameter, in binary, in its own precision) and loading it back bit for bit.

#include <map>
#include <memory>
#include <string>

#include "moe/nn/language_model.hpp"
#include "moe/nn/network.hpp"

namespace moe::nn {

/// Writes `network` to `path`; throws std::invalid_argument when it cannot.
/// `notes`: more header fields (keys and values without blanks), such as how
/// the training data were split, for checkpoint_note().
template <class eT>
void save_checkpoint(Network<eT>& network, const std::string& path,
                     const std::map<std::string, std::string>& notes = {});

/// Writes a language model (language_model.hpp) to `path`, as above; its
/// header says "model transformer".
template <class eT>
void save_checkpoint(LanguageModel<eT>& model, const std::string& path,
                     const std::map<std::string, std::string>& notes = {});

/// "mlp" (a Network) or "transformer" (a LanguageModel): what `path` holds.
std::string checkpoint_model(const std::string& path);

/// "fp64" or "fp32": the precision of the network saved at `path`.
std::string checkpoint_precision(const std::string& path);

/// The header field `key` of the checkpoint at `path` (a note given to
/// save_checkpoint), or empty when it has none.
std::string checkpoint_note(const std::string& path, const std::string& key);

/// The network saved at `path` (saved in the same precision eT); throws
/// std::invalid_argument naming the path and the problem when the file is
/// missing, truncated, not a checkpoint or of the other precision.
template <class eT>
std::unique_ptr<Network<eT>> load_checkpoint(const std::string& path);

/// The language model saved at `path`, with the same checks.
template <class eT>
std::unique_ptr<LanguageModel<eT>> load_language_model(const std::string& path);

}  // namespace moe::nn
