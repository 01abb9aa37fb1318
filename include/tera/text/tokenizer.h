// Prompt tokenisation with the model package's sentencepiece model: optional ASCII lower-casing
// (manifest tokenizer.lowercase), the model's own normalisation (a model converted from BERT's
// WordPiece vocabulary lower-cases, strips accents and splits punctuation in its normaliser and
// is segmented greedily as WordPiece is: docs/text-encoder.md), BOS + pieces + EOS, padded to
// the manifest's max length.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tera/text/tokenizer_spec.h"

namespace tera {

// One prompt's tokens, padded to the package's max length L.
struct TokenizedPrompt {
  std::vector<std::int64_t> tokens;  // [L] BOS, pieces, EOS, then pad_id
  std::vector<std::int64_t> mask;    // [L] 1 for real tokens (BOS..EOS), 0 for padding
  bool truncated = false;            // the prompt had more pieces than fit
};

class Tokenizer {
 public:
  // Loads `spec.file` from `package_dir`; throws ModelError naming the file when it cannot load.
  Tokenizer(const std::filesystem::path& package_dir, const TokenizerSpec& spec);
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Tokenises a user prompt. Empty (or all-whitespace) and non-UTF-8 prompts throw UsageError
  // naming `label` (e.g. "--prompt" or "prompts.txt line 7"). Over-long prompts are truncated to
  // L tokens (EOS kept) with a warning.
  TokenizedPrompt encode(const std::string& prompt, const std::string& label) const;
  // The unconditional input of classifier-free guidance: the empty prompt, BOS EOS + padding.
  TokenizedPrompt empty_prompt() const;
  int max_length() const { return spec_.max_length; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  TokenizerSpec spec_;
};

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool is_valid_utf8(const std::string& text);
// Lower-cases the ASCII letters A-Z, leaving every other byte as is (so UTF-8 stays valid).
std::string lowercase_ascii(std::string text);

}  // namespace tera
