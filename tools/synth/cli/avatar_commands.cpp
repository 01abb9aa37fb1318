// tera-synth bake / render / generate: one avatar to Gaussians, turntables and contact sheets,
// and the sharded training dataset.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "asset_pack.h"
#include "bake.h"
#include "commands.h"
#include "dataset.h"
#include "tera/core/rng.h"
#include "tera/io/gaussian_io.h"
#include "tera/render/renderer.h"
#include "template.h"

namespace fs = std::filesystem;

namespace tera::synth::cli {
namespace {

struct AvatarOptions {
  std::string shared, pack, out;
  std::uint64_t seed = 1;
  std::uint64_t count = 64;
  int resolution = 256;      // template resolution R
  int views = 8;             // turntable views
  int size = 256;            // rendered image side in pixels
  int threads = 0;
  std::uint32_t shard_size = 64;
  bool coverage = false;
  std::string framing = "full";  // full, upper or head (turntables)
  std::int64_t index = -1;   // >= 0: the avatar with this index in a dataset/contact sheet of --seed
};

AvatarOptions& opts() {
  static AvatarOptions o;
  return o;
}

void add_common(CLI::App* cmd) {
  cmd->add_option("--shared", opts().shared, "MakeHuman assets folder");
  cmd->add_option("--pack", opts().pack, "asset pack written by 'tera-synth pack'");
  cmd->add_option("--res", opts().resolution, "template resolution R (>= 256)")->check(CLI::Range(256, 4096));
  cmd->add_option("--seed", opts().seed, "seed (the same seed gives the same avatars)");
  cmd->add_option("--out", opts().out, "output path")->required();
}

std::vector<Image> render_views(const GaussianSet& set, int views, int size, float elevation) {
  OrbitOptions orbit;
  orbit.views = views;
  orbit.width = orbit.height = size;
  orbit.elevation_degrees = elevation;
  orbit.framing = parse_framing(opts().framing, "--framing");
  const auto cameras = orbit_cameras(set, orbit);
  RenderOptions options;
  options.threads = opts().threads;
  return make_renderer(Device::kCpu)->render(set, cameras, options);
}

void run_bake() {
  const auto& o = opts();
  const AssetPack pack = load_assets(o.shared, o.pack);
  const Template t = build_template(pack, o.resolution);
  const Baker baker(pack, t);
  const Attributes a = sample_attributes(o.index >= 0 ? avatar_seed(o.seed, static_cast<std::uint64_t>(o.index)) : o.seed);
  BakeReport report;
  const BakedMaps maps = baker.bake(a, o.coverage ? &report : nullptr);
  const GaussianSet set = assemble_gaussians(t, maps);
  write_gaussians(set, o.out);
  nlohmann::json info = {{"seed", o.seed}, {"gaussians", set.size()}, {"attributes", to_json(a)}};
  if (o.coverage) {
    // 3 mm: the design's bar; measured from Gaussian centres and from their one-sigma extent.
    for (const bool extent : {false, true}) {
      const auto covered = covered_points(report.dressed_points, set, 0.003f, extent);
      nlohmann::json c;
      c["all"] = coverage_share(covered, report.point_part, -1);
      c["body"] = coverage_share(covered, report.point_part, 0);
      c["garments"] = coverage_share(covered, report.point_part, 1);
      c["hair_hat"] = coverage_share(covered, report.point_part, 2);
      info[extent ? "coverage_3mm_from_extent" : "coverage_3mm_from_centre"] = c;
    }
    info["surface_samples"] = report.dressed_points.size() / 3;
  }
  std::printf("%s\n", info.dump(2).c_str());
}

void run_render() {
  const auto& o = opts();
  const AssetPack pack = load_assets(o.shared, o.pack);
  const Template t = build_template(pack, o.resolution);
  const Baker baker(pack, t);
  std::vector<Image> tiles;
  if (o.count <= 1) {  // turntable of one avatar
    const std::uint64_t seed = o.index >= 0 ? avatar_seed(o.seed, static_cast<std::uint64_t>(o.index)) : o.seed;
    const GaussianSet set = assemble_gaussians(t, baker.bake(sample_attributes(seed)));
    tiles = render_views(set, o.views, o.size, 5.f);
  } else {  // contact sheet: one front view of each of `count` avatars
    for (std::uint64_t i = 0; i < o.count; ++i) {
      const GaussianSet set = assemble_gaussians(t, baker.bake(sample_attributes(avatar_seed(o.seed, i))));
      OrbitOptions orbit;
      orbit.views = 1;
      orbit.width = orbit.height = o.size;
      orbit.start_azimuth_degrees = 20.f;  // three-quarter view shows face and profile
      RenderOptions options;
      options.threads = o.threads;
      tiles.push_back(make_renderer(Device::kCpu)->render(set, orbit_cameras(set, orbit), options).at(0));
    }
  }
  const float background[4] = {1.f, 1.f, 1.f, 1.f};
  write_png(o.out, contact_sheet(tiles, 0, 4, background));
  std::printf("%s\n", o.out.c_str());
}

void run_generate() {
  const auto& o = opts();
  const AssetPack pack = load_assets(o.shared, o.pack);
  DatasetOptions d;
  d.out_dir = o.out;
  d.count = o.count;
  d.seed = o.seed;
  d.shard_size = o.shard_size;
  d.threads = o.threads;
  d.resolution = o.resolution;
  const DatasetSummary s = generate_dataset(pack, d);
  spdlog::info("baked {} avatars ({} already present) in {:.1f} s: {:.1f} avatars/s", s.baked, s.skipped, s.seconds,
               s.seconds > 0 ? s.baked / s.seconds : 0.0);
  std::printf("%s\n", o.out.c_str());
}

}  // namespace

void register_avatar_commands(CLI::App& app, std::map<std::string, std::function<void()>>& actions) {
  auto* bake = app.add_subcommand("bake", "bake one random avatar and write it as Gaussians (.ply/.splat/.spz/.glb)");
  add_common(bake);
  bake->add_flag("--coverage", opts().coverage, "report the share of dressed-surface samples within 3 mm of a Gaussian");
  bake->add_option("--index", opts().index, "bake avatar INDEX of the dataset or contact sheet made with --seed");
  actions["bake"] = run_bake;

  auto* render = app.add_subcommand("render", "turntable of one avatar (--count 1) or a contact sheet of --count avatars");
  add_common(render);
  render->add_option("--count", opts().count, "avatars on the contact sheet (1: a turntable of --seed)");
  render->add_option("--views", opts().views, "turntable views");
  render->add_option("--framing", opts().framing, "turntable framing: full, upper or head");
  render->add_option("--index", opts().index, "turntable of avatar INDEX of the contact sheet made with --seed");
  render->add_option("--size", opts().size, "image side in pixels");
  render->add_option("--threads", opts().threads, "render threads (0 = all cores)");
  actions["render"] = run_render;

  auto* generate = app.add_subcommand("generate", "bake a sharded training dataset with captions");
  add_common(generate);
  generate->add_option("--count", opts().count, "avatars")->required();
  generate->add_option("--shard-size", opts().shard_size, "avatars per shard");
  generate->add_option("--threads", opts().threads, "worker threads (0 = all cores)");
  actions["generate"] = run_generate;
}

}  // namespace tera::synth::cli
