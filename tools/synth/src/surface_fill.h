// Nearest-anchor filling: dense samples of the outer surfaces (garments, hair, hat) that no
// texel's ray reached are given to the nearest texel whose slot in that layer is still free.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "bake.h"
#include "vec3.h"

namespace tera::synth {

// One outer mesh to fill from.
struct FillSurface {
  const std::vector<float>* positions = nullptr;       // [P, 3] fitted, metres
  const std::vector<std::int32_t>* quads = nullptr;    // [F, 4]
  int layer = 1;                                       // 1 garments and shoes, 2 hair and hat
  std::int32_t mesh = 0;                               // caller's index, handed back to the colour callback
  // [F] or null: quads whose samples may only take layer-1 slots allowed by row 2 of
  // FillTexels::allowed (a top's colour stays in the upper-body and arm regions).
  const std::vector<std::uint8_t>* confined = nullptr;
};

// Per texel of the avatar being baked.
struct FillTexels {
  const std::vector<float>* position = nullptr;  // [M, 3] anchor on the shaped body, metres
  // [3, M]: whether layer 1 (row 0) / layer 2 (row 1) may hold this texel's surface at all (a
  // sample whose nearest texel may not is left out: hair in front of the face), and whether
  // confined quads may take its layer-1 slot (row 2).
  const std::vector<std::uint8_t>* allowed = nullptr;
};

// What a surface point looks like before shading: its sRGB colour and which part it belongs to.
struct FillAppearance {
  Vec3 colour;
  TeacherPart part = TeacherPart::kNone;
};
// (surface, quad, point, anchor texel) -> appearance.
using FillAppearanceFn = std::function<FillAppearance(const FillSurface&, std::int32_t, const Vec3&, std::size_t)>;

struct FillStats {
  std::size_t samples = 0;   // outer-surface samples drawn
  std::size_t uncovered = 0; // of which no Gaussian was near
  std::size_t filled = 0;    // Gaussians added to free slots
};

// Adds Gaussians for uncovered outer-surface samples to `maps` ([3, M, C] over the template's
// texels); every sample ends within `radius` of a Gaussian's one-sigma extent unless no free,
// allowed slot lies within `max_anchor_distance` of it.
FillStats fill_uncovered(const Template& t, const std::vector<FillSurface>& surfaces, const FillTexels& texels,
                         const FillAppearanceFn& appearance, float radius, float max_anchor_distance, BakedMaps& maps);

}  // namespace tera::synth
