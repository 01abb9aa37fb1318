// A `tera generate` (or edit, interpolate) output folder read back (avatar.json + avatar.latent),
// so that its Gaussians can be decoded again with their texels and layers (posing), and its latent
// edited or interpolated with its history carried on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "tera/generate/avatar_history.h"
#include "tera/generate/latent_io.h"
#include "tera/model/manifest.h"

namespace tera {

struct AvatarFolder {
  std::filesystem::path dir;
  std::string model_name;       // avatar.json model.name
  std::string manifest_sha256;  // avatar.json model.manifest_sha256: the exact package
  float min_opacity = 0.f;      // avatar.json min_opacity: what assembly dropped
  std::string prompt;  // avatar.json prompt, seed, steps, guidance, sampler: how it was generated
  std::uint64_t seed = 0;
  int steps = 0;
  float guidance = 0.f;
  std::string sampler;
  AvatarHistory history;      // avatar.json edits and interpolation
  Latent latent;              // avatar.latent
  std::string latent_sha256;  // of avatar.latent's bytes
};

// Throws InputError naming the folder, file or field when `dir` is not a tera output folder, and
// ModelError naming the field when it was made with another model package than `manifest`.
AvatarFolder read_avatar_folder(const std::filesystem::path& dir, const ModelManifest& manifest);

}  // namespace tera
