// avatar.latent: the sampled latent of an avatar, so edit and interpolate can start from it.
// Layout (little-endian): magic "TERALATN" (8 bytes), uint32 version (1), uint32 rank (3),
// uint32 dims[rank] = C, h, w, then C*h*w float32 values, row-major. Nothing follows.
#pragma once

#include <filesystem>
#include <vector>

namespace tera {

constexpr unsigned kLatentFileVersion = 1;  // bump on any layout change

struct Latent {
  int channels = 0, height = 0, width = 0;
  std::vector<float> values;  // [C, h, w]
};

// Writes through a temporary file and an atomic rename.
void write_latent(const std::filesystem::path& path, const Latent& latent);
// Throws InputError naming the file, the byte offset and what was expected.
Latent read_latent(const std::filesystem::path& path);

}  // namespace tera
