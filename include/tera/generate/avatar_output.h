// Writes one generated avatar's files into a folder, every file atomically:
//   avatar.ply (+ .splat/.spz/.glb as asked), avatar_posed.* when posed, view_000.png ...
//   (turntable), contact_sheet.png, viewer.html (a web page showing the avatar,
//   tera/view/viewer_page.h), avatar.latent, and avatar.json last (prompt, seed, steps, guidance,
//   sampler, model name and checksum, timings per stage, tera version).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tera/generate/avatar_history.h"
#include "tera/generate/generator.h"
#include "tera/io/gaussian_io.h"
#include "tera/pose/skeleton.h"
#include "tera/render/camera.h"
#include "tera/render/image.h"
#include "tera/render/renderer.h"

namespace tera {

// A pose for the written files: avatar_posed.<format> and the renders show the avatar in it; the
// canonical avatar.<format> is written as well.
struct OutputPose {
  std::string name;                       // recorded in avatar.json as "pose"
  Pose pose;                              // on the template's skeleton
  const AvatarTemplate* templ = nullptr;  // the model's template (skin weights, skeleton)
};

struct OutputOptions {
  std::vector<GaussianFormat> formats{GaussianFormat::kPly};
  int views = 8;  // turntable frames; 0 = no renders and no contact sheet
  int width = 512, height = 512;
  Framing framing = Framing::kFull;
  std::array<float, 3> background{1.f, 1.f, 1.f};
  int threads = 0;                 // CPU render threads; 0 = all cores
  bool viewer = true;              // also write viewer.html, starting at the renders' view 0
  std::optional<OutputPose> pose;  // none: renders show the rest pose
};

// What avatar.json records about how the avatar was made.
struct AvatarRecord {
  std::string prompt;
  std::uint64_t seed = 0;
  int steps = 0;
  float guidance = 0.f;
  std::string sampler;
  float min_opacity = 0.f;
  StageTimes times;  // of the batch this avatar was generated in
  double load_seconds = 0.0;
  AvatarHistory history;  // edits and interpolation, when the avatar was not made by generate alone
};

// The text the viewer page shows for an avatar: its prompt, then each edit's ("... / edit: ...").
std::string avatar_caption(const AvatarRecord& record);

// Parses "ply,splat,spz,glb" (any subset, comma-separated); throws UsageError naming `option`.
std::vector<GaussianFormat> parse_formats(const std::string& text, const std::string& option);

// View 0 of each set from one camera framed on all of them (so sizes and positions compare), in
// one row with 4-pixel gaps: the strip of an interpolation or an edit. Sets must not all be empty.
Image front_strip(const std::vector<GaussianSet>& sets, const OutputOptions& options,
                  Renderer& renderer);

// The files write_avatar writes into a folder, as whole-name regular expressions (the patterns of
// an OutputLayout, tera/core/staged_folder.h).
const std::vector<std::string>& avatar_file_patterns();

// The names of the files write_avatar writes with `options` (an avatar with no Gaussians gets no
// renders and no viewer page), in no particular order: what a finished folder holds.
std::vector<std::string> avatar_file_names(const OutputOptions& options, bool empty_avatar);

// Writes the files into `dir` (created if missing) and returns their paths. `renderer` may be null
// when options.views == 0. avatar.json also records "latent_sha256" (tera/generate/latent_io.h).
std::vector<std::filesystem::path> write_avatar(const std::filesystem::path& dir,
                                                const GeneratedAvatar& avatar,
                                                const ModelManifest& manifest,
                                                const AvatarRecord& record,
                                                const OutputOptions& options, Renderer* renderer);

}  // namespace tera
