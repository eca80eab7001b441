#include "moe/nn/char_text.hpp"

#include "gzip.hpp"
#include "moe/error.hpp"

namespace moe::nn {

Vocabulary::Vocabulary(const std::vector<std::string>& texts) {
  std::array<bool, 256> seen{};
  for (const std::string& t : texts)
    for (unsigned char b : t) seen[b] = true;
  for (int b = 0; b < 256; ++b)
    if (seen[b]) {
      code_[b] = bytes_.size();
      bytes_.push_back(static_cast<unsigned char>(b));
    }
}

bool Vocabulary::contains(unsigned char b) const { return code_[b] < bytes_.size() && bytes_[code_[b]] == b; }

arma::uword Vocabulary::code(unsigned char b) const {
  require(contains(b), "Vocabulary::code",
          "byte " + std::to_string(b) + " is not in the vocabulary");
  return code_[b];
}

unsigned char Vocabulary::byte(arma::uword code) const {
  require(code < bytes_.size(), "Vocabulary::byte", "code " + std::to_string(code) + " is not in the vocabulary");
  return bytes_[code];
}

std::string decode(const arma::uvec& codes, const Vocabulary& vocabulary) {
  std::string text(codes.n_elem, '\0');
  for (arma::uword i = 0; i < codes.n_elem; ++i) text[i] = static_cast<char>(vocabulary.byte(codes(i)));
  return text;
}

arma::uvec encode(const std::string& text, const Vocabulary& vocabulary) {
  arma::uvec codes(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) codes(i) = vocabulary.code(static_cast<unsigned char>(text[i]));
  return codes;
}

CharContexts::CharContexts(const std::string& text, const Vocabulary& vocabulary, arma::uword context,
                           arma::uword limit)
    : codes_(encode(text, vocabulary)), context_(context), vocabulary_size_(vocabulary.size()) {
  require(context >= 1 && text.size() > context, "CharContexts", "the text must be longer than the context");
  size_ = text.size() - context;
  require(limit <= size_, "CharContexts",
          "asked for " + std::to_string(limit) + " examples but the text has " + std::to_string(size_));
  if (limit > 0) size_ = limit;
}

arma::mat CharContexts::inputs(const arma::uvec& rows) const {
  arma::mat X(rows.n_elem, features(), arma::fill::zeros);
  for (arma::uword r = 0; r < rows.n_elem; ++r)
    for (arma::uword j = 0; j < context_; ++j) X(r, j * vocabulary_size_ + codes_(rows(r) + j)) = 1.0;
  return X;
}

std::vector<std::string> austen_novels() {
  return {"sense_and_sensibility", "pride_and_prejudice", "mansfield_park",
          "emma",                  "northanger_abbey",    "persuasion"};
}

std::vector<std::string> load_austen(const std::string& dir) {
  std::vector<std::string> texts;
  for (const std::string& novel : austen_novels()) {
    const auto bytes = read_gzip(dir + "/" + novel + ".txt.gz", "load_austen",
                                 "the novels ship in datasets/austen; see datasets/export_austen.R");
    texts.emplace_back(bytes.begin(), bytes.end());
  }
  return texts;
}

}  // namespace moe::nn
