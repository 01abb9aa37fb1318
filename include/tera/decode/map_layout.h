// How a decoder's maps [K, R, R] are laid out: which channels of each layer hold which attribute.
// A model package's manifest names it (docs/model-package.md); the teacher's maps have one too.
#pragma once

#include <string>

namespace tera {

// One map layer's channels. Each field is the index of the attribute's first channel; attributes
// are consecutive channels.
struct LayerChannels {
  std::string name;  // e.g. "body", "outer"
  int offset =
      -1;  // 3: offset from the anchor in the texel frame (tangent, bitangent, normal), metres
  int color = -1;      // 3: display RGB in [0, 1] (clamped), becomes the SH DC term
  int opacity = -1;    // 1: opacity logit (alpha = sigmoid), or alpha itself (opacity_is_alpha)
  int log_scale = -1;  // 3: log sigma along the local axes (tangent, bitangent, normal)
  int rotation = -1;   // 1 (angle) or 4 (quaternion): local rotation in the texel frame
  bool rotation_is_quaternion = false;  // false: in-plane angle in radians about the normal
  bool opacity_is_alpha = false;  // true: the channel holds alpha in [0, 1] (the teacher's maps)
};

}  // namespace tera
