// The pose library reader's checks on values: a root moved beyond a kilometre and a rotation that
// is not a unit quaternion are refused, naming the file and the pose.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/pose/pose_library.h"

namespace {

// Reads a one-pose library with `translation` and one rotation `quaternion`; returns the error
// message, or "" when it was read.
std::string read_one(const std::string& translation, const std::string& quaternion) {
  tera::test::TempDir dir("pose_library");
  const auto path = dir / "poses.json";
  std::ofstream(path) << R"({"format": "tera-poses", "version": 1, "poses": [{"name": "p", )"
                      << R"("root_translation": )" << translation << R"(, "rotations": )"
                      << R"({"spine05": )" << quaternion << "}}]}";
  try {
    tera::read_pose_library(path);
    return "";
  } catch (const tera::InputError& error) {
    return error.what();
  }
}

TEST(PoseLibrary, ValuesOutsideTheirRangeAreRefusedNamingThePose) {
  EXPECT_EQ(read_one("[0, 0.1, 999]", "[1, 0, 0, 0]"), "");
  EXPECT_EQ(read_one("[0, 0, 0]", "[0.7071, 0.7071, 0, 0]"), "") << "rounded to 4 digits";
  const std::string far = read_one("[0, 1e30, 0]", "[1, 0, 0, 0]");
  EXPECT_NE(far.find("poses[0]: field 'root_translation' moves the root"), std::string::npos)
      << far;
  for (const char* quaternion : {"[2, 0, 0, 0]", "[0, 0, 0, 0]", "[0.5, 0.5, 0, 0]"}) {
    const std::string message = read_one("[0, 0, 0]", quaternion);
    EXPECT_NE(message.find("poses[0]: rotation of 'spine05' is not a unit quaternion"),
              std::string::npos)
        << quaternion << ": " << message;
  }
}

}  // namespace
