// Per-avatar joints; see include/tera/pose/avatar_joints.h.
#include "tera/pose/avatar_joints.h"

#include <array>

namespace tera {
namespace {

// Below this summed weight a zone holds too little skin to trust (a few texels' worth).
constexpr double kMinZoneWeight = 0.5;

}  // namespace

Skeleton avatar_skeleton(const AvatarTemplate& templ, const GaussianSet& set,
                         const GaussianOrigins& origins) {
  Skeleton skeleton = skeleton_from_template(templ);
  const std::size_t bones = static_cast<std::size_t>(skeleton.size());
  // Per bone: summed weight and weighted displacement, for the joint zone and the bone's own skin.
  std::vector<double> zone_w(bones, 0.0), own_w(bones, 0.0);
  std::vector<std::array<double, 3>> zone_d(bones, {0.0, 0.0, 0.0}), own_d(bones, {0.0, 0.0, 0.0});
  for (std::size_t g = 0; g < set.size(); ++g) {
    if (origins.layer[g] != 0)
      continue;  // outer layers hang off the body: they do not say where it is
    const std::size_t t = origins.texel[g];
    double d[3];
    for (std::size_t k = 0; k < 3; ++k)
      d[k] = static_cast<double>(set.positions[3 * g + k]) - templ.position[3 * t + k];
    for (int i = 0; i < kTemplateInfluences; ++i) {
      const float w = templ.weights[4 * t + static_cast<std::size_t>(i)];
      if (!(w > 0.f)) continue;
      const std::size_t b = templ.bones[4 * t + static_cast<std::size_t>(i)];
      own_w[b] += w;
      for (std::size_t k = 0; k < 3; ++k) own_d[b][k] += w * d[k];
      const int parent = skeleton.parents[b];
      if (parent < 0) continue;
      for (int j = 0; j < kTemplateInfluences; ++j) {
        const float wp = templ.weights[4 * t + static_cast<std::size_t>(j)];
        if (templ.bones[4 * t + static_cast<std::size_t>(j)] != parent || !(wp > 0.f)) continue;
        zone_w[b] += w * wp;
        for (std::size_t k = 0; k < 3; ++k) zone_d[b][k] += w * wp * d[k];
      }
    }
  }
  std::vector<std::array<double, 3>> shift(bones, {0.0, 0.0, 0.0});
  for (std::size_t b = 0; b < bones; ++b) {
    const int parent = skeleton.parents[b];
    if (zone_w[b] >= kMinZoneWeight) {
      for (std::size_t k = 0; k < 3; ++k) shift[b][k] = zone_d[b][k] / zone_w[b];
    } else if (own_w[b] >= kMinZoneWeight) {
      for (std::size_t k = 0; k < 3; ++k) shift[b][k] = own_d[b][k] / own_w[b];
    } else if (parent >= 0) {
      shift[b] = shift[static_cast<std::size_t>(parent)];
    }
    for (std::size_t k = 0; k < 3; ++k)
      skeleton.heads[3 * b + k] += static_cast<float>(shift[b][k]);
  }
  return skeleton;
}

}  // namespace tera
