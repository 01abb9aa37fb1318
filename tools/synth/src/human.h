// Building a human: MakeHuman macro shape plus detail modifiers applied to the base mesh, and the
// chosen proxies (hair, clothes, shoes, hat, eyebrows, eyelashes, eyes) fitted to that shape.
#pragma once

#include <string>
#include <vector>

#include "asset_pack.h"
#include "tera/core/rng.h"

namespace tera::synth {

struct HumanSpec {
  MacroParams macro;
  std::vector<float> details;        // [pack.modifiers.size()] slider values (empty: all 0)
  std::vector<std::string> proxies;  // proxy names to fit
};

struct FittedProxy {
  const Proxy* proxy = nullptr;  // points into the pack
  std::vector<float> positions;  // [P, 3] metres
};

struct Human {
  std::vector<float> full;           // [N, 3] shaped base mesh (body and helpers), metres
  std::vector<FittedProxy> proxies;  // in the order of HumanSpec::proxies
};

// The base mesh with macro targets (MakeHuman's weighting) and detail modifiers applied.
std::vector<float> shape_body(const AssetPack& pack, const MacroParams& macro,
                              const std::vector<float>& details);

// Shapes the body and fits every named proxy; throws UsageError naming an unknown proxy.
Human build_human(const AssetPack& pack, const HumanSpec& spec);

// A seeded random subset of detail modifiers: about a quarter of the sliders get a value,
// two-sided ones in [-0.6, 0.6], one-sided ones in [0, 0.6]; the rest stay 0.
std::vector<float> sample_details(const AssetPack& pack, Rng& rng);

}  // namespace tera::synth
