// read_gaussians on .spz. An .spz file is one gzip stream; mutated gzip rarely inflates, so the
// first input byte chooses: even, the rest is the file itself (the gzip layer is fuzzed); odd, the
// rest is the decompressed content, compressed here with the writer's own gzip (the spz parser is
// fuzzed).
#include "io/gzip.h"
#include "support/fuzz_input.h"
#include "tera/io/gaussian_io.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tera::fuzz::silence_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) != 0) bytes = tera::gzip_compress(bytes, "fuzz input");
  const auto path = tera::fuzz::write_input("input.spz", bytes);
  tera::fuzz::refuse_or_read([&] { tera::read_gaussians(path); });
  return 0;
}
