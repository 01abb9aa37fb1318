// How well a (posed) avatar's layers hold together, to compare before and after posing:
//  * outer layers (garment, hair, accessories) should stay on the body: the share of outer-layer
//    Gaussians farther than `far` from the nearest skin-layer Gaussian;
//  * the skin should not tear or stretch across joints: nearest-neighbour gaps within the skin
//    layer (largest, and the 99.9th percentile, which ignores a handful of stray Gaussians).
#pragma once

#include <cstddef>

#include "tera/core/gaussian_set.h"
#include "tera/decode/assembly.h"

namespace tera {

struct LayerFit {
  std::size_t skin = 0, outer = 0;  // Gaussians in layer 0, and in the other layers
  double outer_far_share = 0.0;     // of the outer ones, the share farther than `far` from the skin
  double skin_gap_max = 0.0;        // metres; capped at kMaxGapSearch (an isolated Gaussian)
  double skin_gap_p999 = 0.0;       // metres
};

constexpr double kMaxGapSearch = 0.5;  // metres searched for a neighbour; farther counts as 0.5

// set and origins in the same order (as assembled, or posed from it). Layer 0 is the skin.
LayerFit measure_layer_fit(const GaussianSet& set, const GaussianOrigins& origins,
                           float far = 0.02f);
// As above with the skin taken from layer 0 of `body` (e.g. every texel's skin Gaussian, hidden
// ones included, posed alike) and the outer layers from `set`.
LayerFit measure_layer_fit(const GaussianSet& body, const GaussianOrigins& body_origins,
                           const GaussianSet& set, const GaussianOrigins& origins,
                           float far = 0.02f);

}  // namespace tera
