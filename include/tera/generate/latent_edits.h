// Editing and interpolating avatars in the structured latent (docs/editing.md):
//   edit:        the tokens of the chosen parts re-generated under a new prompt by masked
//                inpainting (tera/diffusion/inpainting.h), every other token held to the source;
//   interpolate: avatars along the straight line between two latents.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tera/generate/avatar_folder.h"
#include "tera/generate/avatar_output.h"
#include "tera/generate/generator.h"
#include "tera/generate/path_spacing.h"

namespace tera {

struct EditRequest {
  std::string prompt;  // the edit prompt ("give her a blue jacket")
  std::string part =
      "auto";  // "auto" or comma-separated latent.tokens names (tera/generate/edit_parts.h)
  std::uint64_t seed = 0;  // initial noise of the edited tokens and the re-noising of the held ones
  float guidance = 1.f;
  GenerateSettings settings;
};

struct EditedAvatar {
  GeneratedAvatar avatar;
  AvatarRecord record;  // the source's record with this edit appended to its history
  std::vector<std::string> parts;
};

// Edits `source`; throws UsageError naming --part (see resolve_edit_parts) and --prompt.
EditedAvatar edit_avatar(Generator& generator, const AvatarFolder& source,
                         const EditRequest& request, StageTimes* times = nullptr,
                         const StepFn& on_step = {});

// One end of an interpolation: an output folder's latent, or a prompt's avatar.
struct InterpolationSource {
  std::vector<float> latent;  // [latent_size]
  InterpolationEnd end;
  AvatarFolder folder;  // when end.folder is set: the folder read back
};

// `text` names an output folder when such a folder exists (read with read_avatar_folder), else it
// is a prompt generated with `seed` and `settings` (tokenised under `label` for messages). An
// existing file, or one word that reads as a path ("avatars/a"), is an InputError; any other one
// word is generated with a warning (a mistyped folder name).
InterpolationSource interpolation_source(Generator& generator, const std::string& text,
                                         std::uint64_t seed, float guidance,
                                         const GenerateSettings& settings,
                                         const std::string& label);

// The path's positions: `steps` values evenly from 0 to `amount` (one step: `amount` itself).
std::vector<double> interpolation_positions(int steps, double amount);

// (1 - t) a + t b entry by entry: a, b [latent_size].
std::vector<float> interpolate_latent(const std::vector<float>& a, const std::vector<float>& b,
                                      double t);

// The far end of a blend toward a text edit: `a` (an output folder's source) edited by `request`;
// throws UsageError naming "A" when `a` is a prompt rather than a folder.
InterpolationSource edited_end(Generator& generator, const InterpolationSource& a,
                               const EditRequest& request);

struct InterpolationRequest {
  InterpolationSource a, b;
  std::vector<double> positions;               // along the path: 0 = a, 1 = b (path_positions)
  PathSpacing spacing = PathSpacing::kLinear;  // how `positions` were chosen (recorded)
  std::string attribute;  // the edit text when b is a's edit (edited_end), else empty
  float guidance = 1.f;   // recorded for prompt ends (folder ends keep their own)
  GenerateSettings settings;
};

struct InterpolationStep {
  std::filesystem::path dir;
  double t = 0.0;
  std::size_t gaussians = 0;
};

// Decodes the avatars along the straight path and writes each as generate does into
// <out>/step_00, step_01, … (avatar.json records both ends and t), then, with a renderer,
// <out>/interpolation_strip.png (returned; empty without one). `on_step` sees each step written.
std::filesystem::path write_interpolation(
    Generator& generator, const InterpolationRequest& request, const std::filesystem::path& out,
    const OutputOptions& options, Renderer* renderer,
    const std::function<void(const InterpolationStep&)>& on_step);

}  // namespace tera
