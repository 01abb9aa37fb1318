// An avatar ready to pose; see include/tera/pose/skinned_avatar.h.
#include "tera/pose/skinned_avatar.h"

#include "tera/core/error.h"
#include "tera/pose/avatar_joints.h"

namespace tera {

SkinnedAvatar::SkinnedAvatar(GaussianSet rest_set, GaussianOrigins gaussian_origins,
                             const AvatarTemplate& templ, const Skeleton* joints)
    : rest(std::move(rest_set)), origins(std::move(gaussian_origins)) {
  if (origins.size() != rest.size() || origins.layer.size() != rest.size()) {
    throw ModelError("posing: " + std::to_string(origins.size()) + " Gaussian origins for " +
                     std::to_string(rest.size()) + " Gaussians");
  }
  skin = gaussian_skin(templ, origins);
  skeleton = joints ? *joints : avatar_skeleton(templ, rest, origins);
}

GaussianSet SkinnedAvatar::posed(const Pose& pose, const SkinningOptions& options) const {
  GaussianSet out;
  skin_gaussians(rest, skin, forward_kinematics(skeleton, pose), out, options);
  return out;
}

}  // namespace tera
