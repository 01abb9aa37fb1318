// read_avatar_folder (tera animate, edit, interpolate read a generate output folder): avatar.json
// and avatar.latent. The input is the JSON, then "\n#latent\n", then the latent's bytes; without
// the separator the folder has no avatar.latent. The package it is checked against is fixed.
#include "support/fuzz_input.h"
#include "tera/generate/avatar_folder.h"

namespace {

tera::ModelManifest fuzz_package() {
  tera::ModelManifest manifest;
  manifest.dir = "fuzz-package";
  manifest.name = "fuzz";
  manifest.manifest_sha256 = std::string(64, '0');  // what the seed corpus's avatar.json names
  manifest.latent_shape = {4, 8};                   // what the seed corpus's avatar.latent holds
  return manifest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tera::ModelManifest manifest = fuzz_package();
  const auto parts = tera::fuzz::split_input(data, size, "\n#latent\n");
  tera::fuzz::write_input("avatar.json", parts.first);
  if (parts.found) {
    tera::fuzz::write_input("avatar.latent", parts.second);
  } else {
    tera::fuzz::remove_input("avatar.latent");
  }
  tera::fuzz::refuse_or_read(
      [&] { tera::read_avatar_folder(tera::fuzz::input_folder(), manifest); });
  return 0;
}
