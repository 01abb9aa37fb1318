// Pinhole cameras and orbit cameras that frame a set of Gaussians.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "tera/core/gaussian_set.h"

namespace tera {

// A pinhole camera. Camera space follows the 3DGS/OpenCV convention: x right, y down, z forward
// (the camera looks along +z). world_to_camera maps world (in-memory frame) points to camera space.
struct Camera {
  int width = 0;
  int height = 0;
  float fx = 0.f, fy = 0.f;  // focal lengths in pixels
  float cx = 0.f, cy = 0.f;  // principal point in pixels (pixel centres are at x + 0.5)
  std::array<float, 16> world_to_camera{1, 0, 0, 0, 0, 1, 0, 0,
                                        0, 0, 1, 0, 0, 0, 0, 1};  // row-major 4x4
  float near_plane = 0.01f;  // Gaussians closer than this (in camera z) are culled
  float far_plane = 1000.f;  // and farther than this

  // Camera position in world space.
  std::array<float, 3> position() const;
};

// Builds a camera at `eye` looking at `target`, world up = +Y, vertical field of view in degrees.
Camera look_at(const std::array<float, 3>& eye, const std::array<float, 3>& target, int width,
               int height, float fov_y_degrees);

// Which part of the subject an orbit camera frames.
enum class Framing { kFull, kUpper, kHead };
Framing parse_framing(const std::string& text, const std::string& option);
const char* framing_name(Framing framing);  // "full", "upper" or "head", as parse_framing reads it

// The most turntable views taken: one per tenth of a degree, beyond which a view shows nothing new.
constexpr int kMaxViews = 3600;

struct OrbitOptions {
  int views = 8;  // cameras evenly spaced in azimuth
  int width = 512;
  int height = 512;
  float fov_y_degrees = 30.f;         // vertical field of view
  float elevation_degrees = 10.f;     // camera height angle above the target's horizontal plane
  float start_azimuth_degrees = 0.f;  // 0 = looking at the subject's front (from +Z toward -Z)
  Framing framing = Framing::kFull;
  float margin = 1.1f;  // framed region is padded by this factor
};

// The orbit the cameras share: they look at `target` from `distance` (metres), the smallest
// distance at which every view of the orbit sees the whole framed box.
struct OrbitFrame {
  std::array<float, 3> target{};
  float distance = 0.f;
};
OrbitFrame orbit_frame(const GaussianSet& set, const OrbitOptions& options);

// Orbit cameras around the subject, auto-framed from the robust bounds of the Gaussians
// (kUpper: the top 55% of the height; kHead: the top 15%), evenly spaced in azimuth.
std::vector<Camera> orbit_cameras(const GaussianSet& set, const OrbitOptions& options);

// Appends a sample of `set` to `framing`: the position of every 7th Gaussian (with opacity logit
// 0), all orbit_cameras reads, so that one camera can be framed on many sets (an interpolation
// strip, the frames of an animation) without keeping them all.
void add_framing_sample(const GaussianSet& set, GaussianSet& framing);

}  // namespace tera
