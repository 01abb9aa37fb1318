// Activations and byte quantisation shared by the formats that store activated values.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tera {

inline float sigmoid(float logit) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(logit))));
}

// Inverse of sigmoid, computed in double. `p` is clamped to [lo, hi] first so that a stored 0 or 1
// (a fully transparent or opaque Gaussian) still gives a finite logit.
inline float logit_clamped(double p, double lo, double hi) {
  p = std::clamp(p, lo, hi);
  return static_cast<float>(std::log(p / (1.0 - p)));
}

// Logit of an alpha stored as a byte. A byte stands for an interval of width 1/255; clamping to
// half a step inside [0, 255] keeps byte 0 and 255 finite (about -6.2 and +6.2).
inline float logit_from_byte(std::uint8_t byte) {
  return logit_clamped(static_cast<double>(byte) / 255.0, 0.5 / 255.0, 254.5 / 255.0);
}

// Rounds to the nearest integer and clamps into a byte.
inline std::uint8_t to_byte(float value) {
  if (!(value > 0.f)) return 0;  // also maps NaN to 0
  return static_cast<std::uint8_t>(std::min(255.f, std::round(value)));
}

}  // namespace tera
