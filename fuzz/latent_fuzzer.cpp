// read_latent (avatar.latent, for tera edit and interpolate), then what is done with every latent
// read: its SHA-256 over the bytes it would be written as.
#include "support/fuzz_input.h"
#include "tera/generate/latent_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path =
      tera::fuzz::write_input("avatar.latent", {reinterpret_cast<const char*>(data), size});
  tera::fuzz::refuse_or_read([&] {
    const tera::Latent latent = tera::read_latent(path);
    tera::latent_sha256(latent);
  });
  return 0;
}
