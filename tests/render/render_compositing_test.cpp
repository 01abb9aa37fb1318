// The CPU renderer's blending: background, clamping and early stop, depth order, culling, errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>

#include "render/render_test_util.h"
#include "tera/core/error.h"

namespace tera {
namespace {

using test::add_isotropic;
using test::render_one;

const std::array<float, 3> kBlack{0.f, 0.f, 0.f};
// An odd image size puts the optical axis on the centre of pixel (32, 32), where the offset to a
// Gaussian on the axis is exactly zero and its alpha is exactly its (clamped) opacity.
constexpr int kSize = 65;
constexpr int kCentre = 32;

Camera front_camera() { return look_at({0.f, 0.f, 2.f}, {0.f, 0.f, 0.f}, kSize, kSize, 40.f); }

TEST(RenderCompositing, EmptySceneIsTheBackgroundWithZeroAlpha) {
  GaussianSet set;
  const Image image = render_one(set, front_camera(), {0.2f, 0.4f, 0.6f});
  ASSERT_EQ(image.width, kSize);
  ASSERT_EQ(image.height, kSize);
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      const float* p = image.pixel(x, y);
      EXPECT_EQ(p[0], 0.2f);
      EXPECT_EQ(p[1], 0.4f);
      EXPECT_EQ(p[2], 0.6f);
      EXPECT_EQ(p[3], 0.f);
    }
  }
}

TEST(RenderCompositing, HalfTransparentGaussianIsCompositedOverTheBackground) {
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, 0.f}, 0.1f, 0.5f, {1.f, 0.f, 0.25f});
  const std::array<float, 3> background{0.2f, 0.4f, 0.6f};
  const Image image = render_one(set, front_camera(), background);
  const float* p = image.pixel(kCentre, kCentre);
  // alpha = 0.5 exactly at the centre; rgb = alpha c + (1 - alpha) background (float rounding
  // only).
  EXPECT_NEAR(p[3], 0.5, 1e-6);
  EXPECT_NEAR(p[0], 0.5 * 1.0 + 0.5 * 0.2, 1e-6);
  EXPECT_NEAR(p[1], 0.5 * 0.0 + 0.5 * 0.4, 1e-6);
  EXPECT_NEAR(p[2], 0.5 * 0.25 + 0.5 * 0.6, 1e-6);
  // Far from the Gaussian, the background.
  EXPECT_EQ(image.pixel(0, 0)[0], 0.2f);
  EXPECT_EQ(image.pixel(0, 0)[3], 0.f);
}

TEST(RenderCompositing, ClampAndTransmittanceStopFollowThe3dgsConvention) {
  // Three Gaussians on the axis, front to back: opaque red (alpha clamped to 0.99), half-opaque
  // green (transmittance 0.01 -> 0.005), opaque blue. Blue would bring the transmittance to
  // 0.005 * 0.01 = 5e-5 < 1e-4, so the pixel stops before blue and blue contributes nothing.
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, -1.f}, 0.2f, 0.99999f, {0.f, 0.f, 1.f});  // blue, farthest
  add_isotropic(set, {0.f, 0.f, 0.5f}, 0.1f, 0.99999f, {1.f, 0.f, 0.f});  // red, nearest
  add_isotropic(set, {0.f, 0.f, 0.f}, 0.1f, 0.5f, {0.f, 1.f, 0.f});       // green, between
  const std::array<float, 3> background{0.f, 0.f, 0.f};
  const Image image = render_one(set, front_camera(), background);
  const float* p = image.pixel(kCentre, kCentre);
  EXPECT_NEAR(p[0], 0.99, 1e-6);
  EXPECT_NEAR(p[1], 0.5 * 0.01, 1e-6);
  EXPECT_EQ(p[2], 0.f);
  EXPECT_NEAR(p[3], 1.0 - 0.005, 1e-6);  // alpha = 1 - final transmittance
}

TEST(RenderCompositing, NearerGaussianHidesTheFartherOneWhateverTheOrder) {
  for (const bool red_first : {true, false}) {
    GaussianSet set;
    const std::array<float, 3> red{1.f, 0.f, 0.f}, blue{0.f, 0.f, 1.f};
    // Red at z = 0.5 is nearer to a camera on +Z than blue at z = -0.5; both have alpha 0.9 at
    // the centre, so the nearer gives 0.9 and the farther 0.1 x 0.9.
    if (red_first) add_isotropic(set, {0.f, 0.f, 0.5f}, 0.15f, 0.9f, red);
    add_isotropic(set, {0.f, 0.f, -0.5f}, 0.15f, 0.9f, blue);
    if (!red_first) add_isotropic(set, {0.f, 0.f, 0.5f}, 0.15f, 0.9f, red);
    const Image front = render_one(set, front_camera(), kBlack);
    EXPECT_NEAR(front.pixel(kCentre, kCentre)[0], 0.9, 1e-6) << "red first: " << red_first;
    EXPECT_NEAR(front.pixel(kCentre, kCentre)[2], 0.09, 1e-6) << "red first: " << red_first;
    // From behind, blue is in front.
    const Camera back = look_at({0.f, 0.f, -2.f}, {0.f, 0.f, 0.f}, kSize, kSize, 40.f);
    const Image rear = render_one(set, back, kBlack);
    EXPECT_NEAR(rear.pixel(kCentre, kCentre)[2], 0.9, 1e-6) << "red first: " << red_first;
    EXPECT_NEAR(rear.pixel(kCentre, kCentre)[0], 0.09, 1e-6) << "red first: " << red_first;
  }
}

// Sum of alpha over an image.
double total_alpha(const Image& image) {
  double total = 0.0;
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) total += image.rgba[i];
  return total;
}

TEST(RenderCompositing, GaussiansBehindTheCameraBeyondFarOrOffScreenAreCulled) {
  Camera camera = front_camera();
  camera.far_plane = 10.f;
  GaussianSet visible;
  add_isotropic(visible, {0.f, 0.f, 0.f}, 0.1f, 0.9f, {1.f, 1.f, 1.f});
  ASSERT_GT(total_alpha(render_one(visible, camera, kBlack)), 10.0);  // the probe itself is seen

  GaussianSet culled;
  add_isotropic(culled, {0.f, 0.f, 3.f}, 0.1f, 0.9f, {1.f, 1.f, 1.f});  // behind the camera
  add_isotropic(culled, {0.f, 0.f, 1.995f}, 0.1f, 0.9f,
                {1.f, 1.f, 1.f});  // closer than the near plane
  add_isotropic(culled, {0.f, 0.f, -9.f}, 0.5f, 0.9f, {1.f, 1.f, 1.f});  // beyond the far plane
  add_isotropic(culled, {3.f, 0.f, 0.f}, 0.1f, 0.9f, {1.f, 1.f, 1.f});   // far to the side
  EXPECT_EQ(total_alpha(render_one(culled, camera, kBlack)), 0.0);
}

TEST(RenderCompositing, InvalidCamerasAndOptionsAreRejected) {
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, 0.f}, 0.1f, 0.9f, {1.f, 1.f, 1.f});
  auto renderer = make_renderer(Device::kCpu);
  EXPECT_EQ(renderer->device(), Device::kCpu);
  RenderOptions options;
  Camera zero_size = front_camera();
  zero_size.width = 0;
  EXPECT_THROW(renderer->render(set, {zero_size}, options), Error);
  Camera bad_near = front_camera();
  bad_near.near_plane = 0.f;
  EXPECT_THROW(renderer->render(set, {bad_near}, options), Error);
  try {  // the check names the camera: the second of two here
    renderer->render(set, {front_camera(), bad_near}, options);
    FAIL() << "a zero near plane was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("camera 1: expected 0 < near_plane < far_plane"),
              std::string::npos)
        << e.what();
  }
  GaussianSet torn = set;
  torn.rotations.pop_back();  // arrays that disagree about the count
  EXPECT_THROW(renderer->render(torn, {front_camera()}, options), Error);
  options.threads = -1;
  try {
    renderer->render(set, {front_camera()}, options);
    FAIL() << "threads = -1 was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.parameter(), "threads");
  }
  // No cameras: no images.
  options.threads = 1;
  EXPECT_TRUE(renderer->render(set, {}, options).empty());
}

TEST(RenderCompositing, OneRendererSharedByThreadsRendersWhatItRendersAlone) {
  GaussianSet set;
  for (int i = 0; i < 40; ++i) {
    add_isotropic(set, {0.05f * (i % 7) - 0.15f, 0.04f * (i % 5) - 0.1f, 0.01f * i}, 0.05f, 0.7f,
                  {0.1f * (i % 10), 0.5f, 1.f - 0.1f * (i % 10)});
  }
  auto renderer = make_renderer(Device::kCpu);
  RenderOptions options;
  options.threads = 2;
  const Image alone = renderer->render(set, {front_camera()}, options)[0];
  std::vector<std::vector<Image>> results(4);
  std::vector<std::thread> callers;
  for (auto& result : results) {
    callers.emplace_back([&] {
      for (int k = 0; k < 3; ++k)
        result.push_back(renderer->render(set, {front_camera()}, options)[0]);
    });
  }
  for (auto& caller : callers) caller.join();
  for (const auto& result : results) {
    for (const Image& image : result)
      EXPECT_EQ(image.rgba, alone.rgba);  // bit for bit: calls are serialised
  }
}

}  // namespace
}  // namespace tera
