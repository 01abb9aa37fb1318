// A teacher dataset shard (tera-synth read_shard_avatar): header, then float16 maps per avatar.
// The first input byte is the slot to read; the rest is the shard file.
#include "dataset.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto path =
      tera::fuzz::write_input("shard.bin", {reinterpret_cast<const char*>(data + 1), size - 1});
  tera::fuzz::refuse_or_read([&] { tera::synth::read_shard_avatar(path.string(), data[0]); });
  return 0;
}
