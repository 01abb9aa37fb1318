// A `tera generate` output folder read back (avatar.json + avatar.latent), so that its Gaussians
// can be decoded again with their texels and layers, e.g. for posing.
#pragma once

#include <filesystem>
#include <string>

#include "tera/generate/latent_io.h"
#include "tera/model/manifest.h"

namespace tera {

struct AvatarFolder {
  std::filesystem::path dir;
  std::string model_name;       // avatar.json model.name
  std::string manifest_sha256;  // avatar.json model.manifest_sha256: the exact package
  float min_opacity = 0.f;      // avatar.json min_opacity: what assembly dropped
  Latent latent;                // avatar.latent
};

// Throws InputError naming the folder, file or field when `dir` is not a tera output folder, and
// ModelError naming the field when it was made with another model package than `manifest`.
AvatarFolder read_avatar_folder(const std::filesystem::path& dir, const ModelManifest& manifest);

}  // namespace tera
