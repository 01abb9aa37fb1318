// Nearest-anchor filling: dense samples of the outer surfaces (garments, hair, hat) that no
// texel's ray reached are given to the nearest texel whose slot in that layer is still free.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "bake.h"
#include "vec3.h"

namespace tera::synth {

constexpr float kSampleSpacing =
    0.006f;  // metres: one sample per 6 mm square (the measure uses 5 mm)
constexpr float kFillSigma =
    0.6f * kSampleSpacing;  // 0.6 spacing: neighbouring fills overlap, as texels do

// One outer mesh to fill from.
struct FillSurface {
  const std::vector<float>* positions = nullptr;  // [P, 3] fitted, metres
  // [P, 3] the same mesh fitted to the rest (unshaped) body: samples choose their anchor texel by
  // rest distances, so a point of a garment is anchored to the same texel on every body.
  const std::vector<float>* rest_positions = nullptr;
  const std::vector<std::int32_t>* quads = nullptr;  // [F, 4]
  int layer = 1;                                     // 1 garments and shoes, 2 hair and hat
  std::int32_t mesh = 0;  // caller's index, handed back to the colour callback
  // [F] or null: quads whose samples may only take layer-1 slots allowed by row 2 of
  // FillTexels::allowed (a top's colour stays in the upper-body and arm regions).
  const std::vector<std::uint8_t>* confined = nullptr;
};

// Per texel of the avatar being baked.
struct FillTexels {
  const std::vector<float>* position =
      nullptr;  // [M, 3] anchor on the shaped body, metres (for the coverage box)
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
using FillAppearanceFn =
    std::function<FillAppearance(const FillSurface&, std::int32_t, const Vec3&, std::size_t)>;

struct FillStats {
  std::size_t samples = 0;    // outer-surface samples drawn
  std::size_t uncovered = 0;  // of which no Gaussian was near
  std::size_t filled = 0;     // Gaussians added to free slots
  std::size_t planned = 0;    // of which a plan placed
};

// Adds Gaussians for uncovered outer-surface samples to `maps` ([3, M, C] over the template's
// texels); every sample ends within `radius` of a Gaussian's one-sigma extent unless no free,
// allowed slot lies within `max_anchor_distance` of it. With `plan`, its placements come first
// (each into its slot when the slot is still free); the greedy search then fills what is left.
// With `record`, every placement made is appended to it.
FillStats fill_uncovered(const Template& t, const std::vector<FillSurface>& surfaces,
                         const FillTexels& texels, const FillAppearanceFn& appearance, float radius,
                         float max_anchor_distance, BakedMaps& maps, const FillPlan* plan = nullptr,
                         FillPlan* record = nullptr);

}  // namespace tera::synth
