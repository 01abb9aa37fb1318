// avatar.latent: the sampled latent of an avatar, so edit and interpolate can start from it.
// Layout (little-endian): magic "TERALATN" (8 bytes), uint32 version (1), uint32 rank (1..4),
// uint32 dims[rank] (the model's latent.shape, e.g. T, C), then prod(dims) float32 values,
// row-major. Nothing follows.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tera {

constexpr unsigned kLatentFileVersion = 1;  // bump on any layout change
constexpr unsigned kMaxLatentFileRank = 4;  // the manifest's latent.shape has rank 1..4

struct Latent {
  std::vector<int> shape;     // e.g. [T, C]; every dimension 1..65536
  std::vector<float> values;  // [prod(shape)], row-major
};

// "[4, 16]": how shapes are written in messages.
std::string shape_text(const std::vector<int>& shape);

// The bytes of avatar.latent for `latent`; throws Error naming `path` when the shape and values
// disagree.
std::string latent_file_bytes(const Latent& latent, const std::filesystem::path& path);
// Lower-case hex SHA-256 of those bytes: what avatar.json's "latent_sha256" and an edit's
// "source_latent_sha256" name.
std::string latent_sha256(const Latent& latent);
// Writes through a temporary file and an atomic rename.
void write_latent(const std::filesystem::path& path, const Latent& latent);
// Throws InputError naming the file, the byte offset and what was expected.
Latent read_latent(const std::filesystem::path& path);
// As above, and throws InputError naming the file when its shape is not `expected` (the model's
// latent.shape; `model` names the package in the message).
Latent read_latent(const std::filesystem::path& path, const std::vector<int>& expected,
                   const std::string& model);

}  // namespace tera
