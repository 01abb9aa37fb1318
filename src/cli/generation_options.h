// Options that `tera generate`, `batch`, `edit`, `interpolate` and `animate` share: one table, one parser.
#pragma once

#include <cstdint>
#include <string>

#include "tera/generate/avatar_output.h"
#include "tera/generate/generator.h"

namespace CLI {
class App;
}

namespace tera::cli {

struct GenerationCliOptions {
  std::string model, device = "auto", formats = "ply", size = "512", framing = "full", sampler;
  std::string background = "white";
  std::string pose;                      // empty: the rest pose
  int views = 8, steps = 0, threads = 0;
  float guidance = -1.f;                 // < 0: the model's default
  float min_opacity = 1.f / 255.f;       // the renderer skips alphas below 1/255 anyway
  bool viewer = true;                    // --no-viewer: no viewer.html
};

// Adds --model, --device and --threads (every command that loads a model package).
void add_model_options(CLI::App* command, GenerationCliOptions& options);
// Adds --size and --background (every command that renders).
void add_picture_options(CLI::App* command, GenerationCliOptions& options);
// Adds --model, --steps, --guidance, --sampler, --format, --views, --size, --framing,
// --background, --min-opacity, --no-viewer, --device, --threads and --pose to `command`, bound to
// `options`. `steps_option` names the sampler-steps option (interpolate's --steps counts avatars).
void add_generation_options(CLI::App* command, GenerationCliOptions& options, const std::string& steps_option = "--steps");

// The sampler settings from --steps, --sampler and --min-opacity, the model's defaults where not
// given; throws UsageError naming --sampler.
GenerateSettings generate_settings(const GenerationCliOptions& options, const ModelManifest& manifest);
// --guidance, else the model's default.
float guidance_scale(const GenerationCliOptions& options, const ModelManifest& manifest);
// A seed option: a non-negative integer, or when empty a random one (printed by the caller, so the
// result can be made again). Throws UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// Parses the output-related options (formats, views, size, framing, background, threads, viewer);
// throws UsageError naming the option.
OutputOptions output_options(const GenerationCliOptions& options);

// The generator's options from --model, --device and --threads (`device` already parsed).
GeneratorOptions generator_options(const GenerationCliOptions& options, Device device);

// Resolves --pose (a bundled pose name or a .bvh file) on the model's template into out.pose;
// nothing when --pose is empty. Throws UsageError / InputError naming --pose.
void set_output_pose(OutputOptions& out, const GenerationCliOptions& options, const AvatarTemplate& templ);

}  // namespace tera::cli
