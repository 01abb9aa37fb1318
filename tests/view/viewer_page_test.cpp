// The viewer page's contents: self-contained, deterministic, the set embedded exactly as a .splat,
// the metadata safe inside its <script>, the starting camera that of `tera render` view 0, and
// small enough (80k Gaussians <= 4 MB).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/formats.h"
#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"
#include "tera/view/viewer_page.h"
#include "view/base64.h"

namespace tera {
namespace {

// The text between `open` (first occurrence) and the next "</script>".
std::string script_body(const std::string& page, const std::string& open) {
  const std::size_t start = page.find(open);
  EXPECT_NE(start, std::string::npos) << open;
  const std::size_t from = start + open.size();
  return page.substr(from, page.find("</script>", from) - from);
}

std::string base64_decode(const std::string& text) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    value = (value << 6) | static_cast<unsigned>(alphabet.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 255);
    }
  }
  return out;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

constexpr const char* kInfoOpen = "<script id=\"tera-info\" type=\"application/json\">";
constexpr const char* kSplatOpen = "<script id=\"tera-splat\" type=\"application/octet-stream\">";

TEST(Base64, MatchesTheRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(ViewerPage, IsSelfContainedDeterministicAndEmbedsTheSetAsSplat) {
  const GaussianSet set = test::random_gaussians(300, 2, 51);
  ViewerPageOptions options;
  options.prompt = "a person in a red coat";
  options.seed = 42;
  const std::string page = viewer_page(set, options);
  EXPECT_EQ(page, viewer_page(set, options)) << "the same input gives the same bytes";
  // No network: nothing is loaded from anywhere (no src= or href= to another document, no URL).
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("@TERA_"), std::string::npos) << "every slot is filled";
  // The data block is the set's .splat (tera's y-up frame), byte for byte.
  EXPECT_EQ(base64_decode(script_body(page, kSplatOpen)), encode_splat(set));
  const auto info = nlohmann::json::parse(script_body(page, kInfoOpen));
  EXPECT_EQ(info["prompt"], options.prompt);
  EXPECT_EQ(info["seed"], 42);
  EXPECT_EQ(info["gaussians"], 300);
  EXPECT_EQ(info["ply_name"], "avatar.ply");
}

TEST(ViewerPage, StartsAtTheCameraOfTeraRenderViewZero) {
  const GaussianSet set = test::random_gaussians(200, 0, 52);
  ViewerPageOptions options;
  options.orbit.framing = Framing::kUpper;
  const auto info = nlohmann::json::parse(script_body(viewer_page(set, options), kInfoOpen));
  const auto& camera = info["camera"];
  // The page's camera is look_at(target + distance * (cos e sin a, sin e, cos e cos a), target).
  const Camera want = orbit_cameras(set, options.orbit).front();
  const float e = camera["elevation_degrees"].get<float>() * 3.14159265f / 180.f;
  const float a = camera["azimuth_degrees"].get<float>() * 3.14159265f / 180.f;
  const float d = camera["distance"];
  const std::array<float, 3> direction{std::cos(e) * std::sin(a), std::sin(e),
                                       std::cos(e) * std::cos(a)};
  std::array<float, 3> eye{}, target{};
  for (int i = 0; i < 3; ++i) {
    target[i] = camera["target"][i];
    eye[i] = target[i] + d * direction[i];
  }
  const Camera got = look_at(eye, target, want.width, want.height, camera["fov_y_degrees"]);
  for (int i = 0; i < 16; ++i)
    EXPECT_NEAR(got.world_to_camera[i], want.world_to_camera[i], 1e-5) << i;
  EXPECT_FLOAT_EQ(got.fy, want.fy);
  EXPECT_FLOAT_EQ(camera["near"].get<float>(), want.near_plane);
}

TEST(ViewerPage, NoPromptCanCloseItsScriptElement) {
  ViewerPageOptions options;
  options.prompt = "</script><script>alert(1)</script> & <b>";
  const std::string page = viewer_page(test::random_gaussians(10, 0, 53), options);
  const std::string plain = viewer_page(test::random_gaussians(10, 0, 53), ViewerPageOptions{});
  EXPECT_EQ(count(page, "</script>"), count(plain, "</script>"));
  EXPECT_EQ(nlohmann::json::parse(script_body(page, kInfoOpen))["prompt"], options.prompt);
}

TEST(ViewerPage, EightyThousandGaussiansFitInFourMegabytes) {
  // 80k Gaussians: the size of a generated avatar. 32 bytes each as .splat, 4/3 for base64.
  const std::string page = viewer_page(test::random_gaussians(80000, 3, 54), ViewerPageOptions{});
  std::printf("viewer page for 80000 Gaussians: %zu bytes\n", page.size());
  EXPECT_LE(page.size(), 4u * 1000 * 1000);
}

TEST(ViewerPage, EmptySetIsAnInputError) {
  EXPECT_THROW(viewer_page(GaussianSet{}, ViewerPageOptions{}), InputError);
}

TEST(ViewCli, WritesThePageOfAnyFileAtomically) {
  test::TempDir dir("view");
  const GaussianSet set = test::random_gaussians(100, 1, 55);
  write_gaussians(set, dir / "a.spz");
  const auto result = test::run_tera("view '" + (dir / "a.spz").string() + "' --out '" +
                                     (dir / "p.html").string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  ViewerPageOptions options;
  options.title = "a.spz";
  options.ply_name = "a.ply";
  EXPECT_EQ(read_file(dir / "p.html"), viewer_page(read_gaussians(dir / "a.spz"), options));
  // Without --out the page goes beside the file.
  ASSERT_EQ(test::run_tera("view '" + (dir / "a.spz").string() + "'").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "a.html"));
  // A bad file is an input error (exit 4) and writes nothing.
  std::ofstream(dir / "bad.ply") << "not a ply";
  const auto bad = test::run_tera("view '" + (dir / "bad.ply").string() + "' --out '" +
                                  (dir / "bad.html").string() + "'");
  EXPECT_EQ(bad.exit_code, 4) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.html"));
  int leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    leftovers += entry.path().filename().string().find(".tmp-") != std::string::npos;
  }
  EXPECT_EQ(leftovers, 0) << "no temporary file is left behind";
}

}  // namespace
}  // namespace tera
