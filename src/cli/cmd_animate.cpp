// `tera animate AVATAR`: pose a generated avatar with a BVH motion, a bundled pose or every bundled
// pose, and render the frames from a fixed camera.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <spdlog/spdlog.h>

#include "cli/common.h"
#include "cli/generation_options.h"
#include "tera/core/clock.h"
#include "tera/core/error.h"
#include "tera/core/staged_folder.h"
#include "tera/generate/avatar_folder.h"
#include "tera/generate/generator.h"
#include "tera/io/gaussian_io.h"
#include "tera/pose/animation.h"
#include "tera/pose/avatar_joints.h"
#include "tera/pose/layer_fit.h"
#include "tera/pose/pose_library.h"
#include "tera/pose/skinned_avatar.h"
#include "tera/render/renderer.h"

namespace tera::cli {
namespace {

namespace fs = std::filesystem;

// What animate writes into --out (StagedFolder): frames, posed sweeps and their sheets.
const OutputLayout kAnimateLayout = {
    {"frame_[0-9]+\\.(png|ply)", "contact_strip\\.png", "pose_.+\\.(png|ply)"}};
constexpr int kStripFrames = 8;   // frames in the contact strip, evenly spaced
constexpr int kSheetColumns = 4;  // columns of the pose sheet (16 tiles: rest + 15 poses)

struct Options {
  std::string avatar, out = "animation", bvh, pose, frames;
  bool sweep = false, ply = false, json = false;
  double fps = 0.0;
  int transition = 24;
  float elevation = 10.f, azimuth = 0.f, fov = 30.f;
  GenerationCliOptions gen;
};

std::string numbered(const char* pattern, int index) {
  char name[64];
  std::snprintf(name, sizeof name, pattern, index);
  return name;
}

// The avatar as written (`shown`), and `body`: every texel of every layer, hidden ones included,
// whose complete skin layer places the avatar's joints and is the reference of the layer fit.
struct LoadedAvatar {
  SkinnedAvatar shown, body;
};

// The avatar folder's Gaussians decoded again, with their texels and layers.
LoadedAvatar load_avatar(const Options& o, Generator& generator) {
  const AvatarFolder folder = read_avatar_folder(o.avatar, generator.manifest());
  const AvatarTemplate& templ = generator.avatar_template();
  AssemblyOptions assembly;
  assembly.min_opacity = 0.f;
  std::vector<GaussianOrigins> all_origins, origins;
  std::vector<GaussianSet> all =
      generator.decode_latents(folder.latent.values, 1, assembly, nullptr, &all_origins);
  const Skeleton joints = avatar_skeleton(templ, all[0], all_origins[0]);
  assembly.min_opacity = folder.min_opacity;
  std::vector<GaussianSet> sets =
      generator.decode_latents(folder.latent.values, 1, assembly, nullptr, &origins);
  return {SkinnedAvatar(std::move(sets[0]), std::move(origins[0]), templ, &joints),
          SkinnedAvatar(std::move(all[0]), std::move(all_origins[0]), templ, &joints)};
}

OrbitOptions camera_options(const Options& o, const std::array<int, 2>& size) {
  OrbitOptions orbit;
  orbit.views = 1;
  orbit.width = size[0];
  orbit.height = size[1];
  orbit.fov_y_degrees = o.fov;
  orbit.elevation_degrees = o.elevation;
  orbit.start_azimuth_degrees = o.azimuth;
  return orbit;
}

// Every bundled pose (and the rest pose first) on one sheet, with layer-fit figures per pose.
void pose_sweep(const Options& o, const LoadedAvatar& loaded, Renderer& renderer,
                const RenderOptions& render, const OrbitOptions& orbit,
                const SkinningOptions& skinning, const StagedFolder& out) {
  const fs::path library_path = locate_pose_library();
  const PoseLibrary library = read_pose_library(library_path);
  const SkinnedAvatar& avatar = loaded.shown;
  const LayerFit rest_fit =
      measure_layer_fit(loaded.body.rest, loaded.body.origins, avatar.rest, avatar.origins);
  std::vector<Image> tiles;
  std::string json_poses;
  Progress progress("posing", library.poses.size() + 1);
  tiles.push_back(renderer.render(avatar.rest, orbit_cameras(avatar.rest, orbit), render)[0]);
  write_png(out.path() / "pose_rest.png", tiles.back());
  for (const NamedPose& named : library.poses) {
    const Pose pose = pose_on_skeleton(named, avatar.skeleton);
    const GaussianSet posed = avatar.posed(pose, skinning);
    const LayerFit fit = measure_layer_fit(loaded.body.posed(pose, skinning), loaded.body.origins,
                                           posed, avatar.origins);
    tiles.push_back(renderer.render(posed, orbit_cameras(posed, orbit), render)[0]);
    write_png(out.path() / ("pose_" + named.name + ".png"), tiles.back());
    if (o.ply) write_gaussians(posed, out.path() / ("pose_" + named.name + ".ply"));
    char line[512];
    std::snprintf(line, sizeof line,
                  "{\"name\": %s, \"outer_far_share\": %.5f, \"skin_gap_max_m\": %.4f, "
                  "\"skin_gap_p999_m\": %.4f}",
                  json_string(named.name).c_str(), fit.outer_far_share, fit.skin_gap_max,
                  fit.skin_gap_p999);
    json_poses += (json_poses.empty() ? "" : ", ") + std::string(line);
    if (!o.json) {
      std::printf(
          "%-12s outer > 2 cm from skin %.2f %% (rest %.2f %%), skin gap max %.1f mm (rest %.1f), "
          "p99.9 %.1f mm (rest %.1f)\n",
          named.name.c_str(), 100.0 * fit.outer_far_share, 100.0 * rest_fit.outer_far_share,
          1e3 * fit.skin_gap_max, 1e3 * rest_fit.skin_gap_max, 1e3 * fit.skin_gap_p999,
          1e3 * rest_fit.skin_gap_p999);
    }
    progress.advance(tiles.size());
  }
  const float background[4] = {render.background[0], render.background[1], render.background[2],
                               1.f};
  const fs::path sheet = out.path() / "pose_sheet.png";
  write_png(sheet, contact_sheet(tiles, kSheetColumns, kSheetGap, background));
  if (o.json) {
    std::printf(
        "{\"avatar\": %s, \"gaussians\": %zu, \"library\": %s, \"sheet\": %s, \"rest\": "
        "{\"outer_far_share\": %.5f, "
        "\"skin_gap_max_m\": %.4f, \"skin_gap_p999_m\": %.4f}, \"poses\": [%s]}\n",
        json_string(o.avatar).c_str(), avatar.rest.size(),
        json_string(library_path.string()).c_str(),
        json_string(out.published(sheet).string()).c_str(), rest_fit.outer_far_share,
        rest_fit.skin_gap_max, rest_fit.skin_gap_p999, json_poses.c_str());
  } else {
    std::cout << out.published(sheet).string() << "\n";
  }
}

// The frames' poses: the BVH resampled, or a transition from the rest pose to a one-frame pose.
std::vector<Pose> frame_poses(const Options& o, const Skeleton& skeleton, double* fps) {
  if (!o.bvh.empty()) {
    const BvhMotion motion = read_bvh(o.bvh);
    const BvhBinding binding = bind_bvh(motion, skeleton);
    spdlog::info("{}: {} frames at {:.1f} fps, {} joint names, {} bones driven, {}", o.bvh,
                 motion.frames, 1.0 / motion.frame_time, binding.naming, binding.matched(),
                 binding.fitted
                     ? fmt::format("axes and units fitted to {:.1f} mm rms", 1e3 * binding.rest_rms)
                     : std::string("read as y-up metres (too few joints to fit)"));
    if (motion.frames > 1) {
      *fps = o.fps > 0.0 ? o.fps : 1.0 / motion.frame_time;
      return resample_motion(motion, binding, skeleton, *fps);
    }
    *fps = o.fps > 0.0 ? o.fps : 24.0;
    return transition(Pose::rest(skeleton.size()), bvh_pose(motion, binding, skeleton, 0),
                      o.transition);
  }
  *fps = o.fps > 0.0 ? o.fps : 24.0;  // film rate for transitions
  return transition(Pose::rest(skeleton.size()), resolve_pose(o.pose, skeleton, "--pose"),
                    o.transition);
}

void animate(const Options& o, const SkinnedAvatar& avatar, Renderer& renderer,
             const RenderOptions& render, const OrbitOptions& orbit,
             const SkinningOptions& skinning, const StagedFolder& out) {
  double fps = 0.0;
  const std::vector<Pose> poses = frame_poses(o, avatar.skeleton, &fps);
  const int count = static_cast<int>(poses.size());
  const auto [first, last] = o.frames.empty() ? std::pair<int, int>{0, count}
                                              : parse_frame_range(o.frames, count, "--frames");
  // One fixed camera for every frame: framed on a sample of the Gaussians of the frames that
  // framing_frames picks (a few hundred at most, the motion's extremes among them).
  GaussianSet framing;
  framing.resize(0, 0);
  double pose_seconds = 0.0, render_seconds = 0.0;
  const int shown = last - first;
  const std::vector<int> framed = framing_frames(poses, first, last, avatar.skeleton);
  for (const int f : framed) {
    const auto start = std::chrono::steady_clock::now();
    const GaussianSet posed = avatar.posed(poses[static_cast<std::size_t>(f)], skinning);
    pose_seconds += seconds_since(start);
    add_framing_sample(posed, framing);
  }
  const Camera camera = orbit_cameras(framing, orbit)[0];
  std::vector<Image> strip;
  const int step = std::max(1, (shown + kStripFrames - 1) / kStripFrames);
  Progress progress("animating", static_cast<std::size_t>(shown));
  for (int f = first; f < last; ++f) {
    auto start = std::chrono::steady_clock::now();
    const GaussianSet posed = avatar.posed(poses[static_cast<std::size_t>(f)], skinning);
    pose_seconds += seconds_since(start);
    start = std::chrono::steady_clock::now();
    Image image = renderer.render(posed, {camera}, render)[0];
    render_seconds += seconds_since(start);
    write_png(out.path() / numbered("frame_%04d.png", f), image);
    if (o.ply) write_gaussians(posed, out.path() / numbered("frame_%04d.ply", f));
    if ((f - first) % step == 0 || f == last - 1) {
      if (static_cast<int>(strip.size()) == kStripFrames)
        strip.pop_back();  // the last frame replaces the one before it
      strip.push_back(std::move(image));
    }
    progress.advance(static_cast<std::size_t>(f - first + 1));
  }
  const float background[4] = {render.background[0], render.background[1], render.background[2],
                               1.f};
  const fs::path strip_path = out.path() / "contact_strip.png";
  write_png(strip_path,
            contact_sheet(strip, static_cast<int>(strip.size()), kSheetGap, background));
  spdlog::info(
      "{} frames: posing {:.3f} s ({:.1f} ms per pose, {} of them posed again for the framing), "
      "rendering {:.2f} s",
      shown, pose_seconds, 1e3 * pose_seconds / static_cast<double>(shown + framed.size()),
      framed.size(), render_seconds);
  if (o.json) {
    std::printf(
        "{\"avatar\": %s, \"gaussians\": %zu, \"frames\": [%d, %d], \"of\": %d, \"fps\": %g, "
        "\"out\": %s, "
        "\"contact_strip\": %s, \"pose_seconds\": %.4f, \"render_seconds\": %.3f}\n",
        json_string(o.avatar).c_str(), avatar.rest.size(), first, last, count, fps,
        json_string(o.out).c_str(), json_string(out.published(strip_path).string()).c_str(),
        pose_seconds, render_seconds);
  } else {
    std::cout << o.out << ": frames " << first << ".." << last - 1 << " of " << count << " at "
              << fps << " fps\n"
              << out.published(strip_path).string() << "\n";
  }
}

}  // namespace

Command add_animate_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "animate",
      "Pose and animate a generated avatar: a BVH motion, a bundled pose, or every bundled pose");
  sub->add_option("avatar", o->avatar,
                  "A 'tera generate' output folder (its avatar.json and avatar.latent)")
      ->required();
  sub->add_option("--out,-o", o->out, "Output folder (created if missing)")->capture_default_str();
  sub->add_option(
      "--bvh", o->bvh,
      "BVH motion (MakeHuman, Mixamo, CMU or MakeHuman game-rig joint names); a one-frame "
      "file is reached from the rest pose in --transition frames");
  sub->add_option("--pose", o->pose,
                  "A bundled pose name (see 'tera poses': $TERA_POSES, else "
                  "data/poses/makehuman.json beside the binary) or a .bvh file, reached from the "
                  "rest pose in --transition frames");
  sub->add_flag(
      "--pose-sweep", o->sweep,
      "Every bundled pose on one sheet (pose_sheet.png), with layer-fit figures per pose");
  sub->add_option(
         "--fps", o->fps,
         "Frames per second of the output (default: the BVH's own rate; 24 for transitions)")
      ->check(finite_number())
      ->check(CLI::Range(0.1, 1000.0));
  sub->add_option("--frames", o->frames,
                  "Only frames a..b-1 of the output, e.g. 0:60 (0-based; a side may be empty)");
  sub->add_option("--transition", o->transition,
                  "Frames from the rest pose to a one-frame pose (slerp of every joint, eased)")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  sub->add_flag("--ply", o->ply, "Also write every frame (or posed sweep pose) as .ply");
  add_picture_options(sub, o->gen);
  sub->add_option("--elevation", o->elevation, "Camera elevation, degrees")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(-89.f, 89.f));
  sub->add_option("--azimuth", o->azimuth, "Camera azimuth, degrees (0 = the avatar's front)")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(-3600.f, 3600.f));  // ten turns either way; beyond, a typo
  sub->add_option("--fov", o->fov, "Vertical field of view, degrees")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(1.f, 170.f));
  add_model_options(sub, o->gen);
  sub->add_flag("--json", o->json, "Print a JSON summary");
  sub->footer(
      "Writes OUT/frame_NNNN.png (and .ply with --ply) and OUT/contact_strip.png, or with "
      "--pose-sweep\n"
      "OUT/pose_<name>.png and OUT/pose_sheet.png. The canonical avatar is decoded again from its "
      "latent with\n"
      "the model package it was made with. Examples:\n"
      "  tera animate avatar --pose-sweep --out poses\n"
      "  tera animate avatar --pose run01 --transition 30 --out run\n"
      "  tera animate avatar --bvh walk.bvh --fps 30 --frames 0:60 --out walk");
  return {sub, [o, sub] {
            const int modes =
                (o->bvh.empty() ? 0 : 1) + (o->pose.empty() ? 0 : 1) + (o->sweep ? 1 : 0);
            if (modes != 1)
              throw UsageError(
                  "animate: give exactly one of --bvh FILE, --pose NAME|FILE or --pose-sweep");
            for (const char* option : {"--frames", "--fps", "--transition"}) {
              if (o->sweep && sub->get_option(option)->count() > 0)
                throw UsageError(std::string(option) +
                                 " is for --bvh and --pose (frames of a "
                                 "motion); --pose-sweep draws still poses");
            }
            const auto start = std::chrono::steady_clock::now();
            const auto size = parse_size(o->gen.size, "--size");
            RenderOptions render;
            render.background = parse_colour(o->gen.background, "--background");
            render.threads = o->gen.threads;
            refuse_replacing_input(o->out, o->avatar, "--out");
            StagedFolder out(o->out, kAnimateLayout, "--out");  // before the model loads
            GenerationSession session = open_generation(o->gen, true);
            const LoadedAvatar avatar = load_avatar(*o, *session.generator);
            Renderer* renderer = session.renderer.get();
            const SkinningOptions skinning{Device::kCpu, o->gen.threads};
            const OrbitOptions orbit = camera_options(*o, size);
            if (o->sweep) {
              pose_sweep(*o, avatar, *renderer, render, orbit, skinning, out);
            } else {
              animate(*o, avatar.shown, *renderer, render, orbit, skinning, out);
            }
            out.publish();
            spdlog::info("animate: {:.2f} s", seconds_since(start));
          }};
}

}  // namespace tera::cli
