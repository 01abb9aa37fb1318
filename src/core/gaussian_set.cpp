#include "tera/core/gaussian_set.h"

#include <algorithm>
#include <cmath>
#include <spdlog/spdlog.h>

#include "tera/core/error.h"

namespace tera {

std::array<float, 3> Bounds::center() const {
  return {0.5f * (min[0] + max[0]), 0.5f * (min[1] + max[1]), 0.5f * (min[2] + max[2])};
}

std::array<float, 3> Bounds::extent() const {
  return {max[0] - min[0], max[1] - min[1], max[2] - min[2]};
}

void GaussianSet::resize(std::size_t n, int degree) {
  if (degree < 0 || degree > kMaxShDegree) {
    throw Error("SH degree " + std::to_string(degree) + " is outside 0.." +
                std::to_string(kMaxShDegree));
  }
  sh_degree = degree;
  positions.assign(n * 3, 0.f);
  log_scales.assign(n * 3, 0.f);
  rotations.assign(n * 4, 0.f);
  for (std::size_t i = 0; i < n; ++i) rotations[i * 4] = 1.f;
  opacity_logits.assign(n, 0.f);
  sh.assign(n * sh_coeffs() * 3, 0.f);
}

void GaussianSet::check_consistent() const {
  const std::size_t n = size();
  auto expect = [&](const std::vector<float>& v, std::size_t per, const char* name) {
    if (v.size() != n * per) {
      throw Error(std::string("GaussianSet: ") + name + " holds " + std::to_string(v.size()) +
                  " floats, expected " + std::to_string(n * per) + " for " + std::to_string(n) +
                  " Gaussians");
    }
  };
  if (sh_degree < 0 || sh_degree > kMaxShDegree) {
    throw Error("GaussianSet: SH degree " + std::to_string(sh_degree) + " is outside 0..3");
  }
  expect(positions, 3, "positions");
  expect(log_scales, 3, "log_scales");
  expect(rotations, 4, "rotations");
  expect(sh, static_cast<std::size_t>(sh_coeffs()) * 3, "sh");
}

void GaussianSet::filter(const std::vector<char>& keep) {
  check_consistent();
  const std::size_t n = size();
  const std::size_t k3 = static_cast<std::size_t>(sh_coeffs()) * 3;
  std::size_t out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    if (out != i) {
      std::copy_n(&positions[i * 3], 3, &positions[out * 3]);
      std::copy_n(&log_scales[i * 3], 3, &log_scales[out * 3]);
      std::copy_n(&rotations[i * 4], 4, &rotations[out * 4]);
      opacity_logits[out] = opacity_logits[i];
      std::copy_n(&sh[i * k3], k3, &sh[out * k3]);
    }
    ++out;
  }
  positions.resize(out * 3);
  log_scales.resize(out * 3);
  rotations.resize(out * 4);
  opacity_logits.resize(out);
  sh.resize(out * k3);
}

std::size_t GaussianSet::drop_non_finite() {
  check_consistent();
  const std::size_t n = size();
  const std::size_t k3 = static_cast<std::size_t>(sh_coeffs()) * 3;
  auto finite = [](const float* p, std::size_t count) {
    for (std::size_t j = 0; j < count; ++j) {
      if (!std::isfinite(p[j])) return false;
    }
    return true;
  };
  for (float& logit : opacity_logits) {
    if (std::isinf(logit)) logit = logit > 0.f ? kOpacityLogitLimit : -kOpacityLogitLimit;
  }
  std::vector<char> keep(n, 1);
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float* s = &log_scales[i * 3];
    const bool storable_scale = std::max({s[0], s[1], s[2]}) <= kMaxLogScale;
    const bool ok = finite(&positions[i * 3], 3) && finite(s, 3) && storable_scale &&
                    finite(&rotations[i * 4], 4) && std::isfinite(opacity_logits[i]) &&
                    finite(&sh[i * k3], k3);
    // A zero quaternion has no rotation: treat it like a non-finite value.
    const float* q = &rotations[i * 4];
    const bool rotation_ok = q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3] > 0.f;
    if (!ok || !rotation_ok) {
      keep[i] = 0;
      ++dropped;
    }
  }
  if (dropped > 0) filter(keep);
  return dropped;
}

void GaussianSet::set_sh_degree(int degree) {
  if (degree < 0 || degree > kMaxShDegree) {
    throw UsageError("SH degree " + std::to_string(degree) + " is outside 0..3");
  }
  check_consistent();
  if (degree == sh_degree) return;
  const std::size_t n = size();
  const int k_old = sh_coeffs();
  const int k_new = sh_coeffs_for_degree(degree);
  std::vector<float> out(n * k_new * 3, 0.f);
  const int k_copy = std::min(k_old, k_new);
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(&sh[i * k_old * 3], k_copy * 3, &out[i * k_new * 3]);
  }
  sh = std::move(out);
  sh_degree = degree;
}

void GaussianSet::append(const GaussianSet& other) {
  if (other.sh_degree != sh_degree && !empty()) {
    throw Error("GaussianSet::append: SH degree " + std::to_string(other.sh_degree) +
                " differs from " + std::to_string(sh_degree));
  }
  if (empty()) sh_degree = other.sh_degree;
  positions.insert(positions.end(), other.positions.begin(), other.positions.end());
  log_scales.insert(log_scales.end(), other.log_scales.begin(), other.log_scales.end());
  rotations.insert(rotations.end(), other.rotations.begin(), other.rotations.end());
  opacity_logits.insert(opacity_logits.end(), other.opacity_logits.begin(),
                        other.opacity_logits.end());
  sh.insert(sh.end(), other.sh.begin(), other.sh.end());
}

Bounds GaussianSet::bounds() const {
  Bounds b;
  const std::size_t n = size();
  if (n == 0) return b;
  for (int a = 0; a < 3; ++a) b.min[a] = b.max[a] = positions[a];
  for (std::size_t i = 1; i < n; ++i) {
    for (int a = 0; a < 3; ++a) {
      b.min[a] = std::min(b.min[a], positions[i * 3 + a]);
      b.max[a] = std::max(b.max[a], positions[i * 3 + a]);
    }
  }
  return b;
}

Bounds GaussianSet::robust_bounds(float quantile) const {
  const std::size_t n = size();
  if (n == 0) return Bounds{};
  quantile = std::clamp(quantile, 0.f, 0.5f);
  Bounds b;
  std::vector<float> axis(n);
  for (int a = 0; a < 3; ++a) {
    for (std::size_t i = 0; i < n; ++i) axis[i] = positions[i * 3 + a];
    const auto lo = static_cast<std::size_t>(quantile * static_cast<float>(n - 1));
    const std::size_t hi = n - 1 - lo;
    std::nth_element(axis.begin(), axis.begin() + lo, axis.end());
    b.min[a] = axis[lo];
    std::nth_element(axis.begin(), axis.begin() + hi, axis.end());
    b.max[a] = axis[hi];
  }
  return b;
}

std::size_t validate_gaussians(GaussianSet& set, const std::string& source) {
  const std::size_t dropped = set.drop_non_finite();
  if (dropped > 0) {
    spdlog::warn(
        "{}: dropped {} Gaussian(s) with non-finite values, a scale beyond float range (log-scale "
        "above {}) or a zero rotation ({} remain)",
        source, dropped, kMaxLogScale, set.size());
  }
  return dropped;
}

}  // namespace tera
