// `tera scene`: writes a procedural test scene (for trying viewers, the renderer and benchmarks).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <iostream>
#include <memory>

#include "cli/common.h"
#include "tera/core/error.h"
#include "tera/gaussians/test_scene.h"
#include "tera/io/gaussian_io.h"

namespace tera::cli {

Command add_scene_command(CLI::App& app) {
  struct Options {
    std::string out;
    std::string kind = "figure";
    std::size_t count = 100000;
    int sh_degree = 3;
    std::uint64_t seed = 1;
    std::string frame = "auto";
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("scene", "Write a procedural test scene made by tera itself");
  sub->add_option("--out,-o", options->out, "Output file (.ply, .splat, .spz or .glb)")->required();
  sub->add_option("--kind", options->kind,
                  "figure: a stylised person on a checked disc; cloud: random Gaussians")
      ->capture_default_str();
  sub->add_option("--count", options->count, "Number of Gaussians of a cloud")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000000));
  sub->add_option("--sh-degree", options->sh_degree, "Spherical-harmonics degree 0..3")
      ->capture_default_str()
      ->check(CLI::Range(0, 3));
  sub->add_option("--seed", options->seed, "Seed: the same seed writes the same scene")
      ->capture_default_str()
      ->check(seed_text());
  sub->add_option("--frame", options->frame,
                  "Frame stored in the file: auto (the format's default), yup, ydown")
      ->capture_default_str();
  sub->footer("Example: tera scene --out figure.ply && tera render figure.ply --out renders");
  return {sub, [options, sub] {
            refuse_folder_as_file(options->out, "--out");
            if (options->kind != "cloud" && sub->get_option("--count")->count() > 0)
              throw UsageError("--count is for --kind cloud (a figure has its own count)");
            TestSceneOptions scene;
            scene.kind = parse_test_scene_kind(options->kind, "--kind");
            scene.count = options->count;
            scene.sh_degree = options->sh_degree;
            scene.seed = options->seed;
            const GaussianSet set = make_test_scene(scene);
            WriteOptions write;
            write.frame = parse_frame(options->frame, "--frame");
            write_gaussians(set, options->out, write);
            std::cout << options->out << "\n";
          }};
}

}  // namespace tera::cli
