// The CUDA renderer against the CPU renderer (the reference): same scenes, same cameras, images
// that agree to within float rounding. Every test skips when this build or machine has no CUDA.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "tera/core/device.h"
#include "tera/core/error.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"

namespace tera {
namespace {

#define TERA_SKIP_WITHOUT_CUDA()                                                                   \
  do {                                                                                             \
    if (!cuda_available()) GTEST_SKIP() << "no CUDA backend in this build or no CUDA device here"; \
  } while (0)

// Tolerances. Both backends run the same float formulas (src/render/splat_math.h; the kernels are
// compiled without FMA contraction), so most pixels agree exactly; what remains is expf differing
// in the last place (CUDA's expf is within 2 ulp). Such a rounding difference can flip a discrete
// decision in a rare pixel: a contribution crossing alpha = 1/255 (changes the pixel by at most
// alpha * colour <= 1/255 * ~1.5 ~= 0.006), a footprint radius rounding up one more pixel (adds
// contributions at >= 3 sigma, alpha <= exp(-4.5) ~= 0.011, so <= ~0.017), or a pixel stopping at
// T = 1e-4 one Gaussian earlier (<= 1e-4). Hence:
constexpr float kMaxAbsError = 0.02f;      // any single channel of any pixel
constexpr double kMaxMeanAbsError = 1e-4;  // flips are rare: the mean stays at rounding level
constexpr double kMinPsnr = 45.0;          // dB over RGBA in [0, 1]; 45 dB = RMS error 0.0056

struct Difference {
  float max_abs = 0.f;
  double mean_abs = 0.0;
  double psnr = 0.0;  // infinity when identical
};

Difference compare(const Image& a, const Image& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  Difference d;
  if (a.rgba.size() != b.rgba.size() || a.rgba.empty()) {
    d.max_abs = INFINITY;
    return d;
  }
  double sum_abs = 0.0, sum_sq = 0.0;
  for (std::size_t i = 0; i < a.rgba.size(); ++i) {
    const float e = std::fabs(a.rgba[i] - b.rgba[i]);
    d.max_abs = std::max(d.max_abs, std::isnan(e) ? INFINITY : e);
    sum_abs += e;
    sum_sq += static_cast<double>(e) * e;
  }
  const double n = static_cast<double>(a.rgba.size());
  d.mean_abs = sum_abs / n;
  d.psnr = sum_sq == 0.0 ? INFINITY : 10.0 * std::log10(1.0 / (sum_sq / n));
  return d;
}

// Fraction of pixels with alpha > 0.5: guards against comparing two empty images.
double covered_fraction(const Image& image) {
  std::size_t covered = 0;
  for (std::size_t p = 3; p < image.rgba.size(); p += 4) covered += image.rgba[p] > 0.5f ? 1 : 0;
  return static_cast<double>(covered) / (image.rgba.size() / 4);
}

// Renders with both backends and checks every view against the tolerances.
void expect_parity(const GaussianSet& set, const std::vector<Camera>& cameras,
                   const std::string& scene, const RenderOptions& options = RenderOptions{}) {
  const std::vector<Image> cpu = make_renderer(Device::kCpu)->render(set, cameras, options);
  const std::vector<Image> gpu = make_renderer(Device::kCuda)->render(set, cameras, options);
  ASSERT_EQ(cpu.size(), cameras.size());
  ASSERT_EQ(gpu.size(), cameras.size());
  for (std::size_t v = 0; v < cameras.size(); ++v) {
    const Difference d = compare(cpu[v], gpu[v]);
    SCOPED_TRACE(scene + ", view " + std::to_string(v) + " (" + std::to_string(cameras[v].width) +
                 "x" + std::to_string(cameras[v].height) + ")");
    EXPECT_LE(d.max_abs, kMaxAbsError);
    EXPECT_LE(d.mean_abs, kMaxMeanAbsError);
    EXPECT_GE(d.psnr, kMinPsnr);
    EXPECT_GT(covered_fraction(cpu[v]), 0.01) << "the scene must actually cover the image";
  }
}

Camera front_camera(int width, int height) {
  return look_at({0.3f, 0.2f, 4.f}, {0.f, 0.f, 0.f}, width, height, 40.f);
}

std::vector<Camera> orbit(const GaussianSet& set, int views, int width, int height) {
  OrbitOptions options;
  options.views = views;
  options.width = width;
  options.height = height;
  options.elevation_degrees = 20.f;
  return orbit_cameras(set, options);
}

// Needles and discs: one or two axes far thinner than the others, in random orientations, where
// the 2D covariance is nearly singular and the 0.3 px dilation matters.
GaussianSet thin_gaussians(std::size_t n, unsigned seed) {
  GaussianSet set = test::random_gaussians(n, 1, seed);
  std::mt19937 rng(seed + 1000);
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  for (std::size_t i = 0; i < n; ++i) {
    const bool needle = i % 2 == 0;
    set.log_scales[i * 3 + 0] = -2.5f + 0.5f * unit(rng);  // long axis ~ 5-8 cm
    set.log_scales[i * 3 + 1] = needle ? -8.f : -2.5f + 0.5f * unit(rng);
    set.log_scales[i * 3 + 2] = -8.f;  // ~0.3 mm: far below a pixel
  }
  return set;
}

TEST(GpuRender, CudaRendererReportsItsDevice) {
  TERA_SKIP_WITHOUT_CUDA();
  EXPECT_EQ(make_renderer(Device::kCuda)->device(), Device::kCuda);
  EXPECT_EQ(make_renderer(Device::kAuto)->device(), Device::kCuda);
}

TEST(GpuRender, AskingForCudaWithoutItIsAUsageError) {
  if (cuda_available()) GTEST_SKIP() << "this machine has CUDA; the error path cannot be reached";
  EXPECT_THROW(make_renderer(Device::kCuda), UsageError);
  EXPECT_EQ(make_renderer(Device::kAuto)->device(), Device::kCpu);
}

TEST(GpuRender, ParityOnRandomCloudsOfEverySHDegree) {
  TERA_SKIP_WITHOUT_CUDA();
  for (int degree = 0; degree <= kMaxShDegree; ++degree) {
    const GaussianSet set = test::random_gaussians(3000 + 2000 * degree, degree, 11 + degree);
    expect_parity(set, {front_camera(160, 128)}, "cloud of degree " + std::to_string(degree));
  }
}

TEST(GpuRender, ParityOnALargeCloudFromOrbitViews) {
  TERA_SKIP_WITHOUT_CUDA();
  const GaussianSet set = test::random_gaussians(200000, 3, 7);
  expect_parity(set, orbit(set, 6, 256, 256), "200k cloud, 6 orbit views");
}

TEST(GpuRender, ParityAtSizesThatAreNotMultiplesOfTheTile) {
  TERA_SKIP_WITHOUT_CUDA();
  const GaussianSet set = test::random_gaussians(20000, 2, 3);
  for (const auto& size :
       std::vector<std::pair<int, int>>{{1, 1}, {17, 33}, {250, 130}, {641, 479}}) {
    if (size.first * size.second < 64) {
      // Too small for a coverage check: compare the pixel values only.
      const std::vector<Camera> cameras{front_camera(size.first, size.second)};
      const Difference d = compare(make_renderer(Device::kCpu)->render(set, cameras, {})[0],
                                   make_renderer(Device::kCuda)->render(set, cameras, {})[0]);
      EXPECT_LE(d.max_abs, kMaxAbsError);
      continue;
    }
    expect_parity(set, {front_camera(size.first, size.second)},
                  std::to_string(size.first) + "x" + std::to_string(size.second));
  }
}

TEST(GpuRender, ParityOnThinAnisotropicGaussians) {
  TERA_SKIP_WITHOUT_CUDA();
  const GaussianSet set = thin_gaussians(30000, 5);
  expect_parity(set, orbit(set, 4, 300, 200), "needles and discs");
}

TEST(GpuRender, ParityWithAColouredBackgroundAndCamerasInsideTheCloud) {
  TERA_SKIP_WITHOUT_CUDA();
  const GaussianSet set = test::random_gaussians(20000, 1, 9);
  RenderOptions options;
  options.background = {0.1f, 0.4f, 0.8f};
  // From inside the cloud: Gaussians behind the camera, at the near plane and far off-screen, where
  // the Jacobian clamp is active.
  std::vector<Camera> cameras{look_at({0.f, 0.f, 0.2f}, {0.f, 0.f, -1.f}, 200, 160, 90.f),
                              front_camera(200, 160)};
  expect_parity(set, cameras, "background and inside views", options);
}

TEST(GpuRender, EmptySetGivesTheBackground) {
  TERA_SKIP_WITHOUT_CUDA();
  RenderOptions options;
  options.background = {0.25f, 0.5f, 0.75f};
  const std::vector<Image> images =
      make_renderer(Device::kCuda)->render(GaussianSet{}, {front_camera(40, 20)}, options);
  ASSERT_EQ(images.size(), 1u);
  for (std::size_t p = 0; p < images[0].rgba.size(); p += 4) {
    ASSERT_EQ(images[0].rgba[p + 0], 0.25f);
    ASSERT_EQ(images[0].rgba[p + 1], 0.5f);
    ASSERT_EQ(images[0].rgba[p + 2], 0.75f);
    ASSERT_EQ(images[0].rgba[p + 3], 0.f);
  }
}

// Rendering a turntable in one call (views batched on the device) must give exactly the images of
// rendering each view alone: batching changes the order of work, never the per-pixel arithmetic or
// the order of Gaussians within a tile.
TEST(GpuRender, BatchedViewsEqualSingleViews) {
  TERA_SKIP_WITHOUT_CUDA();
  const GaussianSet set = test::random_gaussians(50000, 3, 21);
  std::vector<Camera> cameras = orbit(set, 12, 192, 144);
  cameras.push_back(front_camera(100, 70));  // a different size starts a new batch
  cameras.push_back(orbit(set, 1, 192, 144)[0]);
  const std::unique_ptr<Renderer> renderer = make_renderer(Device::kCuda);
  const std::vector<Image> batched = renderer->render(set, cameras, {});
  ASSERT_EQ(batched.size(), cameras.size());
  for (std::size_t v = 0; v < cameras.size(); ++v) {
    const std::vector<Image> single = renderer->render(set, {cameras[v]}, {});
    ASSERT_EQ(single.size(), 1u);
    SCOPED_TRACE("view " + std::to_string(v));
    EXPECT_EQ(single[0].width, batched[v].width);
    EXPECT_EQ(single[0].height, batched[v].height);
    EXPECT_TRUE(single[0].rgba == batched[v].rgba)
        << "max difference " << compare(single[0], batched[v]).max_abs;
  }
}

TEST(GpuRender, InvalidCameraIsRejectedWithItsIndex) {
  TERA_SKIP_WITHOUT_CUDA();
  Camera bad = front_camera(32, 32);
  bad.near_plane = 0.f;
  try {
    make_renderer(Device::kCuda)
        ->render(test::random_gaussians(10, 0, 1), {front_camera(32, 32), bad}, {});
    FAIL() << "expected tera::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("camera 1"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace tera
