// Round trips ours -> file -> ours for every format, with tolerances derived from each format's
// quantisation, plus the dispatch helpers and the frame switch.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/core/frame.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

using test::Tolerances;

// .ply stores the float values themselves; the y-down frame change only negates and permutes.
constexpr Tolerances kPlyExact{};

// .glb stores activated floats: exp/log and sigmoid/logit round trips in float lose a few ulps;
// quaternions are normalised in float. SH and positions are copied exactly.
constexpr Tolerances kGlb{0.f, 1e-6f, 1e-6f, 0.f, 0.f, 1e-6f};

// .splat: positions float32 (exact); linear scale float32, so log(exp(x)) is within a few ulps;
// alpha and colour are bytes (half a step: 0.5/255 in alpha, 0.5/255/C0 = 0.0070 in f_dc);
// rotation bytes q*128+128 are off by at most 1/256 per component (1/128 where 1.0 clamps to 255),
// and renormalising at most doubles that: 0.012.
constexpr Tolerances kSplat{0.f, 1e-6f, 0.5f / 255 + 1e-6f, 0.5f / 255 / kShC0 + 1e-5f,
                            0.f, 0.012f};

// .spz: positions in steps of 1/4096 (half a step 1.22e-4); log-scale in steps of 1/16 (half
// 0.03125); alpha bytes (0.5/255); colour steps of 1/(0.15*255) (half 0.0131); SH rounds x*128
// (1/256) then to buckets of 16 above degree 1 (8/128): 0.0665 covers both degrees; smallest-three
// rotation: 9 bits over [0, 1/sqrt 2] (half step 6.9e-4), the derived largest component
// (>= 0.5) adds at most 3 * 0.71 * 6.9e-4 / 0.5 = 0.003.
constexpr Tolerances kSpz{0.5f / 4096 + 1e-6f,          0.5f / 16 + 1e-5f, 0.5f / 255 + 1e-6f,
                          0.5f / (0.15f * 255) + 1e-5f, 0.0665f,           0.003f};

struct Case {
  const char* file;
  Tolerances tolerances;
  int max_degree;
};

class RoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(RoundTrip, EveryFormatReturnsTheSetWithinItsQuantisation) {
  const int degree = GetParam();
  const Case cases[] = {
      {"a.ply", kPlyExact, 3}, {"a.glb", kGlb, 3}, {"a.splat", kSplat, 0}, {"a.spz", kSpz, 3}};
  const GaussianSet set = test::random_gaussians(300, degree, 11 + degree);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    test::TempDir dir("roundtrip");
    write_gaussians(set, dir / c.file);
    const GaussianSet back = read_gaussians(dir / c.file);
    GaussianSet want = set;
    want.set_sh_degree(std::min(degree, c.max_degree));
    if (std::string(c.file) == "a.splat") {
      // The writer sorts by volume x alpha; restore the input order by matching positions (exact).
      GaussianSet sorted;
      sorted.resize(back.size(), 0);
      for (std::size_t i = 0; i < want.size(); ++i) {
        std::size_t j = 0;
        while (j < back.size() && !std::equal(&back.positions[j * 3], &back.positions[j * 3] + 3,
                                              &want.positions[i * 3]))
          ++j;
        ASSERT_LT(j, back.size()) << "position of Gaussian " << i << " not found";
        std::copy_n(&back.positions[j * 3], 3, &sorted.positions[i * 3]);
        std::copy_n(&back.log_scales[j * 3], 3, &sorted.log_scales[i * 3]);
        std::copy_n(&back.rotations[j * 4], 4, &sorted.rotations[i * 4]);
        sorted.opacity_logits[i] = back.opacity_logits[j];
        std::copy_n(&back.sh[j * 3], 3, &sorted.sh[i * 3]);
      }
      test::expect_sets_near(want, sorted, c.tolerances);
    } else {
      test::expect_sets_near(want, back, c.tolerances);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ShDegrees, RoundTrip, ::testing::Values(0, 1, 2, 3));

TEST(RoundTripOptions, ExplicitFrameAndShDegreeAreHonoured) {
  test::TempDir dir("roundtrip");
  const GaussianSet set = test::random_gaussians(50, 3, 5);
  WriteOptions write;
  write.frame = Frame::kYUp;
  write.sh_degree = 1;
  write_gaussians(set, dir / "a.ply", write);
  // Read as the default (y-down) frame: the set comes back rotated 180 degrees about X.
  GaussianSet turned = read_gaussians(dir / "a.ply");
  EXPECT_EQ(turned.sh_degree, 1);
  EXPECT_EQ(turned.positions[0], set.positions[0]);
  EXPECT_EQ(turned.positions[1], -set.positions[1]);
  EXPECT_EQ(turned.positions[2], -set.positions[2]);
  ReadOptions read;
  read.frame = Frame::kYUp;
  GaussianSet want = set;
  want.set_sh_degree(1);
  test::expect_sets_near(want, read_gaussians(dir / "a.ply", read), kPlyExact);
}

TEST(RoundTripOptions, EmptySetsRoundTripInEveryFormat) {
  for (const char* file : {"e.ply", "e.glb", "e.splat", "e.spz"}) {
    test::TempDir dir("roundtrip");
    write_gaussians(GaussianSet{}, dir / file);
    EXPECT_TRUE(read_gaussians(dir / file).empty()) << file;
  }
}

TEST(RoundTripOptions, NonFiniteGaussiansAreDroppedOnWrite) {
  test::TempDir dir("roundtrip");
  GaussianSet set = test::random_gaussians(10, 1, 2);
  set.positions[3 * 3 + 1] = std::nanf("");
  set.log_scales[7 * 3] = INFINITY;
  set.sh[5 * 4 * 3 + 7] = -INFINITY;
  GaussianSet want = set;
  EXPECT_EQ(want.drop_non_finite(), 3u);
  for (const char* file : {"a.ply", "a.glb", "a.spz", "a.splat"}) {
    // The warning names the file and the count dropped; spdlog's default logger prints to stdout.
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    write_gaussians(set, dir / file);
    const std::string log =
        ::testing::internal::GetCapturedStdout() + ::testing::internal::GetCapturedStderr();
    EXPECT_NE(log.find("dropped 3 Gaussian"), std::string::npos) << file << " logged: " << log;
    EXPECT_NE(log.find(file), std::string::npos) << file << " logged: " << log;
    const GaussianSet back = read_gaussians(dir / file);
    EXPECT_EQ(back.size(), 7u) << file;
  }
  test::expect_sets_near(want, read_gaussians(dir / "a.ply"), kPlyExact);
}

// Every written file reads back whole: a sigma beyond float32 is dropped on write rather than
// stored as inf by the formats that store sigma, and an opaque Gaussian written with an opacity
// of +inf (as splat-transform writes one) is read as alpha 1, not dropped.
TEST(RoundTripOptions, OverflowingScalesAreDroppedAndInfiniteOpacityRead) {
  test::TempDir dir("roundtrip");
  GaussianSet set = test::random_gaussians(6, 0, 8);
  set.log_scales[2 * 3] = 100.f;
  set.opacity_logits[4] = INFINITY;
  for (const char* file : {"a.ply", "a.glb", "a.spz", "a.splat"}) {
    write_gaussians(set, dir / file);
    const GaussianSet back = read_gaussians(dir / file);
    ASSERT_EQ(back.size(), 5u) << file;
    float largest = -INFINITY, opaque = 0.f;
    for (std::size_t i = 0; i < back.size(); ++i) {
      largest = std::max(largest, back.log_scales[i * 3]);
      opaque = std::max(opaque, 1.f / (1.f + std::exp(-back.opacity_logits[i])));
    }
    EXPECT_LT(largest, 20.f) << file << ": the huge Gaussian is gone";
    EXPECT_GT(opaque, 254.f / 255.f)
        << file << ": the opaque one kept its alpha (byte formats: 255)";
  }
}

TEST(RoundTripOptions, NonFiniteGaussiansInAFileAreDroppedOnRead) {
  test::TempDir dir("roundtrip");
  GaussianSet set = test::random_gaussians(6, 0, 2);
  WriteOptions options;
  options.frame = Frame::kYUp;
  write_gaussians(set, dir / "a.ply", options);
  // Overwrite x of vertices 1 and 4 with NaN in the bytes: the reader must drop exactly those two.
  std::string bytes = test::slurp(dir / "a.ply");
  const std::size_t body = bytes.find("end_header\n") + 11;
  const std::size_t stride = 17 * 4;  // degree 0: 17 floats per vertex
  for (std::size_t i : {1u, 4u}) {
    std::string nan;
    test::append_f32(nan, std::nanf(""));
    bytes.replace(body + i * stride, 4, nan);
  }
  test::spit(dir / "a.ply", bytes);
  ReadOptions read;
  read.frame = Frame::kYUp;
  const GaussianSet back = read_gaussians(dir / "a.ply", read);
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back.positions[3], set.positions[2 * 3]) << "vertex 2 follows vertex 0";
}

TEST(Dispatch, FormatFollowsTheExtension) {
  EXPECT_EQ(format_from_path("a/b.PLY"), GaussianFormat::kPly);
  EXPECT_EQ(format_from_path("b.splat"), GaussianFormat::kSplat);
  EXPECT_EQ(format_from_path("b.Spz"), GaussianFormat::kSpz);
  EXPECT_EQ(format_from_path("b.glb"), GaussianFormat::kGlb);
  EXPECT_THROW(format_from_path("b.gltf"), UsageError);
  EXPECT_THROW(format_from_path("noext"), UsageError);
  EXPECT_STREQ(format_name(GaussianFormat::kSpz), "spz");
  EXPECT_EQ(default_frame(GaussianFormat::kPly), Frame::kYDown);
  EXPECT_EQ(default_frame(GaussianFormat::kSplat), Frame::kYDown);
  EXPECT_EQ(default_frame(GaussianFormat::kSpz), Frame::kYUp);
  EXPECT_EQ(default_frame(GaussianFormat::kGlb), Frame::kYUp);
}

}  // namespace
}  // namespace tera
