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
