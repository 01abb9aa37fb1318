// read_gaussians on one format, chosen by TERA_FUZZ_EXTENSION (".ply", ".splat", ".glb"): the same
// path a user's file takes, dispatch by extension included.
#include "support/fuzz_input.h"
#include "tera/io/gaussian_io.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tera::fuzz::silence_logging();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = tera::fuzz::write_input(std::string("input") + TERA_FUZZ_EXTENSION,
                                            {reinterpret_cast<const char*>(data), size});
  tera::fuzz::refuse_or_read([&] { tera::read_gaussians(path); });
  return 0;
}
