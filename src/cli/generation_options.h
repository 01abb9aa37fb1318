// Options that `tera generate`, `batch`, `edit`, `interpolate` and `animate` share: one table, one
// parser.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tera/core/staged_folder.h"
#include "tera/generate/avatar_output.h"
#include "tera/generate/generator.h"

namespace CLI {
class App;
}

namespace tera::cli {

struct GenerationCliOptions {
  std::string model, device = "auto", formats = "ply", size = "512", framing = "full", sampler;
  std::string background = "white";
  std::string pose;  // empty: the rest pose
  int views = 8, steps = 0, threads = 0;
  float guidance = -1.f;            // < 0: the model's default
  float min_opacity = 1.f / 255.f;  // the renderer skips alphas below 1/255 anyway
  bool viewer = true;               // --no-viewer: no viewer.html
};

// What generate and edit write into --out: an avatar's files, or generate --num's variation
// folders of them.
OutputLayout avatar_folder_layout();

// Adds --model, --device and --threads (every command that loads a model package).
void add_model_options(CLI::App* command, GenerationCliOptions& options);
// Adds --size and --background (every command that renders).
void add_picture_options(CLI::App* command, GenerationCliOptions& options);
// Adds --model, --steps, --guidance, --sampler, --format, --views, --size, --framing,
// --background, --min-opacity, --no-viewer, --device, --threads and --pose to `command`, bound to
// `options`. `steps_option` names the sampler-steps option (interpolate's --steps counts avatars).
void add_generation_options(CLI::App* command, GenerationCliOptions& options,
                            const std::string& steps_option = "--steps");

// --steps, --sampler, --guidance and --min-opacity as overrides of the package's defaults (0 steps,
// an empty sampler and a negative guidance leave the default).
SettingOverrides setting_overrides(const GenerationCliOptions& options);
// A seed option: a non-negative integer, or when empty a random one (printed by the caller, so the
// result can be made again). Throws UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// Parses the output-related options (formats, views, size, framing, background, threads, viewer);
// throws UsageError naming the option.
OutputOptions output_options(const GenerationCliOptions& options);

// --model (CLI11 reads TERA_MODEL into it when not given), else the default package next to the
// binary; throws ModelError that says how to name a package.
std::filesystem::path model_folder(const std::string& model_option);

// What every generating command (generate, batch, edit, interpolate) sets up from the shared
// options, in this order: the output options (checked before any work), the device (resolved
// once), the model, the pose, the settings against the model's defaults, and the renderer.
struct GenerationSession {
  OutputOptions out;
  Device device = Device::kCpu;  // the renderer's, resolved: kCpu or kCuda (the networks' may
                                 // be the CPU under auto: Generator::device())
  std::unique_ptr<Generator> generator;
  SettingOverrides overrides;  // as given on the command line
  GenerateSettings settings;   // the overrides resolved against the model's defaults
  float guidance = 1.f;
  std::unique_ptr<Renderer> renderer;  // null when nothing is rendered
  const ModelManifest& manifest() const { return generator->manifest(); }
};

// Opens a session. The renderer is made when out.views > 0, or always with `always_render` (a
// batch item may ask for views of its own). Throws UsageError, ModelError, InputError.
GenerationSession open_generation(const GenerationCliOptions& options, bool always_render = false);

}  // namespace tera::cli
