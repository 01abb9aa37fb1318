// Reading and writing Gaussian files: INRIA .ply, antimatter15 .splat, Niantic .spz (v3),
// glTF .glb with KHR_gaussian_splatting. The format follows the file extension.
#pragma once

#include <filesystem>
#include <string>

#include "tera/core/frame.h"
#include "tera/core/gaussian_set.h"

namespace tera {

enum class GaussianFormat { kPly, kSplat, kSpz, kGlb };

// From the extension (.ply, .splat, .spz, .glb; case-insensitive); throws UsageError otherwise.
GaussianFormat format_from_path(const std::filesystem::path& path);
const char* format_name(GaussianFormat format);
// The frame a format stores by default: kYDown for .ply and .splat, kYUp for .spz and .glb.
Frame default_frame(GaussianFormat format);

struct ReadOptions {
  Frame frame = Frame::kAuto;  // the file's frame; kAuto = default_frame(format)
};

struct WriteOptions {
  Frame frame = Frame::kAuto;  // the frame to store; kAuto = default_frame(format)
  int sh_degree = -1;  // degree to store; -1 = the set's own (clamped to what the format holds)
};

// Reads any supported file into the in-memory frame. Non-finite Gaussians are dropped (and said).
// Throws InputError naming the file, the byte offset or header line, and what was expected.
GaussianSet read_gaussians(const std::filesystem::path& path, const ReadOptions& options = {});

// Writes through a temporary file and an atomic rename. Non-finite Gaussians are dropped first.
void write_gaussians(const GaussianSet& set, const std::filesystem::path& path,
                     const WriteOptions& options = {});

}  // namespace tera
