// Binding BVH files to a skeleton: names, axes and units, rotations in tera's frame, sampling,
// transitions; MakeHuman's own poses on the default package's template.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "pose/pose_test_util.h"
#include "tera/core/error.h"
#include "tera/decode/avatar_template.h"
#include "tera/pose/animation.h"
#include "tera/pose/bvh_retarget.h"

namespace {

namespace fs = std::filesystem;
using tera::test::axis_degrees;

const fs::path kPoses = fs::path(TERA_SHARED_DIR) / "assets/makehuman/assets/base/poses";
const fs::path kTemplate = fs::path(TERA_SOURCE_DIR) / "models/default/template.bin";
// MakeHuman's BVH frame to tera's: x stays, up (+z) becomes +y, back (+y) becomes -z; decimetres.
const std::array<float, 9> kMakeHumanAxes = {1, 0, 0, 0, 0, 1, 0, -1, 0};

// A BVH of the joints `names` (with `parents`) at tera positions `heads` [J, 3], written in
// MakeHuman's frame (z up, decimetres) when z_up, else as they are in centimetres (y up); every
// joint has three rotation channels (Z X Y), the root also positions. `frames` rows of values.
std::string make_bvh(const std::vector<std::string>& names, const std::vector<int>& parents,
                     const std::vector<float>& heads, bool z_up,
                     const std::vector<std::string>& frames) {
  const auto file_position = [&](std::size_t j) {
    const float x = heads[3 * j], y = heads[3 * j + 1], z = heads[3 * j + 2];
    return z_up ? std::array<float, 3>{10 * x, -10 * z, 10 * y}
                : std::array<float, 3>{100 * x, 100 * y, 100 * z};
  };
  std::ostringstream out;
  out << "HIERARCHY\n";
  std::vector<int> open;  // joints whose block is open
  for (std::size_t j = 0; j < names.size(); ++j) {
    while (!open.empty() && open.back() != parents[j]) {
      out << "}\n";
      open.pop_back();
    }
    const auto p = file_position(j);
    std::array<float, 3> offset = p;
    if (parents[j] >= 0) {
      const auto q = file_position(static_cast<std::size_t>(parents[j]));
      for (int k = 0; k < 3; ++k)
        offset[static_cast<std::size_t>(k)] -= q[static_cast<std::size_t>(k)];
    }
    out << (parents[j] < 0 ? "ROOT " : "JOINT ") << names[j] << "\n{\nOFFSET " << offset[0] << " "
        << offset[1] << " " << offset[2] << "\n";
    out << (parents[j] < 0
                ? "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation\n"
                : "CHANNELS 3 Zrotation Xrotation Yrotation\n");
    open.push_back(static_cast<int>(j));
  }
  for (std::size_t k = 0; k < open.size(); ++k) out << "}\n";
  out << "MOTION\nFrames: " << frames.size() << "\nFrame Time: 0.04\n";
  for (const auto& f : frames) out << f << "\n";
  return out.str();
}

// Local rotation [4] of `bone` in a pose.
std::array<float, 4> local(const tera::Pose& pose, int bone) {
  const auto* q = &pose.rotations[4 * static_cast<std::size_t>(bone)];
  return {q[0], q[1], q[2], q[3]};
}

void expect_same_rotation(const std::array<float, 4>& got, const std::array<float, 4>& expected,
                          double tolerance) {
  const auto a = tera::test::rotation_matrix(got.data());
  const auto b = tera::test::rotation_matrix(expected.data());
  for (std::size_t k = 0; k < 9; ++k) EXPECT_NEAR(a[k], b[k], tolerance) << "matrix entry " << k;
}

TEST(Retarget, ZUpDecimetreFilesTurnIntoTerasFrame) {
  const auto skeleton = tera::test::small_skeleton();
  // Root at its rest offset + (1, 2, 3) dm; spine Xrotation 90 (about the file's x); leg
  // Zrotation 90 (about the file's up axis, which is tera's +y).
  const auto root =
      std::array<float, 3>{0.f, 0.f, 10.f};  // the root's file position (tera (0, 1, 0))
  std::ostringstream frame;
  frame << root[0] + 1 << " " << root[1] + 2 << " " << root[2] + 3
        << " 0 0 0  0 90 0  0 0 0  90 0 0  0 0 0";
  const auto motion = tera::parse_bvh(
      make_bvh(skeleton.names, skeleton.parents, skeleton.heads, true, {frame.str()}), "zup.bvh");
  const auto binding = tera::bind_bvh(motion, skeleton);
  EXPECT_EQ(binding.naming, "makehuman");
  EXPECT_EQ(binding.matched(), 5);
  EXPECT_EQ(binding.axes, kMakeHumanAxes);
  EXPECT_FLOAT_EQ(binding.metres_per_unit, 0.1f);
  EXPECT_LT(binding.rest_rms, 1e-6f);
  const auto pose = tera::bvh_pose(motion, binding, skeleton, 0);
  EXPECT_NEAR(pose.root_translation[0], 0.1f, 1e-6);   // file x -> x
  EXPECT_NEAR(pose.root_translation[1], 0.3f, 1e-6);   // file z (up) -> y
  EXPECT_NEAR(pose.root_translation[2], -0.2f, 1e-6);  // file y (back) -> -z
  expect_same_rotation(local(pose, 1), axis_degrees(1.f, 0.f, 0.f, 90.f), 1e-6);
  expect_same_rotation(local(pose, 3), axis_degrees(0.f, 1.f, 0.f, 90.f), 1e-6);
  expect_same_rotation(local(pose, 2), axis_degrees(1.f, 0.f, 0.f, 0.f),
                       1e-6);  // head follows spine: local identity
}

TEST(Retarget, MixamoNamesFollowTheTableAndGlobalRotationsCarryOver) {
  // A Mixamo-named, y-up centimetre rig on the template's bone positions: Hips, Spine, Head,
  // LeftUpLeg, LeftLeg. LeftUpLeg turns 30 degrees about x; LeftLeg (its child) does not.
  const auto skeleton = tera::test::small_skeleton();
  tera::Skeleton rig = skeleton;
  rig.names = {"mixamorig:Hips", "mixamorig:Spine", "mixamorig:Head", "mixamorig:LeftUpLeg",
               "mixamorig:LeftLeg"};
  tera::Skeleton target;  // the same shape under MakeHuman's names
  target.names = {"root", "spine05", "head", "upperleg01.L", "lowerleg01.L"};
  target.parents = skeleton.parents;
  target.heads = skeleton.heads;
  const std::string values = "0 100 0 0 0 0  0 0 0  0 0 0  0 30 0  0 0 0";
  const auto motion =
      tera::parse_bvh(make_bvh(rig.names, rig.parents, rig.heads, false, {values}), "mixamo.bvh");
  const auto binding = tera::bind_bvh(motion, target);
  EXPECT_EQ(binding.naming, "mixamo");
  EXPECT_EQ(binding.matched(), 5);
  EXPECT_EQ(binding.axes, (std::array<float, 9>{1, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_FLOAT_EQ(binding.metres_per_unit, 0.01f);
  const auto pose = tera::bvh_pose(motion, binding, target, 0);
  expect_same_rotation(local(pose, 3), axis_degrees(1.f, 0.f, 0.f, 30.f), 1e-6);
  expect_same_rotation(local(pose, 4), axis_degrees(1.f, 0.f, 0.f, 0.f), 1e-6);
  EXPECT_NEAR(pose.root_translation[1], 0.f, 1e-6);  // the root stays at its rest offset
}

// A one-frame rest motion of the small skeleton's shape whose joints are called `names`.
tera::BvhMotion rest_motion_named(const std::vector<std::string>& names, const std::string& file) {
  const auto skeleton = tera::test::small_skeleton();
  return tera::parse_bvh(make_bvh(names, skeleton.parents, skeleton.heads, true,
                                  {"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"}),
                         file);
}

TEST(Retarget, UnknownNamesAreAnInputErrorNamingTheFile) {
  const auto skeleton = tera::test::small_skeleton();
  const auto motion = rest_motion_named({"a", "b", "c", "d", "e"}, "odd.bvh");
  try {
    tera::bind_bvh(motion, skeleton);
    FAIL() << "no error";
  } catch (const tera::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("odd.bvh: only 0 of its joints (a, b, c"),
              std::string::npos)
        << e.what();
  }
}

// Two matched joints cannot fix axes and units: the binding says it did not fit them (and warns).
TEST(Retarget, TooFewMatchedJointsAreReadUnfitted) {
  const auto skeleton = tera::test::small_skeleton();
  const auto binding =
      tera::bind_bvh(rest_motion_named({"root", "spine", "c", "d", "e"}, "two.bvh"), skeleton);
  EXPECT_EQ(binding.matched(), 2);
  EXPECT_FALSE(binding.fitted);
  EXPECT_TRUE(tera::bind_bvh(rest_motion_named(skeleton.names, "all.bvh"), skeleton).fitted);
}

// A root position channel that moves the avatar beyond a kilometre is a broken file, named with
// its frame and joint; within the limit it is a translation.
TEST(Retarget, AnAbsurdRootPositionIsAnInputErrorNamingTheFrame) {
  const auto skeleton = tera::test::small_skeleton();
  const std::string rest = " 0 0 0  0 0 0  0 0 0  0 0 0  0 0 0";  // the rotations
  const auto motion =
      tera::parse_bvh(make_bvh(skeleton.names, skeleton.parents, skeleton.heads, true,
                               {"0 0 10" + rest, "9000 0 10" + rest, "1e20 0 10" + rest}),
                      "far.bvh");
  const auto binding = tera::bind_bvh(motion, skeleton);
  EXPECT_NEAR(tera::bvh_pose(motion, binding, skeleton, 1).root_translation[0], 900.f, 1e-3f)
      << "9000 dm is 900 m: far, but a translation";
  try {
    tera::bvh_pose(motion, binding, skeleton, 2);
    FAIL() << "no error";
  } catch (const tera::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("far.bvh: frame 2: joint 'root' moves"), std::string::npos)
        << e.what();
  }
}

TEST(Retarget, SamplingBetweenFramesSlerpsAndResamplingCountsFrames) {
  const auto skeleton = tera::test::small_skeleton();
  const std::string rest = "0 0 10 0 0 0  0 0 0  0 0 0  0 0 0  0 0 0";
  const std::string turned =
      "0 0 10 0 0 0  0 0 0  0 0 0  90 0 0  0 0 0";  // leg: 90 about the up axis
  const auto motion = tera::parse_bvh(
      make_bvh(skeleton.names, skeleton.parents, skeleton.heads, true, {rest, turned}), "two.bvh");
  const auto binding = tera::bind_bvh(motion, skeleton);
  const auto half = tera::sample_bvh(motion, binding, skeleton, 0.02);
  expect_same_rotation(local(half, 3), axis_degrees(0.f, 1.f, 0.f, 45.f), 1e-6);
  const auto end =
      tera::sample_bvh(motion, binding, skeleton, 5.0);  // past the end: the last frame
  expect_same_rotation(local(end, 3), axis_degrees(0.f, 1.f, 0.f, 90.f), 1e-6);
  EXPECT_EQ(tera::resample_motion(motion, binding, skeleton, 100.0).size(),
            5u);  // 0.04 s at 100 fps: 0, 10, ..., 40 ms
  EXPECT_EQ(tera::resample_motion(motion, binding, skeleton, 0.0).size(),
            2u);  // the file's own rate
  // 0.04 s at 2.5 million fps is 100,001 frames: one more than an animation makes, refused before
  // any pose is made; 2,499,975 fps is exactly the limit.
  EXPECT_EQ(tera::resample_motion(motion, binding, skeleton, 2499975.0).size(),
            static_cast<std::size_t>(tera::kMaxAnimationFrames));
  EXPECT_THROW(tera::resample_motion(motion, binding, skeleton, 2.5e6), tera::InputError);
  EXPECT_THROW(tera::resample_motion(motion, binding, skeleton, 1e300), tera::InputError)
      << "far past int's range: refused, not cast";
}

// A long motion is framed on a few hundred frames, its extremes among them: a jump of 7 frames in
// 2000 falls between the evenly spaced ones (every 7.8 frames) and would be cut off the picture.
TEST(Retarget, FramingFramesAreFewEvenlySpreadAndHoldTheMotionsExtremes) {
  const auto skeleton = tera::test::small_skeleton();
  std::vector<tera::Pose> poses(2000, tera::Pose::rest(skeleton.size()));
  for (int f = 996; f <= 1002; ++f) poses[static_cast<std::size_t>(f)].root_translation[1] = 0.6f;
  poses[999].root_translation[1] = 0.7f;  // the top of the jump
  const std::vector<int> frames = tera::framing_frames(poses, 0, 2000, skeleton);
  EXPECT_LE(frames.size(), static_cast<std::size_t>(tera::kFramingFrames + 6));
  EXPECT_EQ(frames.front(), 0);
  EXPECT_EQ(frames.back(), 1999);
  EXPECT_TRUE(std::is_sorted(frames.begin(), frames.end()));
  EXPECT_NE(std::find(frames.begin(), frames.end(), 999), frames.end()) << "the highest frame";
  const std::vector<int> range = tera::framing_frames(poses, 10, 14, skeleton);
  EXPECT_EQ(range, (std::vector<int>{10, 11, 12, 13})) << "a short range: every frame";
}

TEST(Retarget, TransitionsStartAtRestAndEndAtThePose) {
  const auto skeleton = tera::test::small_skeleton();
  auto target = tera::Pose::rest(skeleton.size());
  tera::test::set_rotation(target, 1, axis_degrees(0.f, 0.f, 1.f, 100.f));
  target.root_translation = {0.f, -0.5f, 0.f};
  const auto frames = tera::transition(tera::Pose::rest(skeleton.size()), target, 5);
  ASSERT_EQ(frames.size(), 5u);
  expect_same_rotation(local(frames[0], 1), axis_degrees(0.f, 0.f, 1.f, 0.f), 1e-7);
  expect_same_rotation(local(frames[2], 1), axis_degrees(0.f, 0.f, 1.f, 50.f),
                       1e-6);  // smoothstep(0.5) = 0.5
  expect_same_rotation(local(frames[4], 1), axis_degrees(0.f, 0.f, 1.f, 100.f), 1e-6);
  EXPECT_NEAR(frames[1].root_translation[1], -0.5f * 0.15625f, 1e-6);  // smoothstep(0.25) = 0.15625
  EXPECT_THROW(tera::transition(target, target, 1), tera::UsageError);
}

TEST(Retarget, FrameRangesAreHalfOpenAndChecked) {
  EXPECT_EQ(tera::parse_frame_range("0:60", 100, "--frames"), (std::pair<int, int>{0, 60}));
  EXPECT_EQ(tera::parse_frame_range(":10", 100, "--frames"), (std::pair<int, int>{0, 10}));
  EXPECT_EQ(tera::parse_frame_range("90:", 100, "--frames"), (std::pair<int, int>{90, 100}));
  EXPECT_EQ(tera::parse_frame_range("90:500", 100, "--frames"), (std::pair<int, int>{90, 100}));
  for (const char* bad : {"5", "a:b", "-1:4", "7:7", "200:300", " 1:2", "+1:2", "1:+2", "0x1:2"}) {
    EXPECT_THROW(tera::parse_frame_range(bad, 100, "--frames"), tera::UsageError) << bad;
  }
}

// MakeHuman's 15 poses on the default package's template (skips without the assets).
TEST(Retarget, MakeHumanPosesMapOneToOneAndTheirRestJointsOntoTheTemplate) {
  if (!fs::is_directory(kPoses)) GTEST_SKIP() << "MakeHuman poses not found at " << kPoses;
  if (!fs::is_regular_file(kTemplate))
    GTEST_SKIP() << "no default package template at " << kTemplate;
  const auto skeleton = tera::skeleton_from_template(tera::read_avatar_template(kTemplate));
  int files = 0, exact = 0;
  for (const auto& e : fs::directory_iterator(kPoses)) {
    if (e.path().extension() != ".bvh") continue;
    ++files;
    const auto motion = tera::read_bvh(e.path());
    const auto binding = tera::bind_bvh(motion, skeleton);
    EXPECT_EQ(binding.naming, "makehuman") << e.path();
    EXPECT_EQ(binding.matched(), skeleton.size()) << e.path();
    EXPECT_EQ(binding.axes, kMakeHumanAxes) << e.path();
    EXPECT_FLOAT_EQ(binding.metres_per_unit, 0.1f) << e.path();
    // Six files carry the template's own rest skeleton; nine an older MakeHuman skeleton whose
    // joints sit 35 mm rms away (measured). 40 mm bounds both; a wrong axis or unit is metres off.
    EXPECT_LT(binding.rest_rms, 0.04f) << e.path();
    // The stated conversion without the fit: tera = 0.1 * (x, z, -y) of the file's rest joints.
    const auto rest = motion.rest_positions();
    double worst = 0.0;
    for (std::size_t j = 0; j < motion.joints.size(); ++j) {
      const int b = binding.bone_of_joint[j];
      const float converted[3] = {0.1f * rest[3 * j], 0.1f * rest[3 * j + 2],
                                  -0.1f * rest[3 * j + 1]};
      for (std::size_t k = 0; k < 3; ++k)
        worst = std::max(worst, std::abs(static_cast<double>(converted[k]) -
                                         skeleton.heads[3 * static_cast<std::size_t>(b) + k]));
    }
    constexpr double kSameSkeleton =
        1e-5;  // 10 micrometres: the files print 6 decimals of decimetres
    if (worst < kSameSkeleton) ++exact;
  }
  EXPECT_EQ(files, 15);
  EXPECT_EQ(exact, 6);
}

}  // namespace
