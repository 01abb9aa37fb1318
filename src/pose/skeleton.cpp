// Skeleton, forward kinematics and pose interpolation; see include/tera/pose/skeleton.h.
#include "tera/pose/skeleton.h"

#include "tera/core/error.h"
#include "tera/core/rotation.h"

namespace tera {

int Skeleton::find(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Skeleton skeleton_from_template(const AvatarTemplate& templ) {
  const std::size_t b = templ.bone_names.size();
  if (templ.bone_parents.size() != b || templ.bone_heads.size() != 3 * b) {
    throw ModelError("template rig: " + std::to_string(b) + " bone names but " +
                     std::to_string(templ.bone_parents.size()) + " parents and " +
                     std::to_string(templ.bone_heads.size() / 3) + " heads");
  }
  for (std::size_t i = 0; i < b; ++i) {
    if (templ.bone_parents[i] >= static_cast<std::int32_t>(i) || templ.bone_parents[i] < -1) {
      throw ModelError("template rig: bone '" + templ.bone_names[i] + "' has parent " +
                       std::to_string(templ.bone_parents[i]) +
                       "; parents must precede their children");
    }
  }
  return Skeleton{templ.bone_names, templ.bone_parents, templ.bone_heads};
}

Pose Pose::rest(int bones) {
  Pose pose;
  pose.rotations.assign(static_cast<std::size_t>(bones) * 4, 0.f);
  for (int i = 0; i < bones; ++i) pose.rotations[static_cast<std::size_t>(i) * 4] = 1.f;
  return pose;
}

BoneTransforms forward_kinematics(const Skeleton& skeleton, const Pose& pose) {
  const int b = skeleton.size();
  if (pose.size() != b) {
    throw Error("forward_kinematics: the pose has " + std::to_string(pose.size()) +
                " bones, the skeleton " + std::to_string(b));
  }
  BoneTransforms out;
  out.rotation.resize(static_cast<std::size_t>(b) * 9);
  out.quaternion.resize(static_cast<std::size_t>(b) * 4);
  out.translation.resize(static_cast<std::size_t>(b) * 3);
  out.identity.resize(static_cast<std::size_t>(b));
  for (int i = 0; i < b; ++i) {
    const std::size_t u = static_cast<std::size_t>(i);
    const int parent = skeleton.parents[u];
    float* q = &out.quaternion[u * 4];
    float* r = &out.rotation[u * 9];
    float* t = &out.translation[u * 3];
    const float* head = &skeleton.heads[u * 3];
    const float* local = &pose.rotations[u * 4];
    // Posed head = the parent's transform applied to the rest head (the root: plus its
    // translation).
    float posed_head[3];
    if (parent < 0) {
      for (int k = 0; k < 4; ++k) q[k] = local[k];
      for (int k = 0; k < 3; ++k)
        posed_head[k] = head[k] + pose.root_translation[static_cast<std::size_t>(k)];
    } else {
      const std::size_t p = static_cast<std::size_t>(parent);
      rot::quat_multiply(&out.quaternion[p * 4], local, q);
      rot::mat_vec(&out.rotation[p * 9], head, posed_head);
      for (int k = 0; k < 3; ++k)
        posed_head[k] += out.translation[p * 3 + static_cast<std::size_t>(k)];
    }
    rot::quat_to_matrix(q, r);
    float rotated_head[3];
    rot::mat_vec(r, head, rotated_head);
    bool identity = true;
    for (int k = 0; k < 3; ++k) {
      t[k] = posed_head[k] - rotated_head[k];  // x' = R (x - head) + posed head
      identity = identity && t[k] == 0.f;
    }
    for (int k = 0; k < 9; ++k) identity = identity && r[k] == ((k % 4 == 0) ? 1.f : 0.f);
    out.identity[u] = identity ? 1 : 0;
  }
  return out;
}

Pose interpolate_poses(const Pose& a, const Pose& b, float t) {
  if (a.size() != b.size()) {
    throw Error("interpolate_poses: poses of " + std::to_string(a.size()) + " and " +
                std::to_string(b.size()) + " bones");
  }
  Pose out = a;
  for (int i = 0; i < a.size(); ++i) {
    const std::size_t o = static_cast<std::size_t>(i) * 4;
    rot::quat_slerp(&a.rotations[o], &b.rotations[o], t, &out.rotations[o]);
  }
  for (std::size_t k = 0; k < 3; ++k)
    out.root_translation[k] = (1.f - t) * a.root_translation[k] + t * b.root_translation[k];
  return out;
}

std::vector<float> posed_heads(const Skeleton& skeleton, const BoneTransforms& transforms) {
  std::vector<float> out(skeleton.heads.size());
  for (int i = 0; i < skeleton.size(); ++i) {
    const std::size_t u = static_cast<std::size_t>(i);
    rot::mat_vec(&transforms.rotation[u * 9], &skeleton.heads[u * 3], &out[u * 3]);
    for (std::size_t k = 0; k < 3; ++k) out[u * 3 + k] += transforms.translation[u * 3 + k];
  }
  return out;
}

}  // namespace tera
