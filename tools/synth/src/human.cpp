#include "human.h"

#include "tera/core/error.h"

namespace tera::synth {

std::vector<float> shape_body(const AssetPack& pack, const MacroParams& macro,
                              const std::vector<float>& details) {
  std::vector<float> full = pack.body.rest_full;
  static const std::string kMacroPrefix = "macrodetails/";
  for (const auto& target : pack.targets) {
    if (target.name.rfind(kMacroPrefix, 0) != 0) continue;
    const auto basename = target.name.substr(target.name.find_last_of('/') + 1);
    apply_target(target, macro_target_weight(basename, macro), full);
  }
  if (!details.empty() && details.size() != pack.modifiers.size()) {
    throw UsageError("detail values: expected " + std::to_string(pack.modifiers.size()) + ", got " +
                     std::to_string(details.size()));
  }
  for (std::size_t m = 0; m < details.size(); ++m) {
    const DetailModifier& modifier = pack.modifiers[m];
    const float v = details[m];
    if (v > 0.f)
      for (auto t : modifier.max_targets) apply_target(pack.targets[t], v, full);
    if (v < 0.f)
      for (auto t : modifier.min_targets) apply_target(pack.targets[t], -v, full);
  }
  return full;
}

Human build_human(const AssetPack& pack, const HumanSpec& spec) {
  Human human;
  human.full = shape_body(pack, spec.macro, spec.details);
  for (const auto& name : spec.proxies) {
    const int index = pack.find_proxy(name);
    if (index < 0) throw UsageError("unknown proxy asset '" + name + "'");
    FittedProxy fitted;
    fitted.proxy = &pack.proxies[index];
    fitted.positions = fit_proxy(*fitted.proxy, human.full);
    human.proxies.push_back(std::move(fitted));
  }
  return human;
}

std::vector<float> sample_details(const AssetPack& pack, Rng& rng) {
  constexpr float kChance = 0.25f;  // share of sliders moved per avatar: varied but not caricatured
  constexpr float kMaxValue = 0.6f;  // beyond this, MakeHuman's detail targets look distorted
  std::vector<float> values(pack.modifiers.size(), 0.f);
  for (std::size_t m = 0; m < values.size(); ++m) {
    const bool move = rng.uniform() < kChance;
    const float u = rng.uniform();  // drawn every time so each slider keeps its own stream position
    if (!move) continue;
    values[m] = pack.modifiers[m].min_targets.empty() ? u * kMaxValue : (2.f * u - 1.f) * kMaxValue;
  }
  return values;
}

}  // namespace tera::synth
