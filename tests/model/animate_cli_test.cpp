// `tera animate`, `tera poses` and `tera generate --pose` through the real binary with the
// test-only package (whose template rig is a single root bone, so poses turn and move it whole).
#include <gtest/gtest.h>

#include "model/package_fixture.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"
#include "tera/render/image.h"

namespace {

namespace fs = std::filesystem;
using tera::test::quoted;
using tera::test::run_tera;
using tera::test::test_package;

const std::string kFast =
    " --size 32 --device cpu --threads 2 ";  // tiny renders: each run well under a second
const fs::path kLibrary = fs::path(TERA_SOURCE_DIR) / "data/poses/makehuman.json";

// A test-package avatar in dir/name.
fs::path make_avatar(const tera::test::TempDir& dir, const std::string& name,
                     const fs::path& model = test_package()) {
  const auto out = dir / name;
  const auto r =
      run_tera("generate --model " + quoted(model) +
               " --prompt 'a man' --seed 3 --steps 2 --views 0 --out " + quoted(out) + kFast);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return out;
}

// A BVH whose root drives the test package's one bone ("root"); with one matched joint the file is
// read as y-up metres. `frames` rows of 12 values.
std::string root_bvh(const std::vector<std::string>& frames) {
  std::string text =
      "HIERARCHY\nROOT root\n{\nOFFSET 0 0 0\nCHANNELS 6 Xposition Yposition Zposition Zrotation "
      "Xrotation Yrotation\n"
      "JOINT a\n{\nOFFSET 0 0 5\nCHANNELS 3 Zrotation Xrotation Yrotation\n}\n"
      "JOINT b\n{\nOFFSET 3 0 0\nCHANNELS 3 Zrotation Xrotation Yrotation\n}\n}\nMOTION\nFrames: " +
      std::to_string(frames.size()) + "\nFrame Time: 0.1\n";
  for (const auto& f : frames) text += f + "\n";
  return text;
}

TEST(AnimateCli, GeneratePoseWritesTheCanonicalAndThePosedAvatar) {
  tera::test::TempDir dir("animate");
  const auto out = dir / "a";
  const auto r = run_tera("generate --model " + quoted(test_package()) +
                          " --prompt 'a man' --seed 3 --steps 2 --views 1 --pose run01 --out " +
                          quoted(out) + kFast);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto canonical = tera::read_gaussians(out / "avatar.ply");
  const auto posed = tera::read_gaussians(out / "avatar_posed.ply");
  ASSERT_EQ(canonical.size(), posed.size());
  EXPECT_NE(canonical.positions,
            posed.positions);  // run01 moves the root down (and the one-bone rig with it)
  EXPECT_EQ(nlohmann::json::parse(tera::read_file(out / "avatar.json"))["pose"], "run01");
  const auto unknown = run_tera("generate --model " + quoted(test_package()) +
                                " --prompt 'a man' --steps 2 --views 0 --pose moonwalk --out " +
                                quoted(dir / "b") + kFast);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("--pose: no pose named 'moonwalk' (bundled: fight01"),
            std::string::npos)
      << unknown.output;
}

TEST(AnimateCli, BvhMotionRendersEveryFrameAndAStrip) {
  tera::test::TempDir dir("animate");
  const auto avatar = make_avatar(dir, "a");
  const auto bvh = dir / "turn.bvh";
  std::ofstream(bvh) << root_bvh(
      {"0 0 0 0 0 0 0 0 0 0 0 0", "0 0 0 90 0 0 0 0 0 0 0 0", "0 0 0 180 0 0 0 0 0 0 0 0"});
  const auto out = dir / "anim";
  const auto r =
      run_tera("animate " + quoted(avatar) + " --model " + quoted(test_package()) + " --bvh " +
               quoted(bvh) + " --fps 20 --frames 1:4 --ply --json --out " + quoted(out) + kFast);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // 3 frames 0.1 s apart at 20 fps: 5 output frames; 1:4 keeps frames 1, 2, 3.
  EXPECT_NE(r.output.find("\"frames\": [1, 4], \"of\": 5"), std::string::npos) << r.output;
  for (const char* f : {"frame_0001.png", "frame_0002.png", "frame_0003.png", "frame_0001.ply",
                        "frame_0003.ply", "contact_strip.png"}) {
    EXPECT_TRUE(fs::is_regular_file(out / f)) << f;
  }
  EXPECT_FALSE(fs::exists(out / "frame_0000.png"));
  EXPECT_FALSE(fs::exists(out / "frame_0004.png"));
  EXPECT_EQ(tera::read_png(out / "contact_strip.png").width,
            3 * 32 + 4 * 4);  // three frames in a row, 4 px gaps and border
  // Frame 2 (0.1 s) turns the root 90 degrees about z: positions move, the count does not.
  const auto rest = tera::read_gaussians(avatar / "avatar.ply");
  const auto turned = tera::read_gaussians(out / "frame_0002.ply");
  ASSERT_EQ(rest.size(), turned.size());
  EXPECT_NE(rest.positions, turned.positions);
}

TEST(AnimateCli, PoseSweepWritesOneSheetOfEveryBundledPose) {
  tera::test::TempDir dir("animate");
  const auto avatar = make_avatar(dir, "a");
  const auto out = dir / "sweep";
  const auto r = run_tera("animate " + quoted(avatar) + " --model " + quoted(test_package()) +
                          " --pose-sweep --json --out " + quoted(out) + kFast);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto summary = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  EXPECT_EQ(summary["poses"].size(), 15u);
  EXPECT_TRUE(fs::is_regular_file(out / "pose_rest.png"));
  EXPECT_TRUE(fs::is_regular_file(out / "pose_sit01.png"));
  EXPECT_EQ(tera::read_png(out / "pose_sheet.png").width,
            4 * 32 + 5 * 4);  // 16 tiles in 4 columns, 4 px gaps and border
}

TEST(AnimateCli, AvatarsThatAreNotTeraOutputsOrFromAnotherModelAreNamed) {
  tera::test::TempDir dir("animate");
  fs::create_directories(dir / "empty");
  auto r = run_tera("animate " + quoted(dir / "empty") + " --model " + quoted(test_package()) +
                    " --pose-sweep --out " + quoted(dir / "o") + kFast);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("avatar.json: missing (expected a folder written by 'tera generate'"),
            std::string::npos)
      << r.output;
  const auto avatar = make_avatar(dir, "a");
  const auto other =
      tera::test::copy_package(dir, "other", [](nlohmann::json& m) { m["name"] = "other"; });
  r = run_tera("animate " + quoted(avatar) + " --model " + quoted(other) + " --pose-sweep --out " +
               quoted(dir / "o") + kFast);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find(
                "field 'model.manifest_sha256' says the avatar was made with model 'test-random'"),
            std::string::npos)
      << r.output;
  r = run_tera("animate " + quoted(avatar) + " --model " + quoted(test_package()) + " --out " +
               quoted(dir / "o") + kFast);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("give exactly one of --bvh FILE, --pose NAME|FILE or --pose-sweep"),
            std::string::npos)
      << r.output;
}

TEST(AnimateCli, PosesListsTheBundledLibrary) {
  const auto r = run_tera("poses --library " + quoted(kLibrary));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("standing01"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("CC0"), std::string::npos) << r.output;
}

}  // namespace
