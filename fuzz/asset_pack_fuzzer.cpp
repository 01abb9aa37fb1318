// The teacher's asset pack (tera-synth read_pack). Header layout in
// tools/synth/src/asset_pack_io.cpp: payload size at byte 16 (uint64), CRC-32 at byte 24.
#include "asset_pack.h"
#include "support/checksummed.h"
#include "support/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr tera::fuzz::ChecksumFields kFields{32, 16, 8, 24};  // the pack's 32-byte header
  const auto path =
      tera::fuzz::write_input("assets.pack", tera::fuzz::checksummed_file(data, size, kFields));
  tera::fuzz::refuse_or_read([&] { tera::synth::read_pack(path.string()); });
  return 0;
}
