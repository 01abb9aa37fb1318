// Prints what the runtime's tokenizer (tera::Tokenizer, through the sentencepiece shim) makes of
// prompts, for tokenizer_runtime_test.py to compare with the Python side.
//
//   test_tokenizer_ids DIR MODEL MAX_LENGTH PROMPTS.jsonl OUT.jsonl
//
// Each line of PROMPTS.jsonl is one prompt as a JSON string; each line of OUT.jsonl is
// {"tokens": [...], "mask": [...], "truncated": bool} with BERT's layout ([CLS] 101, [SEP] 102,
// [PAD] 0).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "tera/core/error.h"
#include "tera/text/tokenizer.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: test_tokenizer_ids DIR MODEL MAX_LENGTH PROMPTS.jsonl OUT.jsonl\n";
    return 2;
  }
  try {
    tera::TokenizerSpec spec;
    spec.file = argv[2];
    spec.max_length = std::atoi(argv[3]);
    spec.lowercase = false;  // the model's normaliser lower-cases
    spec.bos_id = 101;
    spec.eos_id = 102;
    spec.pad_id = 0;
    const tera::Tokenizer tokenizer(argv[1], spec);
    std::ifstream in(argv[4]);
    std::ofstream out(argv[5]);  // not stdout: the tokenizer logs its truncation warnings there
    if (!in || !out) throw tera::Error(std::string("cannot open ") + argv[4] + " or " + argv[5]);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      const auto prompt = nlohmann::json::parse(line).get<std::string>();
      const auto t = tokenizer.encode(prompt, "line " + std::to_string(number));
      out << nlohmann::json{{"tokens", t.tokens}, {"mask", t.mask}, {"truncated", t.truncated}}
                 .dump()
          << '\n';
    }
    if (!out.flush()) throw tera::Error(std::string("cannot write ") + argv[5]);
  } catch (const std::exception& e) {
    std::cerr << "test_tokenizer_ids: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
