// antimatter15 .splat: no header, 32 bytes per Gaussian, little-endian:
// position 3 x float32, linear scale 3 x float32, RGBA 4 x uint8, rotation 4 x uint8 (w, x, y, z).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "io/activation.h"
#include "io/byte_io.h"
#include "io/formats.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr std::size_t kSplatBytes = 32;  // bytes per Gaussian, fixed by the format
// The smallest linear scale we turn into a log-scale: a zero or denormal scale stays finite.
constexpr float kMinLinearScale = 1e-30f;

}  // namespace

std::string encode_splat(const GaussianSet& set) {
  const std::size_t n = set.size();
  const int k = set.sh_coeffs();
  // Largest first by exp(sum of log-scales) * alpha: progressive viewers show big opaque ones
  // early.
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double volume = std::exp(static_cast<double>(set.log_scales[i * 3]) +
                                   set.log_scales[i * 3 + 1] + set.log_scales[i * 3 + 2]);
    weight[i] = volume * sigmoid(set.opacity_logits[i]);
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });

  std::string out;
  out.reserve(n * kSplatBytes);
  for (std::size_t i : order) {
    for (int a = 0; a < 3; ++a) put_f32(out, set.positions[i * 3 + a]);
    for (int a = 0; a < 3; ++a) put_f32(out, std::exp(set.log_scales[i * 3 + a]));
    const float* dc = &set.sh[i * k * 3];
    for (int c = 0; c < 3; ++c) put_u8(out, to_byte((0.5f + kShC0 * dc[c]) * 255.f));
    put_u8(out, to_byte(sigmoid(set.opacity_logits[i]) * 255.f));
    const float* q = &set.rotations[i * 4];
    const float norm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (int a = 0; a < 4; ++a) put_u8(out, to_byte(q[a] / norm * 128.f + 128.f));
  }
  return out;
}

GaussianSet decode_splat(const std::string& bytes, const std::string& source) {
  if (bytes.size() % kSplatBytes != 0) {
    const std::size_t whole = bytes.size() / kSplatBytes * kSplatBytes;
    throw InputError(at_byte(source, whole,
                             "the file holds " + std::to_string(bytes.size()) +
                                 " bytes, not a multiple of 32 (bytes per splat); " +
                                 std::to_string(bytes.size() - whole) +
                                 " bytes of a partial splat start here"));
  }
  const std::size_t n = bytes.size() / kSplatBytes;
  GaussianSet set;
  set.resize(n, 0);
  const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char* p = base + i * kSplatBytes;
    for (int a = 0; a < 3; ++a) set.positions[i * 3 + a] = get_f32(p + 4 * a);
    for (int a = 0; a < 3; ++a) {
      set.log_scales[i * 3 + a] =
          std::log(std::max(std::fabs(get_f32(p + 12 + 4 * a)), kMinLinearScale));
    }
    for (int c = 0; c < 3; ++c)
      set.sh[i * 3 + c] = (static_cast<float>(p[24 + c]) / 255.f - 0.5f) / kShC0;
    set.opacity_logits[i] = logit_from_byte(p[27]);
    for (int a = 0; a < 4; ++a)
      set.rotations[i * 4 + a] = (static_cast<float>(p[28 + a]) - 128.f) / 128.f;
    // Four bytes of 128 decode to a zero quaternion: take it as the identity rotation.
    const float* q = &set.rotations[i * 4];
    if (q[0] == 0.f && q[1] == 0.f && q[2] == 0.f && q[3] == 0.f) set.rotations[i * 4] = 1.f;
  }
  return set;
}

}  // namespace tera
