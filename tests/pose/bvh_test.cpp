// The BVH reader: hierarchy, channels in any order, Euler composition, frames, and errors that
// name the line and the joint.
#include <gtest/gtest.h>

#include <cmath>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/pose/bvh.h"

namespace {

// A root with position channels, a child with rotations in Z X Y order and an End Site, 2 frames.
const char* const kSmall = R"(HIERARCHY
ROOT hips
{
  OFFSET 1 2 3
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT chest
  {
    OFFSET 0 5 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {
      OFFSET 0 4 0
    }
  }
  JOINT leg{
    OFFSET 1 -5 0
    CHANNELS 3 Yrotation Xrotation Zrotation
  }
}
MOTION
Frames: 2
Frame Time: 0.04
1 2 3 0 0 0 30 45 60 0 0 0
1.5 2 3 0 0 90 0 0 0 0 0 0
)";

// Rotation matrix (row-major, double) of `degrees` about axis 0, 1 or 2.
std::array<double, 9> axis_matrix(int axis, double degrees) {
  const double a = degrees * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
  if (axis == 0) return {1, 0, 0, 0, c, -s, 0, s, c};
  if (axis == 1) return {c, 0, s, 0, 1, 0, -s, 0, c};
  return {c, -s, 0, s, c, 0, 0, 0, 1};
}

std::array<double, 9> product(const std::array<double, 9>& a, const std::array<double, 9>& b) {
  std::array<double, 9> out{};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      for (int k = 0; k < 3; ++k)
        out[static_cast<std::size_t>(3 * r + c)] +=
            a[static_cast<std::size_t>(3 * r + k)] * b[static_cast<std::size_t>(3 * k + c)];
  return out;
}

TEST(Bvh, ReadsHierarchyChannelsAndFrames) {
  const auto m = tera::parse_bvh(kSmall, "small.bvh");
  ASSERT_EQ(m.joints.size(), 3u);
  EXPECT_EQ(m.joints[1].name, "chest");
  EXPECT_EQ(m.joints[1].parent, 0);
  EXPECT_EQ(m.joints[2].name, "leg");
  EXPECT_EQ(m.joints[2].parent, 0);
  EXPECT_EQ(m.joints[2].line, 15u);
  EXPECT_EQ(m.channel_count, 12u);
  EXPECT_EQ(m.joints[1].first_channel, 6u);
  EXPECT_EQ(m.joints[1].channels[0], tera::BvhChannel::kZrotation);
  EXPECT_EQ(m.frames, 2);
  EXPECT_DOUBLE_EQ(m.frame_time, 0.04);
  bool present = false;
  const auto p = m.position_channels(0, 1, &present);
  EXPECT_TRUE(present);
  EXPECT_FLOAT_EQ(p[0], 1.5f);
  const auto rest = m.rest_positions();
  EXPECT_FLOAT_EQ(rest[4], 7.f);  // chest: (1, 2, 3) + (0, 5, 0)
  EXPECT_FLOAT_EQ(rest[6], 2.f);  // leg: (1, 2, 3) + (1, -5, 0)
  EXPECT_EQ(m.find("leg"), 2);
  EXPECT_EQ(m.find("arm"), -1);
}

TEST(Bvh, RotationChannelsComposeInTheOrderListed) {
  const auto m = tera::parse_bvh(kSmall, "small.bvh");
  // chest: CHANNELS Zrotation Xrotation Yrotation = 30 45 60 -> R = Rz(30) Rx(45) Ry(60).
  const auto expected =
      product(product(axis_matrix(2, 30), axis_matrix(0, 45)), axis_matrix(1, 60));
  const auto q = m.local_rotation(1, 0);
  const auto got = tera::test::rotation_matrix(q.data());
  for (std::size_t k = 0; k < 9; ++k) EXPECT_NEAR(got[k], expected[k], 1e-6) << k;
  // The root in frame 1: Yrotation 90 (its channels are Z X Y and the values 0 0 90).
  const auto root = tera::test::rotation_matrix(m.local_rotation(0, 1).data());
  const auto ry = axis_matrix(1, 90);
  for (std::size_t k = 0; k < 9; ++k) EXPECT_NEAR(root[k], ry[k], 1e-6) << k;
}

// The message of the InputError that parsing `text` throws ("" when it does not throw).
std::string error_of(const std::string& text) {
  try {
    tera::parse_bvh(text, "bad.bvh");
  } catch (const tera::InputError& e) {
    return e.what();
  }
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(Bvh, MalformedFilesNameTheLineAndTheJoint) {
  const std::string good = kSmall;
  struct Case {
    std::string text, expected;
  } cases[] = {
      {replaced(good, "Zrotation Xrotation Yrotation\n    End",
                "Zrotation Wrotation Yrotation\n    End"),
       "bad.bvh: line 9: joint 'chest': unknown channel 'Wrotation'"},
      {replaced(good, "OFFSET 0 5 0", "OFFSET 0 five 0"),
       "bad.bvh: line 8: joint 'chest': OFFSET expects three numbers, found 'five'"},
      {replaced(good, "JOINT leg{", "JOINT chest{"),
       "bad.bvh: line 15: joint 'chest': the joint name is used twice"},
      {replaced(good, "CHANNELS 3 Yrotation", "CHANNELS 7 Yrotation"),
       "bad.bvh: line 17: joint 'leg': CHANNELS expects a count of 0 to 6"},
      {replaced(good, "1.5 2 3 0 0 90 0 0 0 0 0 0", "1.5 2 3 0 0 90 0 0 0 0 0"),
       "bad.bvh: line 24: frame 2 of 2 holds 11 values"},
      {replaced(good, "1 2 3 0 0 0 30 45 60", "1 2 3 0 0 0 30 4x5 60"),
       "bad.bvh: line 23: joint 'chest': '4x5' is not a finite number"},
      {replaced(good, "1 2 3 0 0 0 30 45 60", "1 2 3 0 0 0 30 1e300 60"),
       "bad.bvh: line 23: joint 'chest': '1e300' is beyond float's range"},
      {replaced(good, "Frames: 2", "Frames: 3"), "bad.bvh: line 24: frame 3 of 3 holds 0 values"},
      {replaced(good, "Frame Time: 0.04", "Frame Time: 0"),
       "bad.bvh: line 22: 'Frame Time:' expects seconds > 0"},
      {replaced(good, "    End Site", "    End Sight"),
       "bad.bvh: line 10: joint 'chest': expected 'End Site', found 'Sight'"},
      {good.substr(0, good.find("MOTION")),
       "bad.bvh: line 19: expected MOTION after the hierarchy"},
      {replaced(good, "HIERARCHY", "HIERARCHIE"),
       "bad.bvh: line 1: expected the file to start with HIERARCHY"},
  };
  for (const auto& c : cases) {
    const std::string message = error_of(c.text);
    EXPECT_EQ(message.rfind(c.expected, 0), 0u)
        << "got: " << message << "\nexpected to start with: " << c.expected;
  }
}

// Some editors start a file with UTF-8's byte-order mark; it is not part of HIERARCHY.
TEST(Bvh, AByteOrderMarkIsSkippedAndTheExtensionMatchedInAnyCase) {
  const auto plain = tera::parse_bvh(kSmall, "small.bvh");
  const auto marked = tera::parse_bvh(std::string("\xEF\xBB\xBF") + kSmall, "bom.bvh");
  EXPECT_EQ(marked.joints.size(), plain.joints.size());
  EXPECT_EQ(marked.values, plain.values);
  for (const char* name : {"a.bvh", "b.BVH", "dir/c.Bvh"}) EXPECT_TRUE(tera::is_bvh_path(name));
  for (const char* name : {"a.bvhx", "bvh", "a.json"}) EXPECT_FALSE(tera::is_bvh_path(name));
}

TEST(Bvh, MissingFileIsAnInputErrorNamingIt) {
  try {
    tera::read_bvh("/nonexistent/walk.bvh");
    FAIL() << "no error";
  } catch (const tera::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/walk.bvh"), std::string::npos) << e.what();
  }
}

}  // namespace
