// tera-synth bake / render / generate / assemble / relabel / labels: one avatar to Gaussians,
// turntables and contact sheets, the sharded training dataset, teacher-layout maps from elsewhere
// (the Python evaluation) to Gaussians through the library's assembly, and the derived labels that
// training and evaluation read (never re-derive).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sstream>

#include "asset_pack.h"
#include "bake.h"
#include "binary_io.h"
#include "commands.h"
#include "dataset.h"
#include "template.h"
#include "tera/core/byte_order.h"
#include "tera/core/error.h"
#include "tera/core/rng.h"
#include "tera/decode/avatar_template.h"
#include "tera/io/gaussian_io.h"
#include "tera/render/renderer.h"

namespace fs = std::filesystem;

namespace tera::synth::cli {
namespace {

struct AvatarOptions {
  std::string shared, pack, out;
  std::uint64_t seed = 1;
  std::uint64_t count = 64;
  int resolution = 256;  // template resolution R
  int views = 8;         // turntable views
  int size = 256;        // rendered image side in pixels
  int threads = 0;
  std::uint32_t shard_size = 64;
  bool coverage = false;
  std::string framing = "full";  // full, upper or head (turntables)
  std::int64_t index = -1;  // >= 0: the avatar with this index in a dataset/contact sheet of --seed
};

AvatarOptions& opts() {
  static AvatarOptions o;
  return o;
}

void add_common(CLI::App* cmd) {
  cmd->add_option("--shared", opts().shared, "MakeHuman assets folder");
  cmd->add_option("--pack", opts().pack, "asset pack written by 'tera-synth pack'");
  cmd->add_option("--res", opts().resolution, "template resolution R (>= 256)")
      ->check(CLI::Range(256, 4096));
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
  const Attributes a = sample_attributes(
      o.index >= 0 ? avatar_seed(o.seed, static_cast<std::uint64_t>(o.index)) : o.seed);
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
    const std::uint64_t seed =
        o.index >= 0 ? avatar_seed(o.seed, static_cast<std::uint64_t>(o.index)) : o.seed;
    const GaussianSet set = assemble_gaussians(t, baker.bake(sample_attributes(seed)));
    tiles = render_views(set, o.views, o.size, 5.f);
  } else {  // contact sheet: one front view of each of `count` avatars
    for (std::uint64_t i = 0; i < o.count; ++i) {
      const GaussianSet set =
          assemble_gaussians(t, baker.bake(sample_attributes(avatar_seed(o.seed, i))));
      OrbitOptions orbit;
      orbit.views = 1;
      orbit.width = orbit.height = o.size;
      orbit.start_azimuth_degrees = 20.f;  // three-quarter view shows face and profile
      RenderOptions options;
      options.threads = o.threads;
      tiles.push_back(
          make_renderer(Device::kCpu)->render(set, orbit_cameras(set, orbit), options).at(0));
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
  spdlog::info("baked {} avatars ({} already present) in {:.1f} s: {:.1f} avatars/s", s.baked,
               s.skipped, s.seconds, s.seconds > 0 ? s.baked / s.seconds : 0.0);
  std::printf("%s\n", o.out.c_str());
}

struct AssembleOptions {
  std::string template_file, maps, out;
};

AssembleOptions& assemble_opts() {
  static AssembleOptions o;
  return o;
}

// Maps in the teacher's layout (raw little-endian float32 [kMapLayers, M, C], C = 11 or 12: the
// label channel is optional) -> Gaussians through tera::assemble_gaussians -> any format tera
// writes.
void run_assemble() {
  const auto& o = assemble_opts();
  const Template t = read_avatar_template(o.template_file);
  const std::vector<std::uint8_t> bytes = read_file_bytes(o.maps);
  const std::size_t m = t.texel_count();
  const std::size_t per_channel = kMapLayers * m * sizeof(float);
  const std::size_t channels = per_channel ? bytes.size() / per_channel : 0;
  if (bytes.size() != channels * per_channel ||
      (channels != kMapChannels - 1 && channels != kMapChannels)) {
    throw InputError(o.maps + ": holds " + std::to_string(bytes.size()) +
                     " bytes; expected float32 [" + std::to_string(kMapLayers) + ", " +
                     std::to_string(m) + ", 11 or 12] for the template " + o.template_file +
                     " (M = " + std::to_string(m) + ")");
  }
  BakedMaps maps;
  maps.resolution = t.resolution;
  maps.values.assign(kMapLayers * m * kMapChannels, 0.f);
  for (std::size_t row = 0; row < kMapLayers * m; ++row) {
    load_le(&maps.values[row * kMapChannels], bytes.data() + row * channels * sizeof(float),
            channels);
  }
  const GaussianSet set = assemble_gaussians(t, maps);
  write_gaussians(set, o.out);
  std::printf("%s\n", o.out.c_str());
}

struct LabelOptions {
  std::string data, attributes;
};

LabelOptions& label_opts() {
  static LabelOptions o;
  return o;
}

void run_relabel() {
  const std::size_t records = relabel_dataset(label_opts().data);
  spdlog::info("{}: {} caption records carry their derived labels", label_opts().data, records);
}

// One attributes object per line in -> one labels object per line out (stdout), in order.
void run_labels() {
  const std::string& path = label_opts().attributes;
  std::istringstream in(read_file_text(path));
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded())
      throw InputError(path + ": line " + std::to_string(number) + ": not JSON");
    try {
      const Attributes a = attributes_from_json(j);
      validate(a);
      std::printf("%s\n", derived_labels(a).dump().c_str());
    } catch (const Error& e) {
      throw InputError(path + ": line " + std::to_string(number) + ": " + e.what());
    }
  }
}

}  // namespace

void register_avatar_commands(CLI::App& app,
                              std::map<std::string, std::function<void()>>& actions) {
  auto* bake = app.add_subcommand(
      "bake", "bake one random avatar and write it as Gaussians (.ply/.splat/.spz/.glb)");
  add_common(bake);
  bake->add_flag("--coverage", opts().coverage,
                 "report the share of dressed-surface samples within 3 mm of a Gaussian");
  bake->add_option("--index", opts().index,
                   "bake avatar INDEX of the dataset or contact sheet made with --seed");
  actions["bake"] = run_bake;

  auto* render = app.add_subcommand(
      "render", "turntable of one avatar (--count 1) or a contact sheet of --count avatars");
  add_common(render);
  render->add_option("--count", opts().count,
                     "avatars on the contact sheet (1: a turntable of --seed)");
  render->add_option("--views", opts().views, "turntable views");
  render->add_option("--framing", opts().framing, "turntable framing: full, upper or head");
  render->add_option("--index", opts().index,
                     "turntable of avatar INDEX of the contact sheet made with --seed");
  render->add_option("--size", opts().size, "image side in pixels");
  render->add_option("--threads", opts().threads, "render threads (0 = all cores)");
  actions["render"] = run_render;

  auto* generate = app.add_subcommand("generate", "bake a sharded training dataset with captions");
  add_common(generate);
  generate->add_option("--count", opts().count, "avatars")->required();
  generate->add_option("--shard-size", opts().shard_size, "avatars per shard");
  generate->add_option("--threads", opts().threads, "worker threads (0 = all cores)");
  actions["generate"] = run_generate;

  auto* assemble = app.add_subcommand("assemble",
                                      "teacher-layout maps (raw float32 [3, M, 11 or 12]) -> "
                                      "Gaussians (.ply/.splat/.spz/.glb), as tera assembles them");
  assemble
      ->add_option("--template", assemble_opts().template_file, "UV template file (template.bin)")
      ->required();
  assemble
      ->add_option("--maps", assemble_opts().maps,
                   "raw little-endian float32 maps [3, M, C] in the template's texel order")
      ->required();
  assemble
      ->add_option("--out", assemble_opts().out, "output file; the format follows the extension")
      ->required();
  actions["assemble"] = run_assemble;

  auto* relabel = app.add_subcommand(
      "relabel",
      "write the derived labels into every caption record of a dataset (older datasets lack them)");
  relabel->add_option("--data", label_opts().data, "dataset folder (tera-synth generate --out)")
      ->required();
  actions["relabel"] = run_relabel;

  auto* labels = app.add_subcommand(
      "labels", "derived labels of attribute sets: one JSON object per line in, one per line out");
  labels
      ->add_option("--attributes", label_opts().attributes,
                   "file of attribute objects, one per line (captions.jsonl's 'attributes')")
      ->required();
  actions["labels"] = run_labels;
}

}  // namespace tera::synth::cli
