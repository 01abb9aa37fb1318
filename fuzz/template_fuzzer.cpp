// read_avatar_template (a model package's template.bin). Header layout in
// src/decode/avatar_template_io.cpp: payload size at byte 40 (uint32), CRC-32 at byte 44.
#include "support/checksummed.h"
#include "support/fuzz_input.h"
#include "tera/decode/avatar_template.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr tera::fuzz::ChecksumFields kFields{48, 40, 4, 44};  // the template's 48-byte header
  const auto path =
      tera::fuzz::write_input("template.bin", tera::fuzz::checksummed_file(data, size, kFields));
  tera::fuzz::refuse_or_read([&] { tera::read_avatar_template(path); });
  return 0;
}
