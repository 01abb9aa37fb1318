// Writes a generated avatar's files; see include/tera/generate/avatar_output.h.
#include "tera/generate/avatar_output.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sstream>

#include "generate/history_json.h"
#include "generate/picture_json.h"
#include "tera/core/atomic_file.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/generate/latent_io.h"
#include "tera/pose/skinned_avatar.h"
#include "tera/render/image.h"
#include "tera/render/turntable.h"
#include "tera/version.h"
#include "tera/view/viewer_page.h"

namespace tera {

const std::vector<std::string>& avatar_file_patterns() {
  static const std::vector<std::string> files = {"avatar(_posed)?\\.(ply|splat|spz|glb)",
                                                 "avatar\\.(latent|json)", "view_[0-9]+\\.png",
                                                 "contact_sheet\\.png", "viewer\\.html"};
  return files;
}

std::vector<std::string> avatar_file_names(const OutputOptions& options, bool empty_avatar) {
  std::vector<std::string> names = {"avatar.latent", "avatar.json"};
  for (const GaussianFormat f : options.formats) {
    names.push_back(std::string("avatar.") + format_name(f));
    if (options.pose) names.push_back(std::string("avatar_posed.") + format_name(f));
  }
  if (options.views > 0 && !empty_avatar) {
    for (int v = 0; v < options.views; ++v) {
      char name[32];
      std::snprintf(name, sizeof name, "view_%03d.png", v);  // as write_turntable names them
      names.push_back(name);
    }
    names.push_back("contact_sheet.png");
  }
  if (options.viewer && !empty_avatar) names.push_back("viewer.html");
  return names;
}

std::vector<GaussianFormat> parse_formats(const std::string& text, const std::string& option) {
  std::vector<GaussianFormat> formats;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    GaussianFormat f;
    if (item == "ply")
      f = GaussianFormat::kPly;
    else if (item == "splat")
      f = GaussianFormat::kSplat;
    else if (item == "spz")
      f = GaussianFormat::kSpz;
    else if (item == "glb")
      f = GaussianFormat::kGlb;
    else
      throw UsageError(option + ": expected a comma-separated list of ply, splat, spz, glb; got '" +
                       item + "'");
    bool seen = false;
    for (auto g : formats) seen = seen || g == f;
    if (!seen) formats.push_back(f);
  }
  if (formats.empty())
    throw UsageError(option + ": name at least one format (ply, splat, spz, glb)");
  return formats;
}

std::string avatar_caption(const AvatarRecord& record) {
  std::string caption = record.prompt;
  for (const EditRecord& e : record.history.edits) caption += " / edit: " + e.prompt;
  return caption;
}

Image front_strip(const std::vector<GaussianSet>& sets, const OutputOptions& options,
                  Renderer& renderer) {
  GaussianSet framing;
  for (const GaussianSet& set : sets) add_framing_sample(set, framing);
  if (framing.empty()) throw Error("front_strip: every set is empty");
  OrbitOptions orbit;
  orbit.views = 1;
  orbit.width = options.width;
  orbit.height = options.height;
  orbit.framing = options.framing;
  const std::vector<Camera> camera = orbit_cameras(framing, orbit);
  RenderOptions render;
  render.background = options.background;
  render.threads = options.threads;
  std::vector<Image> frames;
  for (const GaussianSet& set : sets) frames.push_back(renderer.render(set, camera, render)[0]);
  const float background[4] = {options.background[0], options.background[1], options.background[2],
                               1.f};
  return contact_sheet(frames, static_cast<int>(frames.size()), kSheetGap, background);
}

std::vector<std::filesystem::path> write_avatar(const std::filesystem::path& dir,
                                                const GeneratedAvatar& avatar,
                                                const ModelManifest& manifest,
                                                const AvatarRecord& record,
                                                const OutputOptions& options, Renderer* renderer) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  if (avatar.gaussians.empty()) {
    spdlog::warn(
        "no Gaussian of the avatar is as opaque as the minimum opacity {}: its files "
        "hold none, and no renders or viewer page are written",
        record.min_opacity);
  }
  std::vector<fs::path> written;
  auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&start] {
    const double s = seconds_since(start);
    start = std::chrono::steady_clock::now();
    return s;
  };
  for (const GaussianFormat f : options.formats) {
    const fs::path path = dir / (std::string("avatar.") + format_name(f));
    write_gaussians(avatar.gaussians, path);
    written.push_back(path);
  }
  GaussianSet posed;
  if (options.pose) {
    if (!options.pose->templ) throw Error("write_avatar: a pose without the model's template");
    const SkinnedAvatar skinned(avatar.gaussians, avatar.origins, *options.pose->templ);
    posed = skinned.posed(options.pose->pose, {Device::kCpu, options.threads});
    for (const GaussianFormat f : options.formats) {
      const fs::path path = dir / (std::string("avatar_posed.") + format_name(f));
      write_gaussians(posed, path);
      written.push_back(path);
    }
  }
  const GaussianSet& shown = options.pose ? posed : avatar.gaussians;
  const fs::path latent_path = dir / "avatar.latent";
  const Latent latent{manifest.latent_shape, avatar.latent};
  write_latent(latent_path, latent);
  written.push_back(latent_path);
  const double write_seconds = elapsed();

  if (options.views > 0 && !shown.empty()) {
    if (!renderer) throw Error("write_avatar: views requested without a renderer");
    OrbitOptions orbit;
    orbit.views = options.views;
    orbit.width = options.width;
    orbit.height = options.height;
    orbit.framing = options.framing;
    RenderOptions render;
    render.background = options.background;
    render.threads = options.threads;
    const TurntableFiles files =
        write_turntable(*renderer, shown, orbit_cameras(shown, orbit), render, dir, 0);
    written.insert(written.end(), files.views.begin(), files.views.end());
    written.push_back(files.sheet);
  }
  if (options.viewer && !avatar.gaussians.empty()) {
    // The canonical avatar, as avatar.ply holds it; the page starts at the renders' view 0.
    ViewerPageOptions page;
    page.title = "tera: " + avatar_caption(record);
    page.prompt = avatar_caption(record);
    page.seed = record.seed;
    page.background = options.background;
    page.orbit.width = options.width;
    page.orbit.height = options.height;
    page.orbit.framing = options.framing;
    if (options.views > 0) page.orbit.views = options.views;  // the renders' distance, too
    write_viewer_page(dir / "viewer.html", avatar.gaussians, page);
    written.push_back(dir / "viewer.html");
  }
  const double render_seconds = elapsed();

  nlohmann::ordered_json j;
  j["prompt"] = record.prompt;
  j["seed"] = record.seed;
  j["steps"] = record.steps;
  j["guidance"] = record.guidance;
  j["sampler"] = record.sampler;
  j["min_opacity"] = record.min_opacity;
  j["gaussians"] = avatar.gaussians.size();
  if (options.pose) j["pose"] = options.pose->name;
  put_pictures(j, options, avatar.gaussians.empty());
  put_history(j, record.history);
  j["latent_shape"] = manifest.latent_shape;
  j["latent_sha256"] = latent_sha256(latent);
  j["model"] = {{"name", manifest.name},
                {"manifest_sha256", manifest.manifest_sha256},
                {"test_only", manifest.test_only}};
  j["tera_version"] = std::string(TERA_VERSION) + " (" + TERA_GIT_REVISION + ")";
  j["timings_seconds"] = {
      {"load", record.load_seconds},
      {"text", record.times.text},
      {"sampling", record.times.sampling},
      {"sampling_per_step", record.times.steps ? record.times.sampling / record.times.steps : 0.0},
      {"decode", record.times.decode},
      {"assembly", record.times.assembly},
      {"write", write_seconds},
      {"render", render_seconds},
      {"batch_size", record.times.batch}};
  std::vector<std::string> files;
  for (const auto& p : written) files.push_back(p.filename().string());
  j["files"] = files;
  const std::string text = j.dump(2) + "\n";
  write_file_atomic(dir / "avatar.json", text.data(), text.size());
  written.push_back(dir / "avatar.json");
  return written;
}

}  // namespace tera
