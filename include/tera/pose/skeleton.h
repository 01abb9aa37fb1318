// The template's skeleton, poses of it and forward kinematics. Conventions (docs/animation.md):
// tera's frame (metres, +Y up, facing +Z); the rest pose has no joint orientation, so a bone's
// local rotation is expressed in world axes at rest, and global = parent global * local.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "tera/decode/avatar_template.h"

namespace tera {

struct Skeleton {
  std::vector<std::string> names;     // [B]
  std::vector<std::int32_t> parents;  // [B] -1 for the root; every parent precedes its children
  std::vector<float> heads;           // [B, 3] rest joint positions (the pivots), metres

  int size() const { return static_cast<int>(names.size()); }
  int find(const std::string& name) const;  // bone index, or -1
};

// The template's rig. Throws ModelError when a parent does not precede its child or the arrays
// disagree.
Skeleton skeleton_from_template(const AvatarTemplate& templ);

// The farthest a pose may move the root from its rest place, metres: a motion that travels a
// kilometre from its start is a broken file or a wrong unit, and would frame the avatar as a dot.
constexpr float kMaxRootTranslation = 1000.f;

// A pose: per bone a local rotation relative to the rest pose, plus a translation of the root.
struct Pose {
  std::vector<float> rotations;                          // [B, 4] unit (w, x, y, z) quaternions
  std::array<float, 3> root_translation{0.f, 0.f, 0.f};  // metres, moves the whole skeleton

  static Pose rest(int bones);  // identity rotations, no translation
  int size() const { return static_cast<int>(rotations.size() / 4); }
};

// Per bone the rigid map from the rest pose to the posed one: x' = R x + t.
struct BoneTransforms {
  std::vector<float> rotation;         // [B, 9] row-major R
  std::vector<float> quaternion;       // [B, 4] the same rotation as a unit quaternion
  std::vector<float> translation;      // [B, 3] t
  std::vector<std::uint8_t> identity;  // [B] 1 when R = I and t = 0 exactly (skinning skips it)
  int size() const { return static_cast<int>(identity.size()); }
};

// Forward kinematics about the skeleton's rest heads. Throws Error when the pose has another bone
// count than the skeleton. The rest pose gives identity transforms exactly.
BoneTransforms forward_kinematics(const Skeleton& skeleton, const Pose& pose);

// Keyframe interpolation: per bone slerp of the local rotations, linear root translation.
// t = 0 gives a, t = 1 gives b. Throws Error when the bone counts differ.
Pose interpolate_poses(const Pose& a, const Pose& b, float t);

// Posed joint positions [B, 3] (the heads after forward kinematics).
std::vector<float> posed_heads(const Skeleton& skeleton, const BoneTransforms& transforms);

}  // namespace tera
