// GaussianSet: a set of 3D Gaussians in the 3DGS parameterisation (values before activation).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace tera {

// SH coefficients per colour channel for a degree: (degree + 1)^2, i.e. 1, 4, 9, 16.
constexpr int sh_coeffs_for_degree(int degree) { return (degree + 1) * (degree + 1); }
// Highest SH degree the 3DGS formats and our renderer support.
constexpr int kMaxShDegree = 3;
// The largest log-scale whose sigma, exp(log_scale), is a finite float32: the formats that store
// sigma itself (.splat, .glb) could not write a larger one.
constexpr float kMaxLogScale = 88.72f;
// The opacity logit an infinite one stands for: sigmoid(20) is alpha 1 in float32, and
// sigmoid(-20) = 2e-9 lies below every format's smallest alpha step.
constexpr float kOpacityLogitLimit = 20.f;
// Zeroth-order SH basis constant, 1 / (2 sqrt(pi)): colour = 0.5 + kShC0 * f_dc.
constexpr float kShC0 = 0.28209479177387814f;

// Axis-aligned bounding box.
struct Bounds {
  std::array<float, 3> min{0.f, 0.f, 0.f};
  std::array<float, 3> max{0.f, 0.f, 0.f};
  std::array<float, 3> center() const;
  std::array<float, 3> extent() const;  // max - min per axis
};

// Storage is structure-of-arrays, row-major, float32. The in-memory frame is glTF's:
// metres, +Y up, an avatar faces +Z, right-handed. File readers and writers convert.
struct GaussianSet {
  int sh_degree = 0;                  // 0..3
  std::vector<float> positions;       // [N, 3] x, y, z
  std::vector<float> log_scales;      // [N, 3] log sigma per local axis
  std::vector<float> rotations;       // [N, 4] quaternion (w, x, y, z), need not be normalised
  std::vector<float> opacity_logits;  // [N]    alpha = sigmoid(logit)
  std::vector<float> sh;              // [N, K, 3] K = (sh_degree+1)^2; k = 0 is the DC term (f_dc)

  std::size_t size() const { return opacity_logits.size(); }
  bool empty() const { return size() == 0; }
  int sh_coeffs() const { return sh_coeffs_for_degree(sh_degree); }

  // Allocates n Gaussians of the given degree, zero-filled, identity rotations.
  void resize(std::size_t n, int degree);
  // Throws tera::Error if array sizes disagree with size() and sh_degree.
  void check_consistent() const;
  // Removes the Gaussians no format can store (a non-finite value, a log-scale above
  // kMaxLogScale, a zero rotation); returns how many were removed. An opacity logit of +inf or
  // -inf (alpha exactly 1 or 0, as some tools write an opaque Gaussian) is kept, clamped to
  // +-kOpacityLogitLimit.
  std::size_t drop_non_finite();
  // Changes the SH degree: drops higher bands, or adds zero-filled ones.
  void set_sh_degree(int degree);
  // Appends all Gaussians of `other` (which must have the same SH degree).
  void append(const GaussianSet& other);
  // Keeps the Gaussians whose index has keep[i] != 0, in order.
  void filter(const std::vector<char>& keep);

  // Bounds of all positions (zero bounds when empty).
  Bounds bounds() const;
  // Bounds of positions between the lower and upper quantile per axis, ignoring outliers
  // (floaters in captured scenes), e.g. quantile 0.01 keeps the central 98%.
  Bounds robust_bounds(float quantile) const;
};

// Drops the Gaussians no format can store (drop_non_finite) and logs a warning that names `source`
// and the count dropped. Returns the count. Every writer and reader calls this.
std::size_t validate_gaussians(GaussianSet& set, const std::string& source);

}  // namespace tera
