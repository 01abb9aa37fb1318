// Dispatch by file extension, plus what every format shares: validation, SH-degree clamping,
// frame conversion and atomic writing.
#include "tera/io/gaussian_io.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "io/formats.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/core/file_text.h"

namespace tera {
namespace {

// The highest SH degree a format can hold.
int max_sh_degree(GaussianFormat format) {
  return format == GaussianFormat::kSplat ? 0 : kMaxShDegree;
}

}  // namespace

GaussianFormat format_from_path(const std::filesystem::path& path) {
  const std::string ext = lower_extension(path);
  if (ext == ".ply") return GaussianFormat::kPly;
  if (ext == ".splat") return GaussianFormat::kSplat;
  if (ext == ".spz") return GaussianFormat::kSpz;
  if (ext == ".glb") return GaussianFormat::kGlb;
  throw UsageError(path.string() + ": unknown Gaussian file extension '" + ext +
                   "'; expected .ply, .splat, .spz or .glb");
}

const char* format_name(GaussianFormat format) {
  switch (format) {
    case GaussianFormat::kPly: return "ply";
    case GaussianFormat::kSplat: return "splat";
    case GaussianFormat::kSpz: return "spz";
    case GaussianFormat::kGlb: return "glb";
  }
  return "?";
}

Frame default_frame(GaussianFormat format) {
  switch (format) {
    case GaussianFormat::kPly:
    case GaussianFormat::kSplat: return Frame::kYDown;
    case GaussianFormat::kSpz:
    case GaussianFormat::kGlb: return Frame::kYUp;
  }
  return Frame::kYUp;
}

GaussianSet read_gaussians(const std::filesystem::path& path, const ReadOptions& options) {
  const GaussianFormat format = format_from_path(path);
  const std::string source = path.string();
  const std::string bytes = read_file(path);
  GaussianSet set;
  switch (format) {
    case GaussianFormat::kPly: set = decode_ply(bytes, source); break;
    case GaussianFormat::kSplat: set = decode_splat(bytes, source); break;
    case GaussianFormat::kSpz: set = decode_spz(bytes, source); break;
    case GaussianFormat::kGlb: set = decode_glb(bytes, source); break;
  }
  set.check_consistent();
  const Frame file_frame = options.frame == Frame::kAuto ? default_frame(format) : options.frame;
  convert_frame(set, file_frame, Frame::kYUp);
  validate_gaussians(set, source);
  spdlog::debug("{}: read {} Gaussians of SH degree {} ({} file, frame {})", source, set.size(),
                set.sh_degree, format_name(format), frame_name(file_frame));
  return set;
}

void write_gaussians(const GaussianSet& set, const std::filesystem::path& path,
                     const WriteOptions& options) {
  const GaussianFormat format = format_from_path(path);
  const std::string source = path.string();
  if (options.sh_degree < -1 || options.sh_degree > kMaxShDegree) {
    throw UsageError(source + ": SH degree " + std::to_string(options.sh_degree) +
                     " is outside -1..3 (-1 keeps the set's own degree)");
  }
  set.check_consistent();
  const int wanted = options.sh_degree < 0 ? set.sh_degree : options.sh_degree;
  const int stored = std::min(wanted, max_sh_degree(format));
  if (stored < wanted) {
    // Said louder only when the caller asked for the degree explicitly.
    spdlog::log(options.sh_degree < 0 ? spdlog::level::debug : spdlog::level::warn,
                "{}: {} files hold SH degree {} at most; dropping higher bands", source,
                format_name(format), stored);
  }
  // Non-finite Gaussians are dropped before any band is, so every format drops the same ones.
  GaussianSet copy = set;
  validate_gaussians(copy, source);
  copy.set_sh_degree(stored);

  const Frame file_frame = options.frame == Frame::kAuto ? default_frame(format) : options.frame;
  convert_frame(copy, Frame::kYUp, file_frame);

  std::string bytes;
  switch (format) {
    case GaussianFormat::kPly: bytes = encode_ply(copy); break;
    case GaussianFormat::kSplat: bytes = encode_splat(copy); break;
    case GaussianFormat::kSpz: bytes = encode_spz(copy, source); break;
    case GaussianFormat::kGlb: bytes = encode_glb(copy, source); break;
  }
  write_file_atomic(path, bytes.data(), bytes.size());
  spdlog::debug("{}: wrote {} Gaussians of SH degree {} ({} bytes, frame {})", source, copy.size(),
                stored, bytes.size(), frame_name(file_frame));
}

}  // namespace tera
