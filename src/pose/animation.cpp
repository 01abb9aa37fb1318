// Frame poses of animations; see include/tera/pose/animation.h.
#include "tera/pose/animation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "tera/core/decimal.h"
#include "tera/core/error.h"

namespace tera {

std::vector<Pose> resample_motion(const BvhMotion& motion, const BvhBinding& binding,
                                  const Skeleton& skeleton, double fps) {
  const double rate = fps > 0.0 ? fps : 1.0 / motion.frame_time;
  const double duration = (motion.frames - 1) * motion.frame_time;
  constexpr double kSlack = 1e-9;  // a last frame that lands on the end within rounding is kept
  const double frames = std::floor(duration * rate + kSlack) + 1.0;  // compared before the cast
  if (!(frames <= kMaxAnimationFrames)) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "the motion lasts %.6g s, which at %.6g fps is %.6g frames, more than the %d "
                  "one animation makes: lower --fps or cut the motion",
                  duration, rate, frames, kMaxAnimationFrames);
    throw InputError(text);
  }
  const int count = static_cast<int>(frames);
  std::vector<Pose> poses;
  poses.reserve(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) poses.push_back(sample_bvh(motion, binding, skeleton, k / rate));
  return poses;
}

std::vector<int> framing_frames(const std::vector<Pose>& poses, int first, int last,
                                const Skeleton& skeleton) {
  const int shown = last - first;
  const int even = std::min(shown, kFramingFrames);
  std::vector<int> frames;
  for (int k = 0; k < even; ++k) {
    frames.push_back(
        even == 1 ? first
                  : first + static_cast<int>(static_cast<long long>(k) * (shown - 1) / (even - 1)));
  }
  std::array<float, 6> extreme{};  // min x, y, z, then max x, y, z over every joint and frame
  std::array<int, 6> at{};
  for (int f = first; f < last; ++f) {
    const std::vector<float> heads =
        posed_heads(skeleton, forward_kinematics(skeleton, poses[static_cast<std::size_t>(f)]));
    for (std::size_t j = 0; j + 2 < heads.size(); j += 3) {
      for (int axis = 0; axis < 3; ++axis) {
        const float v = heads[j + static_cast<std::size_t>(axis)];
        const bool start = f == first && j == 0;
        if (start || v < extreme[axis]) extreme[axis] = v, at[axis] = f;
        if (start || v > extreme[axis + 3]) extreme[axis + 3] = v, at[axis + 3] = f;
      }
    }
  }
  frames.insert(frames.end(), at.begin(), at.end());
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
  return frames;
}

std::vector<Pose> transition(const Pose& from, const Pose& to, int frames) {
  if (frames < 2)
    throw UsageError("a transition needs at least 2 frames, got " + std::to_string(frames));
  std::vector<Pose> poses;
  for (int k = 0; k < frames; ++k) {
    const float t = static_cast<float>(k) / static_cast<float>(frames - 1);
    poses.push_back(interpolate_poses(from, to, t * t * (3.f - 2.f * t)));
  }
  return poses;
}

std::pair<int, int> parse_frame_range(const std::string& text, int count,
                                      const std::string& option) {
  const auto colon = text.find(':');
  const std::string message = option + ": expected a:b (frames a to b-1, 0-based, of " +
                              std::to_string(count) + "), got '" + text + "'";
  if (colon == std::string::npos) throw UsageError(message);
  const auto side = [&](const std::string& s, int fallback) {
    if (s.empty()) return fallback;
    const std::optional<std::uint64_t> v = parse_decimal(s);  // digits only: no sign, no spaces
    if (!v) throw UsageError(message);
    return static_cast<int>(std::min<std::uint64_t>(*v, static_cast<std::uint64_t>(count)));
  };
  const int first = side(text.substr(0, colon), 0);
  const int last = side(text.substr(colon + 1), count);
  if (first >= last) throw UsageError(message + ": it selects no frame");
  return {first, last};
}

}  // namespace tera
