// The CPU renderer against closed forms: the projected footprint of one Gaussian, its total
// opacity, and its (view-dependent) colour.
#include <gtest/gtest.h>

#include <cmath>

#include "render/render_test_util.h"

namespace tera {
namespace {

using test::add_isotropic;
using test::render_one;

constexpr double kPi = 3.14159265358979323846;
const std::array<float, 3> kBlack{0.f, 0.f, 0.f};

// One isotropic Gaussian at the origin seen face-on from distance 2 along +Z.
struct FacingScene {
  float sigma = 0.09f;   // world standard deviation, metres
  float distance = 2.f;  // camera z of the Gaussian
  float opacity =
      0.3f;  // below exp(4.5) / 255: every pixel with alpha >= 1/255 lies inside 3 sigma
  Camera camera = look_at({0.f, 0.f, 2.f}, {0.f, 0.f, 0.f}, 128, 128, 40.f);
  // Projected variance: (f sigma / z)^2 plus the 0.3 px^2 dilation.
  double projected_variance() const {
    const double s = camera.fy * sigma / distance;
    return s * s + 0.3;
  }
};

TEST(RenderClosedForm, AlphaProfileOfAFacingGaussianIsTheDilatedProjection) {
  const FacingScene scene;
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, 0.f}, scene.sigma, scene.opacity, {0.5f, 0.5f, 0.5f});
  const Image image = render_one(set, scene.camera, kBlack);
  const double variance = scene.projected_variance();
  ASSERT_GT(variance, 36.0);  // a footprint of many pixels, so the profile is well sampled

  // The mean projects to the image centre (64, 64); pixel centres are at x + 0.5.
  int checked = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double dx = x + 0.5 - 64.0, dy = y + 0.5 - 64.0;
      const double expected = scene.opacity * std::exp(-(dx * dx + dy * dy) / (2.0 * variance));
      const float alpha = image.pixel(x, y)[3];
      // Float arithmetic of the projection and of exp(): relative error ~1e-6, so 1e-5 absolute.
      // Within 0.1% of the 1/255 cut-off either outcome is allowed.
      if (expected > (1.0 + 1e-3) / 255.0) {
        EXPECT_NEAR(alpha, expected, 1e-5) << "pixel " << x << "," << y;
        ++checked;
      } else if (expected < (1.0 - 1e-3) / 255.0) {
        EXPECT_EQ(alpha, 0.f) << "pixel " << x << "," << y << " is below the 1/255 cut-off";
      }
    }
  }
  EXPECT_GT(checked, 600);

  // The row just above the centre (dy = -0.5), explicitly: the 1D profile.
  const int row = 63;
  for (int x = 0; x < image.width; ++x) {
    const double dx = x + 0.5 - 64.0;
    const double expected = scene.opacity * std::exp(-(dx * dx + 0.25) / (2.0 * variance));
    if (expected > (1.0 + 1e-3) / 255.0) {
      EXPECT_NEAR(image.pixel(x, row)[3], expected, 1e-5) << "x " << x;
    }
  }
}

TEST(RenderClosedForm, TotalAlphaMatchesTheIntegralAboveTheCutoff) {
  const FacingScene scene;
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, 0.f}, scene.sigma, scene.opacity, {0.5f, 0.5f, 0.5f});
  const Image image = render_one(set, scene.camera, kBlack);
  double total = 0.0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) total += image.pixel(x, y)[3];
  }
  // Integral of o exp(-r^2 / 2s^2) over the disc where it is >= 1/255 (outside, alpha is skipped):
  // 2 pi s^2 (o - 1/255). The pixel sum samples a smooth footprint of s ~ 7 px (aliasing error
  // ~exp(-2 pi^2 s^2), nil); the only real error is the pixelated rim of the cut-off disc,
  // at most (rim pixels) x 1/255 ~ 0.6% and much less on average, so 1% is the tolerance.
  const double expected = 2.0 * kPi * scene.projected_variance() * (scene.opacity - 1.0 / 255.0);
  EXPECT_NEAR(total, expected, 0.01 * expected);
}

TEST(RenderClosedForm, PeakAlphaIsClampedTo099) {
  // A nearly opaque Gaussian centred on a pixel centre (odd image size): alpha = min(0.99, o).
  GaussianSet set;
  add_isotropic(set, {0.f, 0.f, 0.f}, 0.1f, 0.99995f, {1.f, 1.f, 1.f});
  const Camera camera = look_at({0.f, 0.f, 2.f}, {0.f, 0.f, 0.f}, 65, 65, 40.f);
  const Image image = render_one(set, camera, kBlack);
  EXPECT_FLOAT_EQ(image.pixel(32, 32)[3], 0.99f);
  float peak = 0.f;
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) peak = std::max(peak, image.rgba[i]);
  EXPECT_FLOAT_EQ(peak, 0.99f);
}

TEST(RenderClosedForm, DcOnlyColourIsHalfPlusC0TimesDcClampedAtZero) {
  GaussianSet set;
  set.resize(1, 0);
  set.log_scales = {std::log(0.1f), std::log(0.1f), std::log(0.1f)};
  set.opacity_logits[0] = 10.f;   // opaque: alpha clamps to 0.99 at the centre
  set.sh = {0.8f, -0.4f, -2.5f};  // the last gives 0.5 + C0 * -2.5 < 0, clamped to 0
  const Camera camera = look_at({0.f, 0.f, 2.f}, {0.f, 0.f, 0.f}, 65, 65, 40.f);
  const Image image = render_one(set, camera, kBlack);
  const double c0 = 0.5 / std::sqrt(kPi);  // Y_00 = 1 / (2 sqrt(pi))
  const float* centre = image.pixel(32, 32);
  // Over black, the centre pixel is 0.99 x colour; float rounding only.
  EXPECT_NEAR(centre[0], 0.99 * (0.5 + c0 * 0.8), 1e-6);
  EXPECT_NEAR(centre[1], 0.99 * (0.5 - c0 * 0.4), 1e-6);
  EXPECT_EQ(centre[2], 0.f);
}

// A degree-3 Gaussian at the origin with the given SH coefficients, seen from `eye`; returns the
// colour at the image centre divided by the clamped alpha 0.99.
std::array<double, 3> seen_colour(const std::vector<float>& sh, const std::array<float, 3>& eye) {
  GaussianSet set;
  set.resize(1, 3);
  set.log_scales = {std::log(0.1f), std::log(0.1f), std::log(0.1f)};
  set.opacity_logits[0] = 10.f;
  std::copy(sh.begin(), sh.end(), set.sh.begin());
  const Camera camera = look_at(eye, {0.f, 0.f, 0.f}, 65, 65, 40.f);
  const Image image = render_one(set, camera, kBlack);
  const float* centre = image.pixel(32, 32);
  return {centre[0] / 0.99, centre[1] / 0.99, centre[2] / 0.99};
}

TEST(RenderClosedForm, ShDegreeOneColourFollowsTheViewDirection) {
  // Only the degree-1 coefficients (k = 1, 2, 3 ~ -y, z, -x in the 3DGS sign convention) are set,
  // each in one channel: red follows k = 1, green k = 2, blue k = 3.
  std::vector<float> sh(16 * 3, 0.f);
  sh[1 * 3 + 0] = 0.6f;
  sh[2 * 3 + 1] = 0.5f;
  sh[3 * 3 + 2] = -0.7f;
  const double c1 = std::sqrt(3.0 / (4.0 * kPi));  // |Y_1m| = sqrt(3 / 4 pi) |direction component|
  const std::array<std::array<float, 3>, 5> eyes{{{0.f, 0.f, 2.f},
                                                  {2.f, 0.f, 0.f},
                                                  {0.f, 2.f, 0.5f},
                                                  {-1.2f, 0.8f, 1.f},
                                                  {0.5f, -1.5f, -1.f}}};
  for (const auto& eye : eyes) {
    const double norm = std::sqrt(eye[0] * eye[0] + eye[1] * eye[1] + eye[2] * eye[2]);
    // View direction = Gaussian position - camera position, normalised.
    const double x = -eye[0] / norm, y = -eye[1] / norm, z = -eye[2] / norm;
    const std::array<double, 3> expected{std::max(0.0, 0.5 - c1 * y * 0.6),
                                         std::max(0.0, 0.5 + c1 * z * 0.5),
                                         std::max(0.0, 0.5 - c1 * x * -0.7)};
    const std::array<double, 3> seen = seen_colour(sh, eye);
    for (int c = 0; c < 3; ++c) {
      EXPECT_NEAR(seen[c], expected[c], 2e-6)
          << "channel " << c << " from eye " << eye[0] << "," << eye[1] << "," << eye[2];
    }
  }
}

TEST(RenderClosedForm, ShZonalTermsOfDegreesTwoAndThreeOnTheAxis) {
  // Seen along -Z (camera on +Z), only the m = 0 (zonal) terms of each degree survive:
  // Y_20 = sqrt(5/pi)/4 (2z^2 - x^2 - y^2) and Y_30 = sqrt(7/pi)/4 z (2z^2 - 3x^2 - 3y^2),
  // coefficients k = 6 and k = 12. Every other coefficient is set too and must not contribute.
  std::vector<float> sh(16 * 3, 0.f);
  for (int k = 1; k < 16; ++k) sh[k * 3 + 0] = 0.05f * static_cast<float>(k % 4);
  sh[6 * 3 + 1] = 0.3f;
  sh[12 * 3 + 2] = 0.4f;
  const std::array<double, 3> seen = seen_colour(sh, {0.f, 0.f, 3.f});
  const double c1 = std::sqrt(3.0 / (4.0 * kPi)), c20 = std::sqrt(5.0 / kPi) / 4.0,
               c30 = std::sqrt(7.0 / kPi) / 4.0;
  const double z = -1.0;
  const double red =
      0.5 + c1 * z * sh[2 * 3] + c20 * 2.0 * z * z * sh[6 * 3] + c30 * z * 2.0 * z * z * sh[12 * 3];
  EXPECT_NEAR(seen[0], red, 2e-6);
  EXPECT_NEAR(seen[1], 0.5 + c20 * 2.0 * 0.3, 2e-6);
  EXPECT_NEAR(seen[2], 0.5 + c30 * z * 2.0 * 0.4, 2e-6);
}

}  // namespace
}  // namespace tera
