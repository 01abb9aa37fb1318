// How a model package's prompts are tokenised (manifest "tokenizer"; docs/model-package.md).
#pragma once

#include <string>

namespace tera {

struct TokenizerSpec {
  std::string file;
  int max_length = 0;  // L: tokens per prompt including BOS and EOS
  bool lowercase = true;
  int bos_id = -1, eos_id = -1, pad_id = 0;
};

}  // namespace tera
