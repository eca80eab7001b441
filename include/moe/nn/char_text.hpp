#pragma once
/// @file char_text.hpp
/// Next-character prediction from a fixed context, byte-level: example i of a
/// text predicts byte i + c from bytes i .. i + c − 1, the input being the c
/// one-hot codes side by side (built per mini-batch). The corpus shipped is
/// Jane Austen's six novels (datasets/austen): the first five train, the
/// sixth (Persuasion) is held out.

#include <array>
#include <string>
#include <vector>

#include "moe/nn/examples.hpp"

namespace moe::nn {

/// The distinct bytes of a corpus, numbered in byte order.
class Vocabulary {
 public:
  explicit Vocabulary(const std::vector<std::string>& texts);
  arma::uword size() const { return bytes_.size(); }
  bool contains(unsigned char b) const;
  /// The code of byte b; throws std::invalid_argument when b is not in it.
  arma::uword code(unsigned char b) const;
  /// The byte of code c; throws std::invalid_argument when c ≥ size().
  unsigned char byte(arma::uword c) const;

 private:
  std::vector<unsigned char> bytes_;
  std::array<arma::uword, 256> code_{};
};

/// The codes of `text`'s bytes (throws as Vocabulary::code for a byte not in it).
arma::uvec encode(const std::string& text, const Vocabulary& vocabulary);

/// The bytes of `codes` (throws as Vocabulary::byte for a code not in it).
std::string decode(const arma::uvec& codes, const Vocabulary& vocabulary);

class CharContexts : public Examples {
 public:
  /// Examples of `text` with `context` bytes each; the first `limit` of them
  /// (0: all).
  CharContexts(const std::string& text, const Vocabulary& vocabulary, arma::uword context, arma::uword limit = 0);
  arma::uword size() const override { return size_; }
  arma::uword features() const override { return context_ * vocabulary_size_; }
  arma::uword classes() const override { return vocabulary_size_; }
  arma::mat inputs(const arma::uvec& rows) const override;
  arma::uvec labels(const arma::uvec& rows) const override { return codes_.elem(rows + context_); }

 private:
  arma::uvec codes_;
  arma::uword context_, vocabulary_size_, size_;
};

/// The novels' file names under datasets/austen, in publication order.
std::vector<std::string> austen_novels();

/// Text of every novel (lines joined with '\n') read from `dir`
/// (datasets/austen); throws std::invalid_argument naming a missing file.
std::vector<std::string> load_austen(const std::string& dir);

}  // namespace moe::nn
