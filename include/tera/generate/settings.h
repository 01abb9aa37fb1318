// Generation settings: what a caller may set, and how it resolves against a model package's
// defaults. One place for it, so `generate`, `batch`, `edit` and `interpolate` agree.
#pragma once

#include <optional>
#include <string>

#include "tera/decode/assembly.h"
#include "tera/diffusion/sampler.h"
#include "tera/model/manifest.h"

namespace tera {

// What a caller sets over the package's defaults; an unset field takes the package's value.
struct SettingOverrides {
  std::optional<int> steps;            // sampler steps
  std::optional<std::string> sampler;  // "ddim" or "dpm++2m"
  std::optional<float> guidance;       // classifier-free guidance scale
  std::optional<float> min_opacity;    // assembly's alpha floor

  // These overrides over `base`: a field set here wins (a batch item's own over the run's).
  SettingOverrides over(const SettingOverrides& base) const;
};

// Settings shared by a batch (the sampler visits the same timesteps for every item).
struct GenerateSettings {
  int steps = 0;
  SamplerKind sampler = SamplerKind::kDpmSolverPP2M;
  AssemblyOptions assembly;

  // The package's defaults with `overrides` applied, checked: throws UsageError for the parameter
  // "steps" (outside 1..the model's training steps) or "sampler" (not a sampler's name).
  static GenerateSettings resolve(const ModelManifest& manifest, const SettingOverrides& overrides);
};

// The guidance scale: the override when set, else the package's default. Throws UsageError for the
// parameter "guidance" outside 0..kMaxGuidance.
float resolve_guidance(const ModelManifest& manifest, const SettingOverrides& overrides);

}  // namespace tera
