// Runs the real `tera` binary: version, help, usage errors, info, convert and bad input files.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <map>
#include <string>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A small scene written by the binary itself.
std::filesystem::path write_scene(const test::TempDir& dir, const std::string& name) {
  const auto path = dir / name;
  const auto result =
      test::run_tera("scene --kind cloud --count 500 --sh-degree 2 --out '" + path.string() + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return path;
}

TEST(Cli, VersionNamesTheRevisionAndHelpTeaches) {
  const auto version = test::run_tera("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(contains(version.output, "tera 0.")) << version.output;
  EXPECT_TRUE(contains(version.output, "("))
      << "the git revision is printed in brackets: " << version.output;
  const auto help = test::run_tera("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* word : {"render", "compare", "info", "convert", "Exit codes"}) {
    EXPECT_TRUE(contains(help.output, word)) << word;
  }
  const auto render_help = test::run_tera("render --help");
  EXPECT_EQ(render_help.exit_code, 0);
  EXPECT_TRUE(contains(render_help.output, "--turntable")) << render_help.output;
  EXPECT_TRUE(contains(render_help.output, "Example")) << render_help.output;
}

TEST(Cli, UsageErrorsExitWith2AndNameTheOption) {
  EXPECT_EQ(test::run_tera("").exit_code, 2);
  EXPECT_EQ(test::run_tera("render").exit_code, 2);
  EXPECT_EQ(test::run_tera("--no-such-option info x.ply").exit_code, 2);
  const auto unknown = test::run_tera("-v bogus x.ply");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.output, "tera: error: unknown command 'bogus'")) << unknown.output;
  EXPECT_TRUE(contains(unknown.output, "render compare")) << "it lists the commands";
  const auto threads = test::run_command("TERA_THREADS=abc '" TERA_CLI_PATH "' info x.ply");
  EXPECT_EQ(threads.exit_code, 2);
  EXPECT_TRUE(contains(threads.output, "TERA_THREADS: expected a thread count")) << threads.output;
  test::TempDir dir("cli");
  const auto scene = write_scene(dir, "s.ply");
  const auto bad_size = test::run_tera("render '" + scene.string() + "' --size 0x5 --out '" +
                                       (dir / "r").string() + "'");
  EXPECT_EQ(bad_size.exit_code, 2);
  EXPECT_TRUE(contains(bad_size.output, "--size")) << bad_size.output;
  const auto bad_ext =
      test::run_tera("convert '" + scene.string() + "' '" + (dir / "x.obj").string() + "'");
  EXPECT_EQ(bad_ext.exit_code, 2) << bad_ext.output;
  EXPECT_TRUE(contains(bad_ext.output, "x.obj")) << bad_ext.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.obj"));
  const auto bad_device = test::run_tera("render '" + scene.string() + "' --device tpu");
  EXPECT_EQ(bad_device.exit_code, 2);
  EXPECT_TRUE(contains(bad_device.output, "--device")) << bad_device.output;
  // From the environment, the same mistake names the variable; --device given overrides it.
  const std::string render_scene =
      "render '" + scene.string() + "' --out '" + (dir / "r").string() + "' --turntable 1 --size 8";
  const auto env_device = test::run_command("TERA_DEVICE=tpu '" TERA_CLI_PATH "' " + render_scene);
  EXPECT_EQ(env_device.exit_code, 2);
  EXPECT_TRUE(contains(env_device.output, "TERA_DEVICE: expected auto, cpu or cuda, got 'tpu'"))
      << env_device.output;
  const auto env_overridden =
      test::run_command("TERA_DEVICE=tpu '" TERA_CLI_PATH "' " + render_scene + " --device cpu");
  EXPECT_EQ(env_overridden.exit_code, 0) << env_overridden.output;
  // Numbers are decimal: strtod's hexadecimal and leading spaces are refused.
  for (const char* elevation : {"0x4", "' 4'", "nan", "1e999", "''"}) {
    const auto bad = test::run_tera(render_scene + " --elevation " + elevation);
    EXPECT_EQ(bad.exit_code, 2) << elevation;
    EXPECT_TRUE(contains(bad.output, "--elevation: expected a finite number")) << bad.output;
  }
  EXPECT_EQ(test::run_tera(render_scene + " --elevation -4.5e0").exit_code, 0);
  // Whole numbers are decimal digits too (CLI11 alone reads 0x10 as 16 and 010 as 8).
  const std::string render_views =
      "render '" + scene.string() + "' --out '" + (dir / "v").string() + "' --size 8 --turntable ";
  for (const char* views : {"0x10", "' 2'", "4.0", "0b100", "+4"}) {
    const auto bad = test::run_tera(render_views + views);
    EXPECT_EQ(bad.exit_code, 2) << views;
    EXPECT_TRUE(contains(bad.output, "--turntable: expected a whole number")) << bad.output;
  }
  for (const char* size : {"' 32'", "'32x 32'", "+32"}) {
    const auto bad = test::run_tera("render '" + scene.string() + "' --turntable 1 --size " + size +
                                    " --out '" + (dir / "v").string() + "'");
    EXPECT_EQ(bad.exit_code, 2) << size;
    EXPECT_TRUE(contains(bad.output, "--size: expected a size like")) << bad.output;
  }
  ASSERT_EQ(test::run_tera(render_views + "010").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "v" / "view_009.png")) << "010 is ten views";
  EXPECT_FALSE(std::filesystem::exists(dir / "v" / "view_010.png"));
  // Options that do not apply to what was asked are refused rather than ignored.
  const auto sweep_fps = test::run_tera("animate nowhere --pose-sweep --fps 5");
  EXPECT_EQ(sweep_fps.exit_code, 2);
  EXPECT_TRUE(contains(sweep_fps.output, "--fps is for --bvh and --pose")) << sweep_fps.output;
  const auto figure_count =
      test::run_tera("scene --kind figure --count 5 --out '" + (dir / "f.ply").string() + "'");
  EXPECT_EQ(figure_count.exit_code, 2);
  EXPECT_TRUE(contains(figure_count.output, "--count is for --kind cloud")) << figure_count.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "f.ply"));
  const auto no_pose = test::run_tera("generate --prompt x --pose ''");
  EXPECT_EQ(no_pose.exit_code, 2);
  EXPECT_TRUE(contains(no_pose.output, "--pose: expected a pose name")) << no_pose.output;
}

// scene's seed takes the whole range a seed has (as generate's), and each seed names its own scene:
// 2^32 is not seed 0.
TEST(Cli, SceneSeedsSpanSixtyFourBits) {
  test::TempDir dir("cli");
  std::map<std::string, std::string> bytes;
  for (const char* seed : {"0", "4294967296", "18446744073709551615"}) {
    const auto path = dir / (std::string(seed) + ".splat");
    const auto made = test::run_tera("scene --kind cloud --count 50 --seed " + std::string(seed) +
                                     " --out '" + path.string() + "'");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    bytes[seed] = read_file(path);
  }
  EXPECT_NE(bytes["0"], bytes["4294967296"]);
  EXPECT_NE(bytes["0"], bytes["18446744073709551615"]);
  EXPECT_EQ(
      test::run_tera("scene --seed 18446744073709551616 --out '" + (dir / "x.splat").string() + "'")
          .exit_code,
      2);
}

// A .ply read and written again by convert is the same file: its rotations are not negated by
// the turn to tera's frame and back.
TEST(Cli, PlyConvertedToPlyKeepsEveryByte) {
  test::TempDir dir("cli_ply_again");
  const auto scene = write_scene(dir, "s.ply");
  const auto again = dir / "again.ply";
  const auto result = test::run_tera("convert '" + scene.string() + "' '" + again.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(read_file(again), read_file(scene));
}

TEST(Cli, InfoReportsCountDegreeAndFormatAsJson) {
  test::TempDir dir("cli");
  const auto scene = write_scene(dir, "s.spz");
  const auto info = test::run_tera("info --json '" + scene.string() + "'");
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_TRUE(contains(info.output, "\"count\": 500")) << info.output;
  EXPECT_TRUE(contains(info.output, "\"sh_degree\": 2")) << info.output;
  EXPECT_TRUE(contains(info.output, "\"format\": \"spz\"")) << info.output;
}

TEST(Cli, ConvertsBetweenAllFourFormats) {
  test::TempDir dir("cli");
  const auto ply = write_scene(dir, "s.ply");
  const GaussianSet original = read_gaussians(ply);
  for (const char* ext : {"splat", "spz", "glb", "ply"}) {
    const auto out = dir / (std::string("c.") + ext);
    const auto result = test::run_tera("convert '" + ply.string() + "' '" + out.string() + "'");
    ASSERT_EQ(result.exit_code, 0) << ext << ": " << result.output;
    const GaussianSet back = read_gaussians(out);
    ASSERT_EQ(back.size(), original.size()) << ext;
    // Positions survive every format within spz's 1/4096 m fixed point (the coarsest of the four).
    // .splat reorders Gaussians (largest first, for progressive viewers), so it is checked by
    // bounds.
    const Bounds a = original.bounds(), b = back.bounds();
    for (int axis = 0; axis < 3; ++axis) {
      EXPECT_NEAR(a.min[axis], b.min[axis], 1.0 / 4096) << ext;
      EXPECT_NEAR(a.max[axis], b.max[axis], 1.0 / 4096) << ext;
    }
    if (std::string(ext) == "splat") continue;
    for (std::size_t i = 0; i < back.positions.size(); ++i) {
      ASSERT_NEAR(back.positions[i], original.positions[i], 1.0 / 4096) << ext;
    }
  }
  const auto lower = test::run_tera("convert '" + ply.string() + "' '" + (dir / "d1.ply").string() +
                                    "' --sh-degree 1");
  ASSERT_EQ(lower.exit_code, 0) << lower.output;
  EXPECT_EQ(read_gaussians(dir / "d1.ply").sh_degree, 1);
  // A y-up .ply stores the in-memory frame itself; the default y-down one is that turned 180
  // degrees about X, (x, y, z) -> (x, -y, -z).
  ASSERT_EQ(test::run_tera("convert '" + ply.string() + "' '" + (dir / "up.ply").string() +
                           "' --frame yup")
                .exit_code,
            0);
  ReadOptions as_stored;
  as_stored.frame = Frame::kYUp;
  const GaussianSet up = read_gaussians(dir / "up.ply", as_stored);
  EXPECT_NEAR(up.positions[1], original.positions[1], 1e-6);
  const GaussianSet down = read_gaussians(ply, as_stored);
  for (int axis = 0; axis < 3; ++axis) {
    EXPECT_NEAR(down.positions[axis], (axis == 0 ? 1.f : -1.f) * original.positions[axis], 1e-6)
        << axis;
  }
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TEST(Cli, BadInputFilesExitWith4AndSayWhatIsWrongWhere) {
  test::TempDir dir("cli");
  const auto good = write_scene(dir, "good.ply");
  const std::string bytes = read_file(good);

  write_bytes(dir / "empty.ply", "");
  const auto empty = test::run_tera("info '" + (dir / "empty.ply").string() + "'");
  EXPECT_EQ(empty.exit_code, 4) << empty.output;
  EXPECT_TRUE(contains(empty.output, "empty.ply")) << empty.output;

  write_bytes(dir / "magic.ply", "plx\n" + bytes.substr(4));
  const auto magic = test::run_tera("info '" + (dir / "magic.ply").string() + "'");
  EXPECT_EQ(magic.exit_code, 4) << magic.output;
  EXPECT_TRUE(contains(magic.output, "magic.ply")) << magic.output;

  write_bytes(dir / "cut.ply", bytes.substr(0, bytes.size() - 100));
  const auto cut = test::run_tera("render '" + (dir / "cut.ply").string() + "' --out '" +
                                  (dir / "r").string() + "'");
  EXPECT_EQ(cut.exit_code, 4) << cut.output;
  EXPECT_TRUE(contains(cut.output, "cut.ply")) << cut.output;
  EXPECT_TRUE(contains(cut.output, "byte"))
      << "a truncated body names the byte offset: " << cut.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "r" / "view_000.png"))
      << "nothing may be rendered from a bad file";

  const auto missing = test::run_tera("info '" + (dir / "nope.ply").string() + "'");
  EXPECT_EQ(missing.exit_code, 4) << missing.output;

  write_bytes(dir / "bad.spz", "this is not gzip at all");
  const auto spz = test::run_tera("info '" + (dir / "bad.spz").string() + "'");
  EXPECT_EQ(spz.exit_code, 4) << spz.output;
}

TEST(Cli, NaNGaussiansAreDroppedAndCounted) {
  test::TempDir dir("cli");
  GaussianSet set = test::random_gaussians(50, 0, 21);
  set.positions[3] = std::numeric_limits<float>::quiet_NaN();
  // Write the NaNs straight into the file (the writers would drop them): patch a clean file.
  const auto path = dir / "nan.ply";
  GaussianSet clean = set;
  clean.positions[3] = 0.f;
  WriteOptions raw;
  raw.frame = Frame::kYDown;  // store as read back by default
  write_gaussians(clean, path, raw);
  std::string bytes = read_file(path);
  const std::size_t header_end = bytes.find("end_header\n") + std::strlen("end_header\n");
  const std::size_t stride =
      (3 + 3 + 3 + 1 + 3 + 4) * sizeof(float);  // x y z, normals, dc, opacity, scale, rot
  const float nan = std::numeric_limits<float>::quiet_NaN(),
              inf = std::numeric_limits<float>::infinity();
  std::memcpy(&bytes[header_end + 1 * stride + 0], &nan, 4);  // Gaussian 1, x
  const float huge = 100.f;  // a log-scale whose sigma (e^100) is no float: dropped
  std::memcpy(&bytes[header_end + 10 * stride + 10 * sizeof(float)], &huge, 4);  // 10, scale_0
  // An opacity of +inf is alpha 1 (splat-transform writes opaque Gaussians so): kept.
  std::memcpy(&bytes[header_end + 20 * stride + 9 * sizeof(float)], &inf, 4);  // 20, opacity
  write_bytes(path, bytes);
  const auto info = test::run_tera("info --json '" + path.string() + "'");
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_TRUE(contains(info.output, "\"count\": 48")) << info.output;
  EXPECT_TRUE(contains(info.output, "dropped 2"))
      << "the warning says how many were dropped: " << info.output;
  const auto converted =
      test::run_tera("convert '" + path.string() + "' '" + (dir / "kept.splat").string() + "'");
  ASSERT_EQ(converted.exit_code, 0) << converted.output;
  EXPECT_EQ(std::filesystem::file_size(dir / "kept.splat"), 48u * 32u) << "32 bytes a Gaussian";

  // A file left with no Gaussians converts to nothing: an error, and no file.
  write_bytes(dir / "none.splat", "");
  const auto none = test::run_tera("convert '" + (dir / "none.splat").string() + "' '" +
                                   (dir / "none.ply").string() + "'");
  EXPECT_EQ(none.exit_code, 4) << none.output;
  EXPECT_TRUE(contains(none.output, "none.splat: holds no Gaussians to convert")) << none.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "none.ply"));
}

}  // namespace
}  // namespace tera
