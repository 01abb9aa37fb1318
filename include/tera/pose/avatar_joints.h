// Per-avatar joints. The decoder's offsets carry the body's shape, so a tall or heavy avatar's
// elbow is not at the template's elbow; rotating about the template's joints would swing limbs
// about the wrong points. Each joint is moved by the mean displacement (Gaussian minus its texel's
// rest anchor) of the skin around it: the skin-layer Gaussians weighted to both the bone and its
// parent (the blend zone across the joint), else those weighted to the bone, else the parent's
// shift.
#pragma once

#include "tera/core/gaussian_set.h"
#include "tera/decode/assembly.h"
#include "tera/decode/avatar_template.h"
#include "tera/pose/skeleton.h"

namespace tera {

// set and origins: an assembled avatar (any min_opacity). Returns the template's skeleton with
// shifted heads.
Skeleton avatar_skeleton(const AvatarTemplate& templ, const GaussianSet& set,
                         const GaussianOrigins& origins);

}  // namespace tera
