// `tera render` and `tera compare` through the real binary.
#include <filesystem>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/render/image.h"

namespace tera {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class RenderCli : public ::testing::Test {
 protected:
  void SetUp() override {
    scene_ = dir_ / "figure.ply";
    const auto result = test::run_tera("scene --out '" + scene_.string() + "'");
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }
  // Renders 4 small views; `extra` may add options (two threads unless it names --threads).
  test::CommandResult render(const std::string& out, const std::string& extra = "") {
    const std::string threads = extra.find("--threads") == std::string::npos ? "--threads 2 " : "";
    return test::run_tera("render '" + scene_.string() + "' --turntable 4 --size 96x128 " +
                          threads + "--out '" + (dir_ / out).string() + "' " + extra);
  }
  test::TempDir dir_{"render-cli"};
  std::filesystem::path scene_;
};

TEST_F(RenderCli, WritesEveryViewAndAContactSheet) {
  const auto result = render("r", "--json");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "\"contact_sheet\"")) << result.output;
  for (int i = 0; i < 4; ++i) {
    const Image view = read_png(dir_ / "r" / ("view_00" + std::to_string(i) + ".png"));
    EXPECT_EQ(view.width, 96);
    EXPECT_EQ(view.height, 128);
  }
  const Image sheet = read_png(dir_ / "r" / "contact_sheet.png");
  EXPECT_EQ(sheet.width, 2 * 96 + 3 * 4);  // 4 views -> 2 columns, 4 px gaps
  EXPECT_EQ(sheet.height, 2 * 128 + 3 * 4);
}

TEST_F(RenderCli, FrontViewShowsTheFigureUprightWithItsRedLeftArmOnTheViewersRight) {
  ASSERT_EQ(render("r").exit_code, 0);
  const Image front = read_png(dir_ / "r" / "view_000.png");
  // Count strongly red pixels (the left arm and mouth) on each half, and skin-or-shirt pixels by
  // height.
  int red_left = 0, red_right = 0, covered_top = 0, covered_bottom = 0;
  for (int y = 0; y < front.height; ++y) {
    for (int x = 0; x < front.width; ++x) {
      const float* p = front.pixel(x, y);
      if (p[0] > 0.6f && p[1] < 0.35f && p[2] < 0.35f)
        (x < front.width / 2 ? red_left : red_right)++;
      const bool background = p[0] > 0.97f && p[1] > 0.97f && p[2] > 0.97f;
      if (!background) (y < front.height / 2 ? covered_top : covered_bottom)++;
    }
  }
  EXPECT_GT(red_right, 20) << "the red left arm (+X) must face the viewer's right";
  EXPECT_GT(red_right, 5 * red_left);
  // Upright: the ground disc fills the lower half much more than the head fills the upper half.
  EXPECT_GT(covered_bottom, covered_top);
  EXPECT_GT(covered_top, 0);
}

TEST_F(RenderCli, SameInputRendersIdenticalBytes) {
  ASSERT_EQ(render("a").exit_code, 0);
  ASSERT_EQ(render("b", "--threads 1").exit_code, 0);
  for (const char* name : {"view_000.png", "view_003.png", "contact_sheet.png"}) {
    EXPECT_EQ(read_file(dir_ / "a" / name), read_file(dir_ / "b" / name)) << name;
  }
}

TEST_F(RenderCli, CompareAcceptsIdenticalFoldersAndRejectsChangedOnes) {
  ASSERT_EQ(render("a").exit_code, 0);
  ASSERT_EQ(render("b").exit_code, 0);
  const auto same =
      test::run_tera("compare '" + (dir_ / "a").string() + "' '" + (dir_ / "b").string() +
                     "' --min-psnr 60 --diff '" + (dir_ / "d").string() + "'");
  EXPECT_EQ(same.exit_code, 0) << same.output;
  EXPECT_TRUE(contains(same.output, "inf")) << same.output;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "d" / "view_001.png"));

  // A different elevation changes every view: PSNR drops well below 40 dB.
  ASSERT_EQ(render("c", "--elevation 30").exit_code, 0);
  const auto changed =
      test::run_tera("compare '" + (dir_ / "a").string() + "' '" + (dir_ / "c").string() +
                     "' --min-psnr 40 --json --diff '" + (dir_ / "d2").string() + "'");
  EXPECT_EQ(changed.exit_code, 6) << changed.output;  // its own code, not a runtime error's 1
  EXPECT_TRUE(contains(changed.output, "\"ok\": false")) << changed.output;
  const Image diff = read_png(dir_ / "d2" / "view_000.png");
  float brightest = 0.f;
  for (std::size_t i = 0; i < diff.rgba.size(); i += 4)
    brightest = std::max(brightest, diff.rgba[i]);
  EXPECT_GT(brightest, 0.5f) << "the difference image shows where they differ";

  std::filesystem::remove(dir_ / "c" / "view_002.png");
  const auto missing =
      test::run_tera("compare '" + (dir_ / "a").string() + "' '" + (dir_ / "c").string() +
                     "' --diff '" + (dir_ / "d3").string() + "'");
  EXPECT_EQ(missing.exit_code, 6);
  EXPECT_TRUE(contains(missing.output, "view_002.png")) << missing.output;
  EXPECT_TRUE(contains(missing.output, "missing in " + (dir_ / "c").string())) << missing.output;
}

TEST_F(RenderCli, CompareNeverWritesOverItsInputsAndCountsAResizedImageAsAFailure) {
  ASSERT_EQ(render("a").exit_code, 0);
  ASSERT_EQ(render("b").exit_code, 0);
  const std::string golden = read_file(dir_ / "b" / "view_000.png");
  const auto a = (dir_ / "a").string(), b = (dir_ / "b").string();
  const auto into_golden = test::run_tera("compare '" + a + "' '" + b + "' --diff '" + b + "'");
  EXPECT_EQ(into_golden.exit_code, 2) << into_golden.output;
  EXPECT_TRUE(contains(into_golden.output, "--diff")) << into_golden.output;
  EXPECT_EQ(read_file(dir_ / "b" / "view_000.png"), golden) << "the golden image was replaced";
  const auto image_a = (dir_ / "a" / "view_000.png").string();
  const auto beside =
      test::run_tera("compare '" + image_a + "' '" + (dir_ / "b" / "view_001.png").string() +
                     "' --diff '" + a + "'");  // the difference image would be a/view_000.png
  EXPECT_EQ(beside.exit_code, 2) << beside.output;
  // Into the folder of image B, where it would write view_000.png (named after A) over B's own.
  const auto into_b =
      test::run_tera("compare '" + image_a + "' '" + (dir_ / "b" / "view_001.png").string() +
                     "' --diff '" + b + "'");
  EXPECT_EQ(into_b.exit_code, 2) << into_b.output;
  EXPECT_EQ(read_file(dir_ / "b" / "view_000.png"), golden);

  // Another size is a regression like a low PSNR (exit 6), and the other images are compared.
  const auto small =
      test::run_tera("render '" + scene_.string() + "' --turntable 4 --size 64 --out '" +
                     (dir_ / "c").string() + "'");
  ASSERT_EQ(small.exit_code, 0) << small.output;
  std::filesystem::copy_file(dir_ / "a" / "view_001.png", dir_ / "c" / "view_001.png",
                             std::filesystem::copy_options::overwrite_existing);
  const auto resized = test::run_tera("compare '" + a + "' '" + (dir_ / "c").string() +
                                      "' --json --diff '" + (dir_ / "d").string() + "'");
  EXPECT_EQ(resized.exit_code, 6) << resized.output;
  EXPECT_TRUE(contains(resized.output, "\"sizes\": \"96x128 against 64x64\"")) << resized.output;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "d" / "view_001.png")) << "the same-sized one";

  for (const char* bad : {"--min-psnr nan", "--min-ssim nan", "--gain inf", "--min-ssim 1.5",
                          "--gain 0", "--diff ''"}) {
    const auto result = test::run_tera("compare '" + a + "' '" + b + "' " + bad);
    EXPECT_EQ(result.exit_code, 2) << bad << ": " << result.output;
  }
  const auto exact = test::run_tera("compare '" + a + "' '" + b + "' --min-psnr inf --diff '" +
                                    (dir_ / "d4").string() + "'");
  EXPECT_EQ(exact.exit_code, 0) << "identical renders meet --min-psnr inf: " << exact.output;
}

TEST_F(RenderCli, ARerenderWithFewerViewsLeavesNoStaleViewAndAFileInTheWayIsRefused) {
  ASSERT_EQ(render("r").exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(dir_ / "r" / "view_003.png"));
  const auto fewer =  // --views: generate's name for --turntable, which render takes too
      test::run_tera("render '" + scene_.string() + "' --views 2 --size 32 --out '" +
                     (dir_ / "r").string() + "'");
  ASSERT_EQ(fewer.exit_code, 0) << fewer.output;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "r" / "view_002.png"));
  EXPECT_TRUE(contains(fewer.output, (dir_ / "r" / "view_001.png").string())) << fewer.output;
  EXPECT_EQ(read_png(dir_ / "r" / "view_001.png").width, 32);
  const auto onto_file =
      test::run_tera("render '" + scene_.string() + "' --out '" + scene_.string() + "'");
  EXPECT_EQ(onto_file.exit_code, 2) << onto_file.output;
  EXPECT_TRUE(std::filesystem::is_regular_file(scene_));
}

TEST_F(RenderCli, ViewRefusesToWriteItsPageOverTheFileItShows) {
  const std::string before = read_file(scene_);
  const auto result =
      test::run_tera("view '" + scene_.string() + "' --out '" + scene_.string() + "'");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "--out")) << result.output;
  EXPECT_EQ(read_file(scene_), before);
}

TEST_F(RenderCli, LogFileReceivesDiagnosticsAndQuietSilencesWarnings) {
  const auto log = dir_ / "tera.log";
  ASSERT_EQ(render("r", "-v --log-file '" + log.string() + "'").exit_code, 0);
  EXPECT_TRUE(contains(read_file(log), "rendered")) << read_file(log);
  const auto quiet = render("q", "-q");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_FALSE(contains(quiet.output, "warn")) << quiet.output;
}

}  // namespace
}  // namespace tera
