#include "tera/render/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tera/core/error.h"

namespace tera {
namespace {

// SSIM constants of Wang et al. (2004) for a dynamic range of 1: C1 = (0.01)^2, C2 = (0.03)^2.
constexpr double kSsimC1 = 0.01 * 0.01;
constexpr double kSsimC2 = 0.03 * 0.03;
constexpr int kSsimRadius = 5;      // 11x11 window
constexpr double kSsimSigma = 1.5;  // Gaussian window width of the reference implementation

// Separable Gaussian blur with clamped borders of one plane [h, w].
std::vector<double> blur(const std::vector<double>& plane, int w, int h,
                         const std::vector<double>& kernel) {
  std::vector<double> tmp(plane.size()), out(plane.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double sum = 0.0;
      for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
        sum += kernel[k + kSsimRadius] *
               plane[static_cast<std::size_t>(y) * w + std::clamp(x + k, 0, w - 1)];
      }
      tmp[static_cast<std::size_t>(y) * w + x] = sum;
    }
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double sum = 0.0;
      for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
        sum += kernel[k + kSsimRadius] *
               tmp[static_cast<std::size_t>(std::clamp(y + k, 0, h - 1)) * w + x];
      }
      out[static_cast<std::size_t>(y) * w + x] = sum;
    }
  }
  return out;
}

double ssim_channel(const Image& a, const Image& b, int channel,
                    const std::vector<double>& kernel) {
  const int w = a.width, h = a.height;
  const std::size_t n = static_cast<std::size_t>(w) * h;
  std::vector<double> x(n), y(n), xx(n), yy(n), xy(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = a.rgba[i * 4 + channel];
    y[i] = b.rgba[i * 4 + channel];
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const auto mx = blur(x, w, h, kernel), my = blur(y, w, h, kernel);
  const auto sxx = blur(xx, w, h, kernel), syy = blur(yy, w, h, kernel),
             sxy = blur(xy, w, h, kernel);
  double total = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i],
                 cov = sxy[i] - mx[i] * my[i];
    total += ((2 * mx[i] * my[i] + kSsimC1) * (2 * cov + kSsimC2)) /
             ((mx[i] * mx[i] + my[i] * my[i] + kSsimC1) * (vx + vy + kSsimC2));
  }
  return total / static_cast<double>(n);
}

void check_same_size(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.rgba.empty()) {
    throw InputError("images differ in size: " + std::to_string(a.width) + "x" +
                     std::to_string(a.height) + " vs " + std::to_string(b.width) + "x" +
                     std::to_string(b.height));
  }
}

}  // namespace

ImageComparison compare_images(const Image& a, const Image& b) {
  check_same_size(a, b);
  ImageComparison result;
  const std::size_t n = static_cast<std::size_t>(a.width) * a.height;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) {
      const double d = static_cast<double>(a.rgba[i * 4 + c]) - b.rgba[i * 4 + c];
      sum += d * d;
      result.max_abs = std::max(result.max_abs, std::fabs(d));
    }
  }
  result.mse = sum / static_cast<double>(n * 3);
  result.psnr = result.mse > 0.0 ? 10.0 * std::log10(1.0 / result.mse)
                                 : std::numeric_limits<double>::infinity();
  std::vector<double> kernel(2 * kSsimRadius + 1);
  double norm = 0.0;
  for (int k = -kSsimRadius; k <= kSsimRadius; ++k) {
    kernel[k + kSsimRadius] = std::exp(-0.5 * k * k / (kSsimSigma * kSsimSigma));
    norm += kernel[k + kSsimRadius];
  }
  for (double& value : kernel) value /= norm;
  result.ssim = (ssim_channel(a, b, 0, kernel) + ssim_channel(a, b, 1, kernel) +
                 ssim_channel(a, b, 2, kernel)) /
                3.0;
  return result;
}

Image difference_image(const Image& a, const Image& b, float gain) {
  check_same_size(a, b);
  Image out(a.width, a.height);
  for (std::size_t i = 0; i < out.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c)
      out.rgba[i + c] = std::min(1.f, gain * std::fabs(a.rgba[i + c] - b.rgba[i + c]));
    out.rgba[i + 3] = 1.f;
  }
  return out;
}

}  // namespace tera
