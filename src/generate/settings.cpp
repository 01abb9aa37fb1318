// Generation settings against a package's defaults; see include/tera/generate/settings.h.
#include "tera/generate/settings.h"

#include "tera/core/error.h"

namespace tera {

SettingOverrides SettingOverrides::over(const SettingOverrides& base) const {
  SettingOverrides out = base;
  if (steps) out.steps = steps;
  if (sampler) out.sampler = sampler;
  if (guidance) out.guidance = guidance;
  if (min_opacity) out.min_opacity = min_opacity;
  return out;
}

GenerateSettings GenerateSettings::resolve(const ModelManifest& manifest,
                                           const SettingOverrides& overrides) {
  GenerateSettings settings;
  settings.steps = overrides.steps.value_or(manifest.default_steps);
  sampling_timesteps(manifest.schedule.num_train_steps, settings.steps,
                     manifest.schedule.spacing);  // checks the range
  settings.sampler = parse_sampler(overrides.sampler.value_or(manifest.default_sampler));
  if (overrides.min_opacity) settings.assembly.min_opacity = *overrides.min_opacity;
  return settings;
}

float resolve_guidance(const ModelManifest& manifest, const SettingOverrides& overrides) {
  const float guidance = overrides.guidance.value_or(manifest.default_guidance);
  if (!(guidance >= 0.f && guidance <= kMaxGuidance)) {
    throw UsageError("guidance", "expected 0.." + std::to_string(static_cast<int>(kMaxGuidance)) +
                                     ", got " + std::to_string(guidance));
  }
  return guidance;
}

}  // namespace tera
