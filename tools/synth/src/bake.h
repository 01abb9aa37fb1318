// Baking a dressed, coloured human into layered UV maps over the template, and assembling maps
// into Gaussians. Layer 0 is the skin on the shaped body; layer 1 holds garments and shoes;
// layer 2 holds hair, hat, facial hair and glasses.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "asset_pack.h"
#include "attributes.h"
#include "human.h"
#include "template.h"
#include "tera/core/gaussian_set.h"
#include "tera/decode/map_layout.h"

namespace tera::synth {

constexpr int kMapLayers = 3;
// Channels per layer: offset from the anchor in the anchor's rest frame (tangent, bitangent,
// normal; metres) 0-2, colour sRGB 3-5, opacity 0..1 6, log-scale along the rotated tangent,
// bitangent and normal 7-9, in-plane rotation angle about the normal (radians) 10, and the
// teacher's label of what the Gaussian shows (a TeacherPart) 11. Channels 0-10 are the model
// package's per-layer layout; the label is ground truth for fitting and evaluation only.
constexpr int kMapChannels = 12;
enum MapChannel : int {
  kOffset = 0,
  kColour = 3,
  kOpacity = 6,
  kLogScale = 7,
  kAngle = 10,
  kPart = 11
};

// What a baked Gaussian shows (channel kPart; kNone where nothing was baked into the slot; a
// skin Gaussian hidden under a garment keeps kSkin with opacity 0).
enum class TeacherPart : int {
  kNone = 0,
  kSkin,
  kTop,
  kBottom,
  kShoes,
  kHat,
  kHair,
  kFacialHair,
  kGlasses
};

// Maps of one avatar over the template's valid texels.
struct BakedMaps {
  int resolution = 0;
  std::vector<float> values;  // [L, M, C] layer-major, texels in template order
  float* at(std::size_t layer, std::size_t texel, std::size_t texel_count) {
    return &values[(layer * texel_count + texel) * kMapChannels];
  }
  const float* at(std::size_t layer, std::size_t texel, std::size_t texel_count) const {
    return &values[(layer * texel_count + texel) * kMapChannels];
  }
};

// What a bake also reports (for coverage checks and debugging).
struct BakeReport {
  std::vector<float> dressed_points;     // [S, 3] dense samples of the visible dressed surface
  std::vector<std::uint8_t> point_part;  // [S] 0 body, 1 garments and shoes, 2 hair and hat
  std::size_t outer_texels = 0;          // texels with an opaque layer 1 or 2
  std::size_t filled_gaussians = 0;      // outer Gaussians added for surface no texel ray reached
};

// Where the filling of a canonical body put each sample: (surface in the caller's list, quad,
// triangle half, sample index within the triangle) -> (layer, texel). A sample is the same point
// of its mesh on every body, so replaying a plan puts the same garment or hair point into the same
// slot on every avatar that wears the same meshes.
struct FillPlacement {
  std::int32_t surface = 0, quad = 0, half = 0, sample = 0;
  std::int32_t layer = 0;
  std::uint32_t texel = 0;
};
using FillPlan = std::vector<FillPlacement>;

class RayDevice;

// Splits a garment into top (0) and bottom (1) per quad [F]: each connected piece goes whole to
// the side of the waist (height `waist_y`) that holds at least 70% of its quads; pieces that
// straddle it (overalls, dresses) are split at the waist. `positions` [P, 3] fitted at rest.
std::vector<std::uint8_t> garment_bottom_quads(const std::vector<std::int32_t>& quads,
                                               const std::vector<float>& positions, float waist_y);

// Bakes an avatar. Per-thread state (the ray device) lives in the baker; a baker is not shared
// between threads.
class Baker {
 public:
  Baker(const AssetPack& pack, const Template& tmpl);
  ~Baker();
  BakedMaps bake(const Attributes& attributes, BakeReport* report = nullptr) const;

 private:
  // Surface filling first replays where a canonical body (MakeHuman's default shape) wearing the
  // same meshes put its fill Gaussians, so a garment or hair point takes the same slot on every
  // avatar and the maps vary smoothly with the body (what a compact latent can fit); plans are
  // cached per set of worn meshes.
  const FillPlan& fill_plan(const Attributes& attributes, const HumanSpec& spec) const;
  BakedMaps bake_human(const Attributes& attributes, const Human& human, const FillPlan* plan,
                       FillPlan* record, BakeReport* report) const;

  const AssetPack& pack_;
  const Template& template_;
  std::vector<float> texel_sigma_scale_;  // [M] texel footprint per metre of shape scaling
  std::vector<std::vector<std::uint8_t>>
      quad_is_bottom_;  // per proxy, [F]: 1 where a garment quad is a bottom
  std::vector<std::vector<float>>
      rest_fitted_;  // per proxy, [P, 3] fitted to the rest body (outer kinds only)
  std::unique_ptr<RayDevice> device_;
  mutable std::map<std::string, FillPlan> plans_;  // worn meshes -> canonical fill plan
};

// The teacher's maps as the library's assembly reads them: layer l's channels at l * kMapChannels
// (alpha opacity, in-plane angle), scattered from [L, M, C] into a dense [L * C, R, R] grid.
std::vector<LayerChannels> teacher_layer_channels();
std::vector<float> dense_maps(const Template& tmpl, const BakedMaps& maps);  // [L * C, R, R]

// Maps to Gaussians (SH degree 0) through the template with tera::assemble_gaussians: texels whose
// opacity is below 1/255 are skipped.
GaussianSet assemble_gaussians(const Template& tmpl, const BakedMaps& maps);

struct Human;
// Dense samples [S, 3] of the dressed surface: body triangles not hidden by garments (`hidden`
// over full-mesh vertices) and every garment, hat and hair triangle, about one per 5 mm square.
std::vector<float> sample_dressed_surface(const AssetPack& pack, const Human& human,
                                          const std::vector<float>& shaped_body,
                                          const std::vector<char>& hidden,
                                          std::vector<std::uint8_t>& part);

// Metres: the largest one-sigma extent covered_points credits one Gaussian with (keeps its grid
// small); the surface fill uses the same cap so that what it adds is what the measure counts.
constexpr float kCoverageExtentCap = 0.03f;
// Per point [S]: whether it lies within `radius` of some Gaussian, measured from the Gaussian's
// one-sigma ellipsoid (approximated by a sphere of its largest sigma, at most kCoverageExtentCap)
// when `use_extent`, else from its centre.
std::vector<char> covered_points(const std::vector<float>& points, const GaussianSet& set,
                                 float radius, bool use_extent);
// Share of covered points, optionally only those with part[i] == only_part (-1: all).
double coverage_share(const std::vector<char>& covered, const std::vector<std::uint8_t>& part,
                      int only_part);

}  // namespace tera::synth
