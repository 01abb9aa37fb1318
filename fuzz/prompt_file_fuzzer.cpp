// read_prompt_file (tera batch --prompts). The first input byte chooses the kind: even, a text file
// (.txt); odd, JSONL (.jsonl); the rest is the file.
#include "support/fuzz_input.h"
#include "tera/generate/batch_items.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string name = (data[0] & 1) != 0 ? "prompts.jsonl" : "prompts.txt";
  const auto path =
      tera::fuzz::write_input(name, {reinterpret_cast<const char*>(data + 1), size - 1});
  tera::fuzz::refuse_or_read([&] { tera::read_prompt_file(path); });
  return 0;
}
