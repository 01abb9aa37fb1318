#include "cli/generation_options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "cli/common.h"
#include "tera/core/decimal.h"
#include "tera/core/error.h"
#include "tera/pose/pose_library.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"

namespace tera::cli {

OutputLayout avatar_folder_layout() {
  return {avatar_file_patterns(), {"variation_[0-9]+"}, avatar_file_patterns()};
}

void add_model_options(CLI::App* sub, GenerationCliOptions& o) {
  sub->add_option(
         "--model,-m", o.model,
         "Model package folder (default: $TERA_MODEL, else models/default next to the binary)")
      ->envname("TERA_MODEL");
  sub->add_option("--device", o.device, "auto, cpu or cuda")
      ->envname("TERA_DEVICE")
      ->capture_default_str();
  sub->add_option("--threads", o.threads, "CPU threads (0 = all cores)")
      ->envname("TERA_THREADS")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxThreads));
}

void add_picture_options(CLI::App* sub, GenerationCliOptions& o) {
  sub->add_option("--size", o.size, "Render size: 512 or WxH")->capture_default_str();
  sub->add_option("--background", o.background, kBackgroundHelp)->capture_default_str();
}

void add_generation_options(CLI::App* sub, GenerationCliOptions& o,
                            const std::string& steps_option) {
  add_model_options(sub, o);
  sub->add_option(steps_option, o.steps, "Sampler steps (0 = the model's default)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxSteps));
  sub->add_option("--guidance", o.guidance,
                  "Classifier-free guidance scale (default: the model's; 1 = none)")
      ->check(finite_number())
      ->check(CLI::Range(0.f, kMaxGuidance));
  sub->add_option("--sampler", o.sampler, "ddim or dpm++2m (default: the model's)");
  sub->add_option("--format", o.formats, "Comma-separated: ply, splat, spz, glb")
      ->capture_default_str();
  sub->add_option("--views", o.views, "Turntable frames per avatar (0 = no renders)")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxViews));
  add_picture_options(sub, o);
  sub->add_option("--framing", o.framing, "full, upper or head")->capture_default_str();
  sub->add_option("--min-opacity", o.min_opacity, "Drop Gaussians with alpha below this")
      ->capture_default_str()
      ->check(finite_number())
      ->check(CLI::Range(0.f, 1.f));
  sub->add_flag("!--no-viewer", o.viewer,
                "Do not write viewer.html (a self-contained web page that shows the avatar)");
  sub->add_option(
         "--pose", o.pose,
         "Also write the avatar posed (avatar_posed.*; renders show the pose): a bundled pose "
         "name (see 'tera poses') or a .bvh file (its first frame)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return text.empty() ? "expected a pose name or a .bvh file, got ''" : "";
          },
          "", "POSE"));
}

OutputOptions output_options(const GenerationCliOptions& o) {
  OutputOptions out;
  out.formats = parse_formats(o.formats, "--format");
  out.views = o.views;
  const auto size = parse_size(o.size, "--size");
  out.width = size[0];
  out.height = size[1];
  out.framing = parse_framing(o.framing, "--framing");
  out.background = parse_colour(o.background, "--background");
  out.threads = o.threads;
  out.viewer = o.viewer;
  return out;
}

SettingOverrides setting_overrides(const GenerationCliOptions& o) {
  SettingOverrides overrides;
  if (o.steps > 0) overrides.steps = o.steps;
  if (!o.sampler.empty()) overrides.sampler = o.sampler;
  if (o.guidance >= 0.f) overrides.guidance = o.guidance;
  overrides.min_opacity = o.min_opacity;
  return overrides;
}

std::uint64_t parse_seed(const std::string& text, const std::string& option) {
  if (text.empty())
    return std::random_device{}();  // 32 random bits: printed, so the avatar can be remade
  const std::optional<std::uint64_t> seed = parse_decimal(text);
  if (!seed) {
    throw UsageError(option + ": expected an integer from 0 to 18446744073709551615, got '" + text +
                     "'");
  }
  return *seed;
}

std::filesystem::path model_folder(const std::string& model_option) {
  try {
    return locate_model(model_option);
  } catch (const ModelError& error) {
    throw ModelError(std::string(error.what()) + " Pass --model DIR or set TERA_MODEL.");
  }
}

GenerationSession open_generation(const GenerationCliOptions& o, bool always_render) {
  GenerationSession s;
  s.out = output_options(o);
  s.overrides = setting_overrides(o);
  if (s.overrides.sampler)
    parse_sampler(*s.overrides.sampler);  // a bad name fails before the model loads
  const Device requested = parse_device(o.device);
  s.device = resolve_device(requested);
  GeneratorOptions options;
  options.model_dir = model_folder(o.model);
  options.device = requested;  // as asked: auto keeps the networks on the CPU under a CPU LibTorch
  options.threads = o.threads;
  s.generator = std::make_unique<Generator>(options);
  if (!o.pose.empty()) {
    const AvatarTemplate& templ = s.generator->avatar_template();
    s.out.pose =
        OutputPose{o.pose, resolve_pose(o.pose, skeleton_from_template(templ), "--pose"), &templ};
  }
  s.settings = GenerateSettings::resolve(s.manifest(), s.overrides);
  s.guidance = resolve_guidance(s.manifest(), s.overrides);
  if (s.out.views > 0 || always_render) s.renderer = make_renderer(s.device);
  return s;
}

}  // namespace tera::cli
