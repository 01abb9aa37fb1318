// Gaussian assembly: decoder maps + UV template -> GaussianSet, driven by the manifest's channel
// layout. Every valid texel of every layer becomes one Gaussian (unless nearly transparent):
//   position = rest position + [tangent bitangent normal] * offset
//   rotation = q(frame) * q(local)        (local: angle about the normal, or a quaternion)
//   log-scale as predicted (local axes), colour -> SH DC, opacity logit as predicted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tera/core/gaussian_set.h"
#include "tera/core/parameterisation.h"  // quaternion_from_matrix, used with assembly
#include "tera/decode/avatar_template.h"
#include "tera/decode/map_layout.h"

namespace tera {

// Where each kept Gaussian comes from, in the order of the assembled set: later stages (skinning)
// look up its template data (skin weights, rest anchor) and tell body from outer layers.
struct GaussianOrigins {
  std::vector<std::uint32_t>
      texel;  // [N] index into the template's valid texels (not the R x R cell)
  std::vector<std::uint8_t> layer;  // [N] index into the manifest's layers (0 is the skin layer)
  std::size_t size() const { return texel.size(); }
};

struct AssemblyOptions {
  // Gaussians with alpha below this are dropped; 1/255 is what every renderer skips anyway.
  float min_opacity = 1.f / 255.f;
};

// maps: [K, R, R] one avatar's decoder output (K = channels, R = template resolution).
// Throws ModelError when the layout or the template does not fit the maps. When `origins` is given
// it receives the texel and layer of every kept Gaussian.
GaussianSet assemble_gaussians(const std::vector<float>& maps, int channels, int resolution,
                               const std::vector<LayerChannels>& layers,
                               const AvatarTemplate& templ, const AssemblyOptions& options,
                               GaussianOrigins* origins = nullptr);

}  // namespace tera
