// Image comparison metrics for regression renders (`tera compare`).
#pragma once

#include "tera/render/image.h"

namespace tera {

struct ImageComparison {
  double mse = 0.0;      // mean squared error over RGB, values in [0, 1]
  double psnr = 0.0;     // 10 log10(1 / mse) in dB; +infinity when the images are identical
  double ssim = 1.0;     // mean SSIM over RGB (11x11 Gaussian window, sigma 1.5)
  double max_abs = 0.0;  // largest per-channel absolute difference
};

// Compares the RGB channels of two images of the same size (already composited renders);
// throws InputError when the sizes differ.
ImageComparison compare_images(const Image& a, const Image& b);

// |a - b| per RGB channel, multiplied by `gain` and clamped, opaque alpha: bright where they
// differ.
Image difference_image(const Image& a, const Image& b, float gain);

}  // namespace tera
