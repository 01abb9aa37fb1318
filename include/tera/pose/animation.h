// The poses of an animation's frames: a BVH motion resampled at a frame rate, or a keyframe
// transition (slerp of every joint rotation) from one pose to another.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tera/pose/bvh_retarget.h"
#include "tera/pose/skeleton.h"

namespace tera {

// The most frames one animation run makes: over an hour at 24 fps. More comes from a wrong --fps or
// Frame Time, and would hold every pose in memory before the first frame is drawn.
constexpr int kMaxAnimationFrames = 100000;

// Frame k shows the motion at k / fps seconds (slerp between the file's frames), up to its last
// frame. fps <= 0 means the file's own rate. Throws InputError when that is more than
// kMaxAnimationFrames frames.
std::vector<Pose> resample_motion(const BvhMotion& motion, const BvhBinding& binding,
                                  const Skeleton& skeleton, double fps);

// Frames the camera of an animation is framed on: at most this many spread evenly over the range
// (bounding the memory and time of posing Gaussians for it), plus the motion's extremes.
constexpr int kFramingFrames = 256;

// The frames of [first, last) an animation's fixed camera is framed on: kFramingFrames spread
// evenly (the first and last among them), and those where any joint reaches its lowest or highest
// x, y or z, so that a short jump in a long motion is in the picture too. Joints are cheap to pose
// for every frame; the caller poses Gaussians only for the frames returned (ascending, unique).
std::vector<int> framing_frames(const std::vector<Pose>& poses, int first, int last,
                                const Skeleton& skeleton);

// `frames` poses from `from` (first) to `to` (last), eased in and out (smoothstep of the linear
// time), so a one-frame pose is reached from the rest pose without a jolt. frames >= 2.
std::vector<Pose> transition(const Pose& from, const Pose& to, int frames);

// "a:b" picks frames a .. b-1 of `count` (0-based; a side may be empty: ":10", "5:"). Throws
// UsageError naming `option` when the range is malformed or selects nothing.
std::pair<int, int> parse_frame_range(const std::string& text, int count,
                                      const std::string& option);

}  // namespace tera
