// Gaussian assembly from decoder maps and the UV template; see include/tera/decode/assembly.h.
#include "tera/decode/assembly.h"

#include <algorithm>
#include <cmath>

#include "tera/core/error.h"
#include "tera/core/parameterisation.h"
#include "tera/core/rotation.h"

namespace tera {
namespace {

float logit(float p) { return std::log(p / (1.f - p)); }

}  // namespace

GaussianSet assemble_gaussians(const std::vector<float>& maps, int channels, int resolution,
                               const std::vector<LayerChannels>& layers,
                               const AvatarTemplate& templ, const AssemblyOptions& options,
                               GaussianOrigins* origins) {
  const std::size_t plane = static_cast<std::size_t>(resolution) * resolution;
  if (maps.size() != static_cast<std::size_t>(channels) * plane) {
    throw ModelError("decoder maps hold " + std::to_string(maps.size()) +
                     " values, expected K*R*R = " + std::to_string(channels) + "*" +
                     std::to_string(resolution) + "^2");
  }
  if (templ.resolution != resolution) {
    throw ModelError("template resolution " + std::to_string(templ.resolution) +
                     " differs from maps.resolution " + std::to_string(resolution));
  }
  constexpr std::size_t kMaxOriginLayers = 256;  // GaussianOrigins::layer is a uint8
  if (origins && layers.size() > kMaxOriginLayers) {
    throw ModelError("maps.layers holds " + std::to_string(layers.size()) + " layers; at most " +
                     std::to_string(kMaxOriginLayers) + " can be told apart");
  }
  const float min_logit =
      options.min_opacity <= 0.f ? -INFINITY : logit(std::min(options.min_opacity, 0.999999f));
  const std::size_t texels = templ.texel_count();
  GaussianSet set;
  set.resize(texels * layers.size(), 0);
  std::vector<char> keep(set.size(), 0);
  const auto at = [&](int channel, std::size_t texel) {
    return maps[static_cast<std::size_t>(channel) * plane + texel];
  };
  std::size_t g = 0;
  for (const LayerChannels& layer : layers) {
    for (std::size_t i = 0; i < texels; ++i, ++g) {
      const std::size_t cell = templ.texel[i];
      const float raw_opacity = at(layer.opacity, cell);
      const float opacity =
          layer.opacity_is_alpha ? opacity_logit_from_alpha(raw_opacity) : raw_opacity;
      keep[g] = opacity >= min_logit ? 1 : 0;
      float frame[9];  // rows: tangent, bitangent, normal
      templ.frame(i, frame);
      const float offset[3] = {at(layer.offset, cell), at(layer.offset + 1, cell),
                               at(layer.offset + 2, cell)};
      for (int k = 0; k < 3; ++k) {
        set.positions[3 * g + k] = templ.position[3 * i + k] + frame[k] * offset[0] +
                                   frame[3 + k] * offset[1] + frame[6 + k] * offset[2];
        set.log_scales[3 * g + k] = at(layer.log_scale + k, cell);
        const float colour = std::clamp(at(layer.color + k, cell), 0.f, 1.f);
        set.sh[3 * g + k] = (colour - 0.5f) / kShC0;
      }
      set.opacity_logits[g] = opacity;
      // Local-to-world matrix has the frame vectors as columns: transpose of the row form.
      const float local_to_world[9] = {frame[0], frame[3], frame[6], frame[1], frame[4],
                                       frame[7], frame[2], frame[5], frame[8]};
      float q_frame[4], q_local[4];
      quaternion_from_matrix(local_to_world, q_frame);
      if (layer.rotation_is_quaternion) {
        float norm = 0.f;
        for (int k = 0; k < 4; ++k) {
          q_local[k] = at(layer.rotation + k, cell);
          norm += q_local[k] * q_local[k];
        }
        norm = std::sqrt(norm);
        if (norm > 0.f) {
          for (float& c : q_local) c /= norm;
        } else {
          q_local[0] = 1.f;  // a zero quaternion means no rotation
          q_local[1] = q_local[2] = q_local[3] = 0.f;
        }
      } else {
        const float half = 0.5f * at(layer.rotation, cell);
        q_local[0] = std::cos(half);
        q_local[1] = q_local[2] = 0.f;
        q_local[3] = std::sin(half);  // about the local z axis: the normal
      }
      rot::quat_multiply(q_frame, q_local, &set.rotations[4 * g]);
    }
  }
  set.filter(keep);
  if (origins) {
    origins->texel.clear();
    origins->layer.clear();
    for (std::size_t k = 0; k < keep.size(); ++k) {
      if (!keep[k]) continue;
      origins->texel.push_back(static_cast<std::uint32_t>(k % texels));
      origins->layer.push_back(static_cast<std::uint8_t>(k / texels));
    }
  }
  return set;
}

}  // namespace tera
