// Per-Gaussian splatting math: everything that turns one 3D Gaussian into its 2D screen footprint
// and colour for one camera, and the per-pixel opacity of that footprint.
//
// Plain inline functions on plain structs, with no allocation and no library calls other than
// <cmath> float functions, so that every backend evaluates exactly the same formulas. Under nvcc
// the functions are __host__ __device__.
//
// Conventions (those of the 3DGS reference implementation unless stated):
// * Camera space: x right, y down, z forward. Pixel coordinates are continuous, the centre of pixel
//   (px, py) is at (px + 0.5, py + 0.5), and camera-space point t lands at
//   (fx * t.x / t.z + cx, fy * t.y / t.z + cy).
// * 3D covariance: Sigma = R S S^T R^T with S = diag(exp(log_scale)), R from the normalised
//   quaternion (w, x, y, z).
// * EWA projection: Sigma' = J W Sigma W^T J^T, with W the world-to-camera rotation and J the
//   Jacobian of the perspective projection at the Gaussian's centre (its x/z and y/z clamped to
//   1.3x the half field of view, as the reference does, so off-screen Gaussians stay bounded).
//   Then kDilation is added to the diagonal (a one-pixel low-pass filter).
// * Footprint: radius = ceil(kExtentSigmas * sqrt(largest eigenvalue of Sigma')) pixels.
// * Colour: real spherical harmonics of degree 0..3 with the reference constants and signs,
//   evaluated at the unit view direction (Gaussian position - camera position), plus 0.5,
//   clamped below at 0 (not above).
// * Pixel opacity: alpha = min(kMaxAlpha, opacity * exp(power)),
//   power = -1/2 d^T Sigma'^-1 d, d = pixel centre - projected mean.
#pragma once

#include <cmath>
#include <cstdint>

#include "tera/core/rotation.h"
#include "tera/render/renderer.h"

#if defined(__CUDACC__)
#define TERA_SPLAT_FN __host__ __device__ inline
#else
#define TERA_SPLAT_FN inline
#endif

namespace tera::splat {

// Real SH basis constants of the 3DGS reference code (degree 0, 1, 2, 3), with its signs.
constexpr float kSh0 = 0.28209479177387814f;
constexpr float kSh1 = 0.4886025119029199f;
constexpr float kSh2_0 = 1.0925484305920792f;
constexpr float kSh2_1 = -1.0925484305920792f;
constexpr float kSh2_2 = 0.31539156525252005f;
constexpr float kSh2_3 = -1.0925484305920792f;
constexpr float kSh2_4 = 0.5462742152960396f;
constexpr float kSh3_0 = -0.5900435899266435f;
constexpr float kSh3_1 = 2.890611442640554f;
constexpr float kSh3_2 = -0.4570457994644658f;
constexpr float kSh3_3 = 0.3731763325901154f;
constexpr float kSh3_4 = -0.4570457994644658f;
constexpr float kSh3_5 = 1.445305721320277f;
constexpr float kSh3_6 = -0.5900435899266435f;
// The Jacobian is evaluated no further off-axis than this multiple of the half field of view
// (reference value; keeps huge off-screen Gaussians from exploding the 2D covariance).
constexpr float kJacobianClampFactor = 1.3f;
// Eigenvalue spread floor used when computing the footprint radius (reference value).
constexpr float kMinEigenSpread = 0.1f;

struct Vec3 {
  float x, y, z;
};

// Symmetric 2x2 matrix [[a, b], [b, c]].
struct Sym2 {
  float a, b, c;
};

// Symmetric 3x3 matrix, upper triangle: xx, xy, xz, yy, yz, zz.
struct Sym3 {
  float xx, xy, xz, yy, yz, zz;
};

// A camera reduced to what the math needs (built on the host from tera::Camera).
struct ViewParams {
  float rotation[9];     // world-to-camera rotation, row-major 3x3
  float translation[3];  // world-to-camera translation
  float position[3];     // camera centre in world space (for SH view directions)
  float fx, fy, cx, cy;  // pinhole intrinsics in pixels
  int width, height;     // image size in pixels
  float near_plane, far_plane;
};

// The view parameters of a camera (host code).
inline ViewParams make_view_params(const Camera& camera) {
  ViewParams view;
  const auto& m = camera.world_to_camera;  // row-major 4x4
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) view.rotation[r * 3 + c] = m[r * 4 + c];
    view.translation[r] = m[r * 4 + 3];
  }
  const std::array<float, 3> position = camera.position();
  for (int a = 0; a < 3; ++a) view.position[a] = position[a];
  view.fx = camera.fx;
  view.fy = camera.fy;
  view.cx = camera.cx;
  view.cy = camera.cy;
  view.width = camera.width;
  view.height = camera.height;
  view.near_plane = camera.near_plane;
  view.far_plane = camera.far_plane;
  return view;
}

// One Gaussian as seen by one camera.
struct Projected {
  float mean_x, mean_y;  // projected centre in continuous pixel coordinates
  Sym2 cov;              // dilated 2D covariance Sigma' in px^2
  Sym2 conic;            // its inverse
  float opacity;         // sigmoid(opacity logit)
  float color[3];        // SH colour, >= 0
  float depth;           // camera-space z (the sort key)
  float radius;          // kExtentSigmas footprint radius in pixels
};

// Tiles [x0, x1) x [y0, y1) touched by a footprint; empty when x0 >= x1 or y0 >= y1.
struct TileRect {
  int x0, y0, x1, y1;
};

TERA_SPLAT_FN float sigmoid(float logit) { return 1.f / (1.f + expf(-logit)); }

// Rotation matrix (row-major 3x3) of the quaternion (w, x, y, z), normalised here.
TERA_SPLAT_FN void rotation_from_quaternion(const float* q /*[4] w,x,y,z*/, float* r /*[9]*/) {
  const float norm = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  const float inv = norm > 0.f ? 1.f / norm : 0.f;
  const float unit[4] = {q[0] * inv, q[1] * inv, q[2] * inv, q[3] * inv};
  rot::quat_to_matrix(unit, r);
}

// World-space covariance R S S^T R^T of a Gaussian.
TERA_SPLAT_FN Sym3 covariance_3d(const float* log_scale /*[3]*/, const float* quaternion /*[4]*/) {
  float r[9];
  rotation_from_quaternion(quaternion, r);
  // M = R S: column j of R scaled by sigma_j; Sigma = M M^T.
  float m[9];
  for (int j = 0; j < 3; ++j) {
    const float sigma = expf(log_scale[j]);
    m[0 + j] = r[0 + j] * sigma;
    m[3 + j] = r[3 + j] * sigma;
    m[6 + j] = r[6 + j] * sigma;
  }
  Sym3 s;
  s.xx = m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
  s.xy = m[0] * m[3] + m[1] * m[4] + m[2] * m[5];
  s.xz = m[0] * m[6] + m[1] * m[7] + m[2] * m[8];
  s.yy = m[3] * m[3] + m[4] * m[4] + m[5] * m[5];
  s.yz = m[3] * m[6] + m[4] * m[7] + m[5] * m[8];
  s.zz = m[6] * m[6] + m[7] * m[7] + m[8] * m[8];
  return s;
}

// Camera-space position W p + t.
TERA_SPLAT_FN Vec3 to_camera(const ViewParams& view, const float* p /*[3]*/) {
  const float* w = view.rotation;
  return Vec3{w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + view.translation[0],
              w[3] * p[0] + w[4] * p[1] + w[5] * p[2] + view.translation[1],
              w[6] * p[0] + w[7] * p[1] + w[8] * p[2] + view.translation[2]};
}

// EWA projection of a world covariance to the (undilated) 2D covariance J W Sigma W^T J^T,
// for a Gaussian at camera-space position t (t.z > 0).
TERA_SPLAT_FN Sym2 project_covariance(const ViewParams& view, const Sym3& cov, Vec3 t) {
  // Clamp the direction used by the Jacobian to a bit beyond the image (reference behaviour).
  const float tan_half_x = 0.5f * static_cast<float>(view.width) / view.fx;
  const float tan_half_y = 0.5f * static_cast<float>(view.height) / view.fy;
  const float lim_x_pos = (static_cast<float>(view.width) - view.cx) / view.fx +
                          (kJacobianClampFactor - 1.f) * tan_half_x;
  const float lim_x_neg = view.cx / view.fx + (kJacobianClampFactor - 1.f) * tan_half_x;
  const float lim_y_pos = (static_cast<float>(view.height) - view.cy) / view.fy +
                          (kJacobianClampFactor - 1.f) * tan_half_y;
  const float lim_y_neg = view.cy / view.fy + (kJacobianClampFactor - 1.f) * tan_half_y;
  const float inv_z = 1.f / t.z;
  const float tx = t.z * fminf(lim_x_pos, fmaxf(-lim_x_neg, t.x * inv_z));
  const float ty = t.z * fminf(lim_y_pos, fmaxf(-lim_y_neg, t.y * inv_z));
  // J = [[fx/z, 0, -fx tx/z^2], [0, fy/z, -fy ty/z^2]]; T = J W (2x3).
  const float j00 = view.fx * inv_z, j02 = -view.fx * tx * inv_z * inv_z;
  const float j11 = view.fy * inv_z, j12 = -view.fy * ty * inv_z * inv_z;
  const float* w = view.rotation;
  const float t0[3] = {j00 * w[0] + j02 * w[6], j00 * w[1] + j02 * w[7], j00 * w[2] + j02 * w[8]};
  const float t1[3] = {j11 * w[3] + j12 * w[6], j11 * w[4] + j12 * w[7], j11 * w[5] + j12 * w[8]};
  // Sigma' = T Sigma T^T.
  const float s0[3] = {cov.xx * t0[0] + cov.xy * t0[1] + cov.xz * t0[2],
                       cov.xy * t0[0] + cov.yy * t0[1] + cov.yz * t0[2],
                       cov.xz * t0[0] + cov.yz * t0[1] + cov.zz * t0[2]};
  const float s1[3] = {cov.xx * t1[0] + cov.xy * t1[1] + cov.xz * t1[2],
                       cov.xy * t1[0] + cov.yy * t1[1] + cov.yz * t1[2],
                       cov.xz * t1[0] + cov.yz * t1[1] + cov.zz * t1[2]};
  return Sym2{t0[0] * s0[0] + t0[1] * s0[1] + t0[2] * s0[2],
              t0[0] * s1[0] + t0[1] * s1[1] + t0[2] * s1[2],
              t1[0] * s1[0] + t1[1] * s1[1] + t1[2] * s1[2]};
}

// Adds the low-pass dilation to the diagonal.
TERA_SPLAT_FN Sym2 dilate(Sym2 cov) {
  return Sym2{cov.a + render_constants::kDilation, cov.b, cov.c + render_constants::kDilation};
}

// Inverse of a 2x2 covariance; false when it is not positive definite.
TERA_SPLAT_FN bool conic_of(Sym2 cov, Sym2* conic) {
  const float det = cov.a * cov.c - cov.b * cov.b;
  if (!(det > 0.f)) return false;
  const float inv_det = 1.f / det;
  *conic = Sym2{cov.c * inv_det, -cov.b * inv_det, cov.a * inv_det};
  return true;
}

// kExtentSigmas footprint radius in whole pixels (largest eigenvalue of the 2D covariance).
TERA_SPLAT_FN float footprint_radius(Sym2 cov) {
  const float det = cov.a * cov.c - cov.b * cov.b;
  const float mid = 0.5f * (cov.a + cov.c);
  const float largest = mid + sqrtf(fmaxf(kMinEigenSpread, mid * mid - det));
  return ceilf(render_constants::kExtentSigmas * sqrtf(largest));
}

// Tiles overlapped by the square [mean - radius, mean + radius], clipped to the image's tiles.
TERA_SPLAT_FN TileRect tile_rect(float mean_x, float mean_y, float radius, int tiles_x,
                                 int tiles_y) {
  const float tile = static_cast<float>(render_constants::kTileSize);
  TileRect r;
  r.x0 = static_cast<int>(
      fminf(static_cast<float>(tiles_x), fmaxf(0.f, floorf((mean_x - radius) / tile))));
  r.y0 = static_cast<int>(
      fminf(static_cast<float>(tiles_y), fmaxf(0.f, floorf((mean_y - radius) / tile))));
  r.x1 = static_cast<int>(
      fminf(static_cast<float>(tiles_x), fmaxf(0.f, floorf((mean_x + radius) / tile) + 1.f)));
  r.y1 = static_cast<int>(
      fminf(static_cast<float>(tiles_y), fmaxf(0.f, floorf((mean_y + radius) / tile) + 1.f)));
  return r;
}

// View-dependent colour from SH coefficients sh[k * 3 + channel], k < (degree + 1)^2, seen along
// the unit direction dir (from the camera towards the Gaussian). Adds 0.5 and clamps below at 0.
TERA_SPLAT_FN Vec3 sh_color(int degree, const float* sh /*[K, 3]*/, Vec3 dir) {
  float rgb[3];
  for (int c = 0; c < 3; ++c) rgb[c] = kSh0 * sh[c];
  if (degree >= 1) {
    const float x = dir.x, y = dir.y, z = dir.z;
    for (int c = 0; c < 3; ++c) {
      rgb[c] += -kSh1 * y * sh[3 + c] + kSh1 * z * sh[6 + c] - kSh1 * x * sh[9 + c];
    }
    if (degree >= 2) {
      const float xx = x * x, yy = y * y, zz = z * z;
      const float xy = x * y, yz = y * z, xz = x * z;
      for (int c = 0; c < 3; ++c) {
        rgb[c] += kSh2_0 * xy * sh[12 + c] + kSh2_1 * yz * sh[15 + c] +
                  kSh2_2 * (2.f * zz - xx - yy) * sh[18 + c] + kSh2_3 * xz * sh[21 + c] +
                  kSh2_4 * (xx - yy) * sh[24 + c];
      }
      if (degree >= 3) {
        for (int c = 0; c < 3; ++c) {
          rgb[c] += kSh3_0 * y * (3.f * xx - yy) * sh[27 + c] + kSh3_1 * xy * z * sh[30 + c] +
                    kSh3_2 * y * (4.f * zz - xx - yy) * sh[33 + c] +
                    kSh3_3 * z * (2.f * zz - 3.f * xx - 3.f * yy) * sh[36 + c] +
                    kSh3_4 * x * (4.f * zz - xx - yy) * sh[39 + c] +
                    kSh3_5 * z * (xx - yy) * sh[42 + c] + kSh3_6 * x * (xx - 3.f * yy) * sh[45 + c];
        }
      }
    }
  }
  return Vec3{fmaxf(rgb[0] + 0.5f, 0.f), fmaxf(rgb[1] + 0.5f, 0.f), fmaxf(rgb[2] + 0.5f, 0.f)};
}

// Projects Gaussian `position` (world) for `view`. Returns false when it is culled: not strictly
// between the near and far planes, a degenerate 2D covariance, or a footprint touching no tile.
// Only the returned-true case fills *out.
TERA_SPLAT_FN bool project_gaussian(const ViewParams& view, const float* position /*[3]*/,
                                    const float* log_scale /*[3]*/, const float* quaternion /*[4]*/,
                                    float opacity_logit, int sh_degree, const float* sh /*[K, 3]*/,
                                    Projected* out) {
  const Vec3 t = to_camera(view, position);
  if (!(t.z > view.near_plane) || t.z > view.far_plane) return false;
  const Sym2 cov = dilate(project_covariance(view, covariance_3d(log_scale, quaternion), t));
  Sym2 conic;
  if (!conic_of(cov, &conic)) return false;
  const float inv_z = 1.f / t.z;
  const float mean_x = view.fx * t.x * inv_z + view.cx;
  const float mean_y = view.fy * t.y * inv_z + view.cy;
  const float radius = footprint_radius(cov);
  const int tile = render_constants::kTileSize;
  const TileRect rect = tile_rect(mean_x, mean_y, radius, (view.width + tile - 1) / tile,
                                  (view.height + tile - 1) / tile);
  if (rect.x0 >= rect.x1 || rect.y0 >= rect.y1) return false;

  Vec3 dir{position[0] - view.position[0], position[1] - view.position[1],
           position[2] - view.position[2]};
  const float length = sqrtf(dir.x * dir.x + dir.y * dir.y + dir.z * dir.z);
  const float inv_length = length > 0.f ? 1.f / length : 0.f;
  dir = Vec3{dir.x * inv_length, dir.y * inv_length, dir.z * inv_length};
  const Vec3 color = sh_color(sh_degree, sh, dir);

  out->mean_x = mean_x;
  out->mean_y = mean_y;
  out->cov = cov;
  out->conic = conic;
  out->opacity = sigmoid(opacity_logit);
  out->color[0] = color.x;
  out->color[1] = color.y;
  out->color[2] = color.z;
  out->depth = t.z;
  out->radius = radius;
  return true;
}

// The exponent -1/2 d^T conic d for the offset d = (dx, dy) = pixel centre - projected mean.
TERA_SPLAT_FN float gaussian_power(Sym2 conic, float dx, float dy) {
  return -0.5f * (conic.a * dx * dx + conic.c * dy * dy) - conic.b * dx * dy;
}

// Opacity of a footprint at a pixel, clamped to kMaxAlpha. A power above 0 can only come from a
// numerically indefinite conic; callers skip it, as they skip alpha < kMinAlpha.
TERA_SPLAT_FN float pixel_alpha(float opacity, float power) {
  // min(kMaxAlpha, x) written as a comparison (the same for NaN as fminf, and inlined on every
  // CPU).
  const float alpha = opacity * expf(power);
  return alpha < render_constants::kMaxAlpha ? alpha : render_constants::kMaxAlpha;
}

// One front-to-back blending step of a pixel with accumulated colour rgb and transmittance
// *transmittance, for a contribution with alpha >= kMinAlpha. Returns false, accumulating nothing,
// when the step would bring the transmittance below kMinTransmittance: the pixel is then finished.
TERA_SPLAT_FN bool blend_step(float alpha, const float* color /*[3]*/, float* rgb /*[3]*/,
                              float* transmittance) {
  const float next = *transmittance * (1.f - alpha);
  if (next < render_constants::kMinTransmittance) return false;
  for (int c = 0; c < 3; ++c) rgb[c] += color[c] * alpha * *transmittance;
  *transmittance = next;
  return true;
}

// Final pixel: colour composited over the background; alpha = 1 - transmittance.
TERA_SPLAT_FN void finish_pixel(const float* rgb /*[3]*/, float transmittance,
                                const float* background /*[3]*/, float* rgba /*[4]*/) {
  for (int c = 0; c < 3; ++c) rgba[c] = rgb[c] + transmittance * background[c];
  rgba[3] = 1.f - transmittance;
}

}  // namespace tera::splat
