// Cameras: look_at, framing names, and auto-framed orbit cameras.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "render/render_test_util.h"
#include "tera/core/error.h"

namespace tera {
namespace {

using test::project_point;

TEST(Camera, LookAtPutsTheTargetAtTheImageCentreAndKeepsUpUp) {
  const std::array<float, 3> eye{1.f, 2.f, 5.f}, target{0.2f, 0.9f, -0.4f};
  const Camera camera = look_at(eye, target, 320, 200, 35.f);
  const auto centre = project_point(camera, target);
  // cx, cy = width / 2, height / 2: the optical axis meets the image centre. Float rounding only.
  EXPECT_NEAR(centre[0], 160.f, 1e-3f);
  EXPECT_NEAR(centre[1], 100.f, 1e-3f);
  const float distance = std::sqrt(0.8f * 0.8f + 1.1f * 1.1f + 5.4f * 5.4f);
  EXPECT_NEAR(centre[2], distance, 1e-5f);
  // fov_y: a point tan(17.5 deg) * depth above the axis lands on the top edge.
  EXPECT_NEAR(camera.fy, 100.f / std::tan(17.5f * 3.14159265f / 180.f), 1e-3f);
  EXPECT_EQ(camera.fx, camera.fy);
  const auto position = camera.position();
  for (int a = 0; a < 3; ++a) EXPECT_NEAR(position[a], eye[a], 1e-5f);

  // Seen from +Z looking at the origin: world +X is image right, world +Y is image up.
  const Camera front = look_at({0.f, 0.f, 3.f}, {0.f, 0.f, 0.f}, 100, 100, 40.f);
  EXPECT_GT(project_point(front, {0.5f, 0.f, 0.f})[0], 50.f);
  EXPECT_LT(project_point(front, {0.f, 0.5f, 0.f})[1], 50.f);
  // The rotation is orthonormal with determinant +1.
  const auto& m = front.world_to_camera;
  EXPECT_NEAR(m[0], 1.f, 1e-6f);    // camera x = world x
  EXPECT_NEAR(m[5], -1.f, 1e-6f);   // camera y (down) = world -y
  EXPECT_NEAR(m[10], -1.f, 1e-6f);  // camera z (forward) = world -z
}

TEST(Camera, LookAtStraightDownIsWellDefined) {
  const Camera camera = look_at({0.f, 4.f, 0.f}, {0.f, 0.f, 0.f}, 64, 64, 40.f);
  for (float v : camera.world_to_camera) EXPECT_TRUE(std::isfinite(v));
  const auto centre = project_point(camera, {0.f, 0.f, 0.f});
  EXPECT_NEAR(centre[0], 32.f, 1e-4f);
  EXPECT_NEAR(centre[1], 32.f, 1e-4f);
  // The front of a subject (+Z) is at the bottom of the image, the limit of a high front camera.
  EXPECT_GT(project_point(camera, {0.f, 0.f, 0.5f})[1], 32.f);
  EXPECT_THROW(look_at({1.f, 1.f, 1.f}, {1.f, 1.f, 1.f}, 64, 64, 40.f), Error);
  EXPECT_THROW(look_at({0.f, 0.f, 1.f}, {0.f, 0.f, 0.f}, 0, 64, 40.f), UsageError);
  EXPECT_THROW(look_at({0.f, 0.f, 1.f}, {0.f, 0.f, 0.f}, 64, 64, 180.f), UsageError);
}

TEST(Camera, ParseFramingAcceptsTheThreeNamesAndNamesTheOptionOtherwise) {
  EXPECT_EQ(parse_framing("full", "--framing"), Framing::kFull);
  EXPECT_EQ(parse_framing("upper", "--framing"), Framing::kUpper);
  EXPECT_EQ(parse_framing("head", "--framing"), Framing::kHead);
  try {
    parse_framing("torso", "--framing");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--framing"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("torso"), std::string::npos) << error.what();
  }
}

// A figure-like cloud 1.7 m tall: a body 0.5 m wide up to 1.42 m, a 0.2 m head from 1.5 m, arms
// held out to 0.8 m on each side at 1.3-1.4 m, and a few far floaters that framing ignores.
GaussianSet figure_cloud() {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  GaussianSet set;
  set.resize(6000, 0);
  for (std::size_t i = 0; i < set.size(); ++i) {
    float* p = &set.positions[i * 3];
    if (i % 3 == 0) {  // head
      p[0] = -0.1f + 0.2f * unit(rng);
      p[1] = 1.5f + 0.2f * unit(rng);
      p[2] = -0.1f + 0.2f * unit(rng);
    } else if (i % 3 == 1) {  // body
      p[0] = -0.25f + 0.5f * unit(rng);
      p[1] = 1.42f * unit(rng);
      p[2] = -0.15f + 0.3f * unit(rng);
    } else {  // arms
      p[0] = -0.8f + 1.6f * unit(rng);
      p[1] = 1.3f + 0.1f * unit(rng);
      p[2] = -0.05f + 0.1f * unit(rng);
    }
    for (int a = 0; a < 3; ++a) set.log_scales[i * 3 + a] = std::log(0.01f);
  }
  for (std::size_t i = 0; i < 10; ++i)
    set.positions[(i * 300 + 1) * 3 + 2] = 40.f;  // body floaters
  return set;
}

TEST(Camera, OrbitCamerasLookAtTheFramedCentreFromEvenlySpacedAzimuths) {
  const GaussianSet set = figure_cloud();
  OrbitOptions options;
  options.views = 6;
  options.width = 200;
  options.height = 300;
  const std::vector<Camera> cameras = orbit_cameras(set, options);
  ASSERT_EQ(cameras.size(), 6u);
  const Bounds bounds = set.robust_bounds(0.005f);
  const auto centre = bounds.center();
  std::vector<float> distances;
  for (std::size_t c = 0; c < cameras.size(); ++c) {
    const auto projected = project_point(cameras[c], centre);
    EXPECT_NEAR(projected[0], 100.f, 1e-3f) << "camera " << c;
    EXPECT_NEAR(projected[1], 150.f, 1e-3f) << "camera " << c;
    distances.push_back(projected[2]);
    // Evenly spaced azimuths, starting in front (+Z), turning toward +X, 10 degrees above.
    const auto eye = cameras[c].position();
    const float dx = eye[0] - centre[0], dy = eye[1] - centre[1], dz = eye[2] - centre[2];
    const float azimuth = std::atan2(dx, dz) * 180.f / 3.14159265f;
    const float expected = static_cast<float>(c) * 60.f;
    EXPECT_NEAR(std::remainder(azimuth - expected, 360.f), 0.f, 1e-3f) << "camera " << c;
    const float elevation = std::atan2(dy, std::hypot(dx, dz)) * 180.f / 3.14159265f;
    EXPECT_NEAR(elevation, 10.f, 1e-3f) << "camera " << c;
  }
  for (float d : distances) EXPECT_NEAR(d, distances[0], 1e-4f * distances[0]);
}

// Largest |offset from the image centre| of the eight corners of `box`, as a fraction of the half
// image size (1 = on the border), over all cameras.
float largest_corner_offset(const std::vector<Camera>& cameras, const Bounds& box) {
  float largest = 0.f;
  for (const Camera& camera : cameras) {
    for (int corner = 0; corner < 8; ++corner) {
      const std::array<float, 3> p{(corner & 1) ? box.max[0] : box.min[0],
                                   (corner & 2) ? box.max[1] : box.min[1],
                                   (corner & 4) ? box.max[2] : box.min[2]};
      const auto q = project_point(camera, p);
      largest = std::max(largest, std::abs(q[0] - camera.cx) / camera.cx);
      largest = std::max(largest, std::abs(q[1] - camera.cy) / camera.cy);
    }
  }
  return largest;
}

TEST(Camera, OrbitDistanceKeepsTheBoundsInsideTheImageAndNoFarther) {
  const GaussianSet set = figure_cloud();
  const Bounds bounds = set.robust_bounds(0.005f);
  for (const auto& size : {std::array<int, 2>{512, 512}, {300, 600}, {800, 200}}) {
    OrbitOptions options;
    options.views = 8;
    options.width = size[0];
    options.height = size[1];
    options.margin = 1.f;
    // With no margin the box just fits: some corner touches the border (1e-3 = float rounding).
    const float tight = largest_corner_offset(orbit_cameras(set, options), bounds);
    EXPECT_LE(tight, 1.f + 1e-3f) << size[0] << "x" << size[1];
    EXPECT_GE(tight, 1.f - 1e-3f) << size[0] << "x" << size[1];
    // With the default 10% margin the box stays clear of the border.
    options.margin = 1.1f;
    EXPECT_LT(largest_corner_offset(orbit_cameras(set, options), bounds), 0.95f)
        << size[0] << "x" << size[1];
  }
}

TEST(Camera, HeadFramingLooksHigherAndCloserThanUpperAndFull) {
  const GaussianSet set = figure_cloud();
  OrbitOptions options;
  options.views = 1;
  const Camera full = orbit_cameras(set, options)[0];
  options.framing = Framing::kUpper;
  const Camera upper = orbit_cameras(set, options)[0];
  options.framing = Framing::kHead;
  const Camera head = orbit_cameras(set, options)[0];
  // Where the optical axis of each front camera crosses the subject's plane z = 0: the height
  // that appears at the image centre.
  const auto aimed_height = [](const Camera& camera) {
    const auto eye = camera.position();
    const auto& m = camera.world_to_camera;  // row 2 is the forward axis
    return eye[1] + (0.f - eye[2]) / m[10] * m[9];
  };
  EXPECT_GT(aimed_height(upper), aimed_height(full) + 0.2f);
  EXPECT_GT(aimed_height(head), aimed_height(upper) + 0.2f);
  EXPECT_NEAR(aimed_height(head), 1.7f - 0.5f * 0.15f * 1.7f, 0.02f);  // middle of the top 15%
  const auto distance_to = [](const Camera& camera, float height) {
    return project_point(camera, {0.f, height, 0.f})[2];
  };
  EXPECT_LT(distance_to(head, 1.6f), 0.5f * distance_to(full, 1.6f));
  // The head camera frames the head only (top 15% of 1.7 m): the head fills its image, the
  // outstretched arms at 1.3-1.4 m are out of view.
  const auto head_centre = project_point(head, {0.f, 1.6f, 0.f});
  EXPECT_NEAR(head_centre[1], head.cy, 0.25f * head.cy);
  const auto arm = project_point(head, {0.f, 1.3f, 0.f});
  EXPECT_GT(arm[1], static_cast<float>(head.height));
}

TEST(Camera, OrbitOptionsAreValidated) {
  const GaussianSet set = figure_cloud();
  OrbitOptions options;
  options.views = 0;
  EXPECT_THROW(orbit_cameras(set, options), UsageError);
  options.views = 4;
  options.margin = 0.f;
  EXPECT_THROW(orbit_cameras(set, options), UsageError);
  options.margin = 1.1f;
  options.elevation_degrees = 90.f;
  EXPECT_THROW(orbit_cameras(set, options), UsageError);
  // An empty set still gives usable cameras (framing a 1 m box at the origin).
  options.elevation_degrees = 10.f;
  const std::vector<Camera> cameras = orbit_cameras(GaussianSet{}, options);
  ASSERT_EQ(cameras.size(), 4u);
  EXPECT_NEAR(project_point(cameras[0], {0.f, 0.f, 0.f})[0], cameras[0].cx, 1e-3f);
}

}  // namespace
}  // namespace tera
