// An assembled avatar ready to pose: its rest Gaussians, where each came from, their skin weights
// and the template's skeleton.
#pragma once

#include "tera/core/gaussian_set.h"
#include "tera/decode/assembly.h"
#include "tera/decode/avatar_template.h"
#include "tera/pose/skeleton.h"
#include "tera/pose/skinning.h"

namespace tera {

struct SkinnedAvatar {
  GaussianSet rest;         // as assembled, in the rest pose
  GaussianOrigins origins;  // texel and layer of every Gaussian
  GaussianSkin skin;        // [N, 4] bones and weights
  Skeleton skeleton;  // the template's rig with this avatar's joints as pivots (avatar_joints.h)

  // Throws ModelError when the origins do not fit the set or the template. `joints`: the avatar's
  // skeleton when already fitted (e.g. on the complete skin layer, hidden texels included); else it
  // is fitted on `rest`.
  SkinnedAvatar(GaussianSet rest, GaussianOrigins origins, const AvatarTemplate& templ,
                const Skeleton* joints = nullptr);
  GaussianSet posed(const Pose& pose, const SkinningOptions& options = {}) const;
};

}  // namespace tera
