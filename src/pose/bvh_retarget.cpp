// Binding BVH motion to a skeleton; see include/tera/pose/bvh_retarget.h.
#include "tera/pose/bvh_retarget.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <spdlog/spdlog.h>

#include "tera/core/error.h"
#include "tera/core/rotation.h"

namespace tera {
namespace {

constexpr int kMinFittedJoints = 3;  // fewer cannot fix the axes (three points span a frame)
// Units a file is snapped to when the fitted scale is this close (relative): the fit is only as
// good as the two rigs' proportions agree, and a known unit is what the file meant.
constexpr float kUnitSnap = 0.05f;
constexpr float kKnownUnits[] = {1.f, 0.1f, 0.01f, 0.001f, 0.0254f};  // m, dm, cm, mm, inch

// The joint name without a namespace prefix ("mixamorig:Hips" -> "Hips").
std::string bare_name(const std::string& name) {
  const auto colon = name.rfind(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

// Bone of each joint under one naming scheme.
std::vector<int> map_joints(const BvhMotion& motion, const Skeleton& skeleton,
                            const std::string& naming) {
  std::vector<int> bone(motion.joints.size(), -1);
  for (std::size_t j = 0; j < motion.joints.size(); ++j) {
    const std::string name = bare_name(motion.joints[j].name);
    if (naming == "makehuman") {
      bone[j] = skeleton.find(name);
      continue;
    }
    for (const auto& [from, to] : bvh_name_table(naming)) {
      if (from == name) bone[j] = skeleton.find(to);
    }
  }
  return bone;
}

// The 24 proper signed permutation matrices (row-major), identity first.
std::vector<std::array<float, 9>> axis_permutations() {
  std::vector<std::array<float, 9>> out;
  const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (const auto& p : perms) {
    for (int signs = 0; signs < 8; ++signs) {
      std::array<float, 9> m{};
      for (int r = 0; r < 3; ++r)
        m[static_cast<std::size_t>(3 * r + p[r])] = (signs >> r) & 1 ? -1.f : 1.f;
      const float det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                        m[2] * (m[3] * m[7] - m[4] * m[6]);
      if (det > 0.f) out.push_back(m);
    }
  }
  return out;
}

void conjugate(const float* q, float* out) {
  out[0] = q[0];
  out[1] = -q[1];
  out[2] = -q[2];
  out[3] = -q[3];
}

}  // namespace

int BvhBinding::matched() const {
  int n = 0;
  for (const int j : joint_of_bone) n += j >= 0 ? 1 : 0;
  return n;
}

BvhBinding bind_bvh(const BvhMotion& motion, const Skeleton& skeleton) {
  BvhBinding binding;
  int best = -1;
  for (const char* naming : {"makehuman", "mixamo", "cmu", "makehuman-game"}) {
    const std::vector<int> bones = map_joints(motion, skeleton, naming);
    int count = 0;
    for (const int b : bones) count += b >= 0 ? 1 : 0;
    if (count > best) {
      best = count;
      binding.naming = naming;
      binding.bone_of_joint = bones;
    }
  }
  binding.joint_of_bone.assign(static_cast<std::size_t>(skeleton.size()), -1);
  for (std::size_t j = 0; j < binding.bone_of_joint.size(); ++j) {
    const int b = binding.bone_of_joint[j];
    if (b >= 0 && binding.joint_of_bone[static_cast<std::size_t>(b)] < 0)
      binding.joint_of_bone[static_cast<std::size_t>(b)] = static_cast<int>(j);
  }
  if (binding.matched() == 0) {
    std::string names;
    for (std::size_t j = 0; j < motion.joints.size() && j < 6; ++j)
      names += (j ? ", " : "") + motion.joints[j].name;
    throw InputError(motion.source + ": only " + std::to_string(binding.matched()) +
                     " of its joints (" + names +
                     ", ...) name a bone of the avatar's rig; tera reads MakeHuman, Mixamo, CMU "
                     "and MakeHuman game-rig names "
                     "(docs/animation.md)");
  }
  binding.axes = {1.f, 0.f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f, 1.f};
  if (binding.matched() < kMinFittedJoints) {  // too few to fit: read as y-up metres
    spdlog::warn(
        "{}: only {} of its {} joints name a bone of the avatar's rig: too few to fit the file's "
        "axes and units (read as y-up metres), and every other bone stays at rest",
        motion.source, binding.matched(), motion.joints.size());
    return binding;
  }
  binding.fitted = true;
  // Fit axes and scale: tera rest head ~ s * C * file rest position + t, over the matched joints.
  const std::vector<float> rest = motion.rest_positions();
  std::vector<std::array<double, 3>> p, h;
  for (int b = 0; b < skeleton.size(); ++b) {
    const int j = binding.joint_of_bone[static_cast<std::size_t>(b)];
    if (j < 0) continue;
    p.push_back({rest[3 * static_cast<std::size_t>(j)], rest[3 * static_cast<std::size_t>(j) + 1],
                 rest[3 * static_cast<std::size_t>(j) + 2]});
    h.push_back({skeleton.heads[3 * static_cast<std::size_t>(b)],
                 skeleton.heads[3 * static_cast<std::size_t>(b) + 1],
                 skeleton.heads[3 * static_cast<std::size_t>(b) + 2]});
  }
  const double n = static_cast<double>(p.size());
  std::array<double, 3> pm{}, hm{};
  for (std::size_t i = 0; i < p.size(); ++i) {
    for (std::size_t k = 0; k < 3; ++k) {
      pm[k] += p[i][k] / n;
      hm[k] += h[i][k] / n;
    }
  }
  double best_error = std::numeric_limits<double>::infinity();
  for (const auto& c : axis_permutations()) {
    double num = 0.0, den = 0.0;
    std::vector<std::array<double, 3>> cp(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      for (std::size_t r = 0; r < 3; ++r) {
        cp[i][r] = c[3 * r] * (p[i][0] - pm[0]) + c[3 * r + 1] * (p[i][1] - pm[1]) +
                   c[3 * r + 2] * (p[i][2] - pm[2]);
        num += cp[i][r] * (h[i][r] - hm[r]);
        den += cp[i][r] * cp[i][r];
      }
    }
    if (!(den > 0.0) || num <= 0.0) continue;
    double s = num / den;
    for (const float unit : kKnownUnits) {
      if (std::abs(s / unit - 1.0) < kUnitSnap) s = unit;
    }
    double error = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      for (std::size_t r = 0; r < 3; ++r) error += std::pow(s * cp[i][r] - (h[i][r] - hm[r]), 2);
    }
    if (error < best_error) {
      best_error = error;
      binding.axes = c;
      binding.metres_per_unit = static_cast<float>(s);
    }
  }
  if (!std::isfinite(best_error))
    throw InputError(motion.source +
                     ": the rest joints are all at one point; cannot fit axes and units");
  binding.rest_rms = static_cast<float>(std::sqrt(best_error / n));
  return binding;
}

Pose bvh_pose(const BvhMotion& motion, const BvhBinding& binding, const Skeleton& skeleton,
              int frame) {
  if (frame < 0 || frame >= motion.frames) {
    throw UsageError(motion.source + ": frame " + std::to_string(frame) + " is outside 0.." +
                     std::to_string(motion.frames - 1));
  }
  std::vector<float> global(motion.joints.size() * 4);  // [J, 4] in the file's axes
  for (std::size_t j = 0; j < motion.joints.size(); ++j) {
    const auto local = motion.local_rotation(static_cast<int>(j), frame);
    const int parent = motion.joints[j].parent;
    if (parent < 0) {
      std::copy(local.begin(), local.end(), &global[4 * j]);
    } else {
      rot::quat_multiply(&global[4 * static_cast<std::size_t>(parent)], local.data(),
                         &global[4 * j]);
    }
  }
  float axes_q[4], axes_inv[4];
  rot::matrix_to_quat(binding.axes.data(), axes_q);
  conjugate(axes_q, axes_inv);
  Pose pose = Pose::rest(skeleton.size());
  std::vector<float> bone_global(static_cast<std::size_t>(skeleton.size()) *
                                 4);  // [B, 4] in tera's frame
  for (int b = 0; b < skeleton.size(); ++b) {
    const std::size_t u = static_cast<std::size_t>(b);
    const int j = binding.joint_of_bone[u];
    const int parent = skeleton.parents[u];
    float* g = &bone_global[4 * u];
    if (j >= 0) {
      float tmp[4];
      rot::quat_multiply(axes_q, &global[4 * static_cast<std::size_t>(j)],
                         tmp);  // C G C^-1: the same turn in tera's axes
      rot::quat_multiply(tmp, axes_inv, g);
    } else if (parent >= 0) {
      std::copy_n(&bone_global[4 * static_cast<std::size_t>(parent)], 4, g);
    } else {
      g[0] = 1.f;
      g[1] = g[2] = g[3] = 0.f;
    }
    float* local = &pose.rotations[4 * u];
    if (parent < 0) {
      std::copy_n(g, 4, local);
    } else {
      float inv[4];
      conjugate(&bone_global[4 * static_cast<std::size_t>(parent)], inv);
      rot::quat_multiply(inv, g, local);
    }
    const float norm = std::sqrt(local[0] * local[0] + local[1] * local[1] + local[2] * local[2] +
                                 local[3] * local[3]);
    for (int k = 0; k < 4; ++k) local[k] /= norm;
  }
  bool has_position = false;
  const auto position = motion.position_channels(0, frame, &has_position);
  if (has_position) {
    float file[3];
    for (std::size_t k = 0; k < 3; ++k) file[k] = position[k] - motion.joints[0].offset[k];
    float converted[3];
    rot::mat_vec(binding.axes.data(), file, converted);
    for (std::size_t k = 0; k < 3; ++k) {
      pose.root_translation[k] = binding.metres_per_unit * converted[k];
      if (!(std::abs(pose.root_translation[k]) <= kMaxRootTranslation)) {
        throw InputError(motion.source + ": frame " + std::to_string(frame) + ": joint '" +
                         motion.joints[0].name + "' moves " +
                         std::to_string(pose.root_translation[k]) +
                         " m from its rest position "
                         "(more than " +
                         std::to_string(static_cast<int>(kMaxRootTranslation)) +
                         " m: a broken position channel)");
      }
    }
  }
  return pose;
}

Pose sample_bvh(const BvhMotion& motion, const BvhBinding& binding, const Skeleton& skeleton,
                double seconds) {
  const double position = std::max(0.0, seconds / motion.frame_time);
  const int first = std::min(motion.frames - 1, static_cast<int>(std::floor(position)));
  const int second = std::min(motion.frames - 1, first + 1);
  const float t = first == second ? 0.f : static_cast<float>(position - first);
  const Pose a = bvh_pose(motion, binding, skeleton, first);
  if (t == 0.f) return a;
  return interpolate_poses(a, bvh_pose(motion, binding, skeleton, second), t);
}

}  // namespace tera
