// Binding a BVH motion to a skeleton: which BVH joint drives which bone (by name: MakeHuman's own
// names one to one, or a table of common Mixamo, CMU and MakeHuman game-rig names), and how the
// file's axes and units map to tera's frame (fitted from the rest joints; docs/animation.md).
// Each mapped bone takes the global rotation of its joint; an unmapped bone follows its parent.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "tera/pose/bvh.h"
#include "tera/pose/skeleton.h"

namespace tera {

struct BvhBinding {
  std::string naming;              // "makehuman", "mixamo", "cmu" or "makehuman-game"
  std::vector<int> bone_of_joint;  // [J] skeleton bone driven by each BVH joint, or -1
  std::vector<int> joint_of_bone;  // [B] BVH joint driving each bone, or -1
  std::array<float, 9>
      axes{};  // row-major proper signed permutation: tera vector = axes * file vector
  float metres_per_unit = 1.f;  // file units -> metres
  float rest_rms =
      0.f;  // rms distance, metres, of the mapped rest joints (converted) to the bones' rest heads
  bool fitted = false;  // axes and units fitted (at least 3 matched joints), else y-up metres
  int matched() const;  // bones with a joint
};

// The name tables for a naming scheme: (BVH joint name, MakeHuman bone name) pairs.
// Known schemes: "mixamo", "cmu", "makehuman-game". ("makehuman" maps names one to one.)
const std::vector<std::pair<std::string, std::string>>& bvh_name_table(const std::string& naming);

// Picks the naming scheme that matches most joints, then fits axes and units on the matched rest
// joints (least squares over the 24 axis permutations; units snap to dm, cm, mm, m or inches when
// within 5 %); with fewer than 3 matched joints the file is read as y-up metres, with a warning.
// Throws InputError naming the file when no joint matches a bone.
BvhBinding bind_bvh(const BvhMotion& motion, const Skeleton& skeleton);

// The skeleton's pose in `frame` (0-based): per bone a local rotation, and the root translation
// (the root's position channels minus its rest offset, converted). Throws InputError naming the
// file, frame and joint when the root moves beyond kMaxRootTranslation.
Pose bvh_pose(const BvhMotion& motion, const BvhBinding& binding, const Skeleton& skeleton,
              int frame);

// The pose at `seconds` from the first frame: slerp between the two nearest frames, clamped to
// the last frame.
Pose sample_bvh(const BvhMotion& motion, const BvhBinding& binding, const Skeleton& skeleton,
                double seconds);

}  // namespace tera
