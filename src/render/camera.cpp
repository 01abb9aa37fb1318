#include "tera/render/camera.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "tera/core/error.h"

namespace tera {
namespace {

using Vec3 = std::array<float, 3>;

constexpr float kPi = 3.14159265358979323846f;
// Quantile trimmed on each side when auto-framing: ignores floaters, keeps the subject.
constexpr float kFramingQuantile = 0.005f;
// Fractions of the subject's height, from the top, framed by kUpper and kHead.
constexpr float kUpperFraction = 0.55f;
constexpr float kHeadFraction = 0.15f;
// Smallest framed half-extent relative to the largest one, so that a flat or point-like subject
// still gives a camera at a finite distance.
constexpr float kMinRelativeHalfExtent = 0.01f;
// Smallest framed half-extent in metres (a subject that is a single point).
constexpr float kMinHalfExtent = 1e-3f;

Vec3 sub(const Vec3& a, const Vec3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
float dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
float length(const Vec3& a) { return std::sqrt(dot(a, a)); }
Vec3 scaled(const Vec3& a, float s) { return {a[0] * s, a[1] * s, a[2] * s}; }

void check_image_and_fov(int width, int height, float fov_y_degrees, const char* what) {
  if (width <= 0 || height <= 0) {
    throw UsageError(std::string(what) + ": image size must be positive, got " +
                     std::to_string(width) + "x" + std::to_string(height));
  }
  if (!(fov_y_degrees > 0.f && fov_y_degrees < 180.f)) {
    throw UsageError(std::string(what) +
                     ": vertical field of view must be between 0 and 180 degrees, got " +
                     std::to_string(fov_y_degrees));
  }
}

// Lower and upper `quantile` of values (the same rule as GaussianSet::robust_bounds).
std::pair<float, float> robust_range(std::vector<float>& values, float quantile) {
  const std::size_t n = values.size();
  const auto lo = static_cast<std::size_t>(quantile * static_cast<float>(n - 1));
  const std::size_t hi = n - 1 - lo;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const float low = values[lo];
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(hi), values.end());
  return {low, values[hi]};
}

// The box an orbit frames: all of the subject, or a slab at the top of it whose horizontal extent
// comes from the Gaussians inside the slab only (so a head is not framed as wide as the arms).
Bounds framed_bounds(const GaussianSet& set, Framing framing) {
  if (set.empty()) {  // nothing to frame: a 1 m box at the origin
    return Bounds{{-0.5f, -0.5f, -0.5f}, {0.5f, 0.5f, 0.5f}};
  }
  Bounds bounds = set.robust_bounds(kFramingQuantile);
  if (framing == Framing::kFull) return bounds;
  const float fraction = framing == Framing::kUpper ? kUpperFraction : kHeadFraction;
  const float bottom = bounds.max[1] - fraction * (bounds.max[1] - bounds.min[1]);
  std::vector<float> xs, zs;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const float y = set.positions[i * 3 + 1];
    if (y >= bottom && y <= bounds.max[1]) {
      xs.push_back(set.positions[i * 3]);
      zs.push_back(set.positions[i * 3 + 2]);
    }
  }
  bounds.min[1] = bottom;
  if (!xs.empty()) {  // never empty in practice: the robust top is some Gaussian's height
    std::tie(bounds.min[0], bounds.max[0]) = robust_range(xs, kFramingQuantile);
    std::tie(bounds.min[2], bounds.max[2]) = robust_range(zs, kFramingQuantile);
  }
  return bounds;
}

// Smallest distance along `direction` (unit, from the box centre to the camera) at which a camera
// looking at the centre sees all eight corners of the box centre +- half.
float fitting_distance(const Vec3& direction, const Vec3& half, float tan_half_x,
                       float tan_half_y) {
  // The camera basis of look_at() for this direction (distance does not change it).
  const Camera unit = look_at(direction, {0.f, 0.f, 0.f}, 1, 1, 90.f);
  const auto& m = unit.world_to_camera;
  float distance = 0.f;
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3 p{(corner & 1) ? half[0] : -half[0], (corner & 2) ? half[1] : -half[1],
                 (corner & 4) ? half[2] : -half[2]};
    const float x = m[0] * p[0] + m[1] * p[1] + m[2] * p[2];
    const float y = m[4] * p[0] + m[5] * p[1] + m[6] * p[2];
    const float z = m[8] * p[0] + m[9] * p[1] + m[10] * p[2];
    // In view when |x| <= tan_half_x * (z + distance), and likewise for y.
    distance = std::max(distance, std::abs(x) / tan_half_x - z);
    distance = std::max(distance, std::abs(y) / tan_half_y - z);
  }
  return distance;
}

}  // namespace

std::array<float, 3> Camera::position() const {
  const auto& m = world_to_camera;
  // Centre = -R^T t for the rigid transform [R | t].
  std::array<float, 3> c{};
  for (int a = 0; a < 3; ++a)
    c[a] = -(m[0 * 4 + a] * m[3] + m[1 * 4 + a] * m[7] + m[2 * 4 + a] * m[11]);
  return c;
}

Camera look_at(const std::array<float, 3>& eye, const std::array<float, 3>& target, int width,
               int height, float fov_y_degrees) {
  check_image_and_fov(width, height, fov_y_degrees, "look_at");
  const Vec3 offset = sub(target, eye);
  const float distance = length(offset);
  if (!(distance > 0.f) || !std::isfinite(distance)) {
    throw Error("look_at: the eye and the target must be distinct finite points");
  }
  const Vec3 forward = scaled(offset, 1.f / distance);
  // World up is +Y. Looking straight down (or up), image up is taken to be -Z (or +Z), the limit of
  // a camera in front of the subject (+Z) tilting down (or up).
  Vec3 right = cross(forward, {0.f, 1.f, 0.f});
  if (length(right) < 1e-6f) right = cross(forward, {0.f, 0.f, forward[1] < 0.f ? -1.f : 1.f});
  right = scaled(right, 1.f / length(right));
  const Vec3 down = cross(forward, right);  // x right, y down, z forward: right-handed

  Camera camera;
  camera.width = width;
  camera.height = height;
  camera.fy = 0.5f * static_cast<float>(height) / std::tan(0.5f * fov_y_degrees * kPi / 180.f);
  camera.fx = camera.fy;                         // square pixels
  camera.cx = 0.5f * static_cast<float>(width);  // the optical axis meets the image centre
  camera.cy = 0.5f * static_cast<float>(height);
  const Vec3 rows[3] = {right, down, forward};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) camera.world_to_camera[r * 4 + c] = rows[r][c];
    camera.world_to_camera[r * 4 + 3] = -dot(rows[r], eye);
  }
  camera.world_to_camera[12] = camera.world_to_camera[13] = camera.world_to_camera[14] = 0.f;
  camera.world_to_camera[15] = 1.f;
  return camera;
}

Framing parse_framing(const std::string& text, const std::string& option) {
  if (text == "full") return Framing::kFull;
  if (text == "upper") return Framing::kUpper;
  if (text == "head") return Framing::kHead;
  throw UsageError(option + ": expected full, upper or head, got '" + text + "'");
}

const char* framing_name(Framing framing) {
  switch (framing) {
    case Framing::kFull: return "full";
    case Framing::kUpper: return "upper";
    case Framing::kHead: return "head";
  }
  return "full";  // unreachable: every Framing is named above
}

namespace {

// Unit direction from the orbit's target to the camera of `view`.
Vec3 orbit_direction(const OrbitOptions& options, int view) {
  const float elevation = options.elevation_degrees * kPi / 180.f;
  const float azimuth = (options.start_azimuth_degrees +
                         360.f * static_cast<float>(view) / static_cast<float>(options.views)) *
                        kPi / 180.f;
  // Azimuth 0 puts the camera on +Z (in front of the subject); positive azimuth turns toward +X.
  return {std::cos(elevation) * std::sin(azimuth), std::sin(elevation),
          std::cos(elevation) * std::cos(azimuth)};
}

}  // namespace

OrbitFrame orbit_frame(const GaussianSet& set, const OrbitOptions& options) {
  check_image_and_fov(options.width, options.height, options.fov_y_degrees, "orbit cameras");
  if (options.views < 1) {
    throw UsageError("orbit cameras: the number of views must be at least 1, got " +
                     std::to_string(options.views));
  }
  if (!(options.margin > 0.f) || !std::isfinite(options.margin)) {
    throw UsageError("orbit cameras: the framing margin must be positive, got " +
                     std::to_string(options.margin));
  }
  if (!(std::abs(options.elevation_degrees) < 90.f)) {
    throw UsageError("orbit cameras: elevation must be strictly between -90 and 90 degrees, got " +
                     std::to_string(options.elevation_degrees));
  }
  const Bounds box = framed_bounds(set, options.framing);
  const Vec3 extent = box.extent();
  const float largest = 0.5f * std::max({extent[0], extent[1], extent[2]});
  Vec3 half{};
  for (int a = 0; a < 3; ++a) {
    half[a] = options.margin *
              std::max({0.5f * extent[a], kMinRelativeHalfExtent * largest, kMinHalfExtent});
  }
  const float tan_half_y = std::tan(0.5f * options.fov_y_degrees * kPi / 180.f);
  const float tan_half_x =
      tan_half_y * static_cast<float>(options.width) / static_cast<float>(options.height);
  OrbitFrame frame;
  frame.target = box.center();
  // One distance for every view keeps the subject's scale constant along the turntable.
  for (int view = 0; view < options.views; ++view) {
    frame.distance = std::max(frame.distance, fitting_distance(orbit_direction(options, view), half,
                                                               tan_half_x, tan_half_y));
  }
  return frame;
}

std::vector<Camera> orbit_cameras(const GaussianSet& set, const OrbitOptions& options) {
  const OrbitFrame frame = orbit_frame(set, options);
  const Vec3& center = frame.target;
  const float distance = frame.distance;
  std::vector<Camera> cameras;
  cameras.reserve(static_cast<std::size_t>(options.views));
  for (int view = 0; view < options.views; ++view) {
    const Vec3 direction = orbit_direction(options, view);
    const Vec3 eye{center[0] + distance * direction[0], center[1] + distance * direction[1],
                   center[2] + distance * direction[2]};
    Camera camera = look_at(eye, center, options.width, options.height, options.fov_y_degrees);
    // Keep the near plane well in front of the framed box even for tiny subjects.
    camera.near_plane = std::min(camera.near_plane, 0.01f * distance);
    camera.far_plane = std::max(camera.far_plane, 100.f * distance);
    cameras.push_back(camera);
  }
  return cameras;
}

void add_framing_sample(const GaussianSet& set, GaussianSet& framing) {
  constexpr std::size_t kFramingStride =
      7;  // every 7th Gaussian: enough for robust bounds, 1/7 of the memory
  for (std::size_t g = 0; g < set.size(); g += kFramingStride) {
    framing.positions.insert(framing.positions.end(), &set.positions[3 * g],
                             &set.positions[3 * g + 3]);
    framing.opacity_logits.push_back(0.f);
  }
}

}  // namespace tera
