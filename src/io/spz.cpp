// Niantic .spz: one gzip stream holding a 16-byte header and column blocks (positions, alphas,
// colours, scales, rotations, SH). Writes version 3; reads versions 2 and 3. Axes are RUB.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <spdlog/spdlog.h>

#include "io/activation.h"
#include "io/byte_io.h"
#include "io/formats.h"
#include "io/gzip.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr std::uint32_t kSpzMagic = 0x5053474e;    // "NGSP" little-endian
constexpr std::uint32_t kSpzWriteVersion = 3;      // gzip + smallest-three rotations
constexpr std::size_t kSpzHeaderBytes = 16;        // magic, version, count, 4 single bytes
constexpr int kFractionalBits = 12;                // 1/4096 m position step (about 0.25 mm)
constexpr std::int32_t kMaxFixed = (1 << 23) - 1;  // 24-bit signed fixed point range
constexpr float kColorScale = 0.15f;               // dc * 0.15 * 255 + 127.5 (wider than C0)
constexpr float kScaleOffset = 10.f;               // (log-scale + 10) * 16 covers [-10, 6]
constexpr float kScaleSteps = 16.f;
constexpr float kSqrtHalf = 0.70710678118654752f;  // bound of the three smaller components
constexpr std::uint32_t kMagMask = (1u << 9) - 1;  // 9-bit magnitude per smaller component
constexpr std::uint8_t kFlagAntialiased = 0x1;
constexpr std::uint8_t kFlagExtensions = 0x2;

// SH bytes: round(x * 128) + 128, rounded to a multiple of `bucket` (8 keeps 5 bits, 16 keeps 4).
std::uint8_t quantize_sh(float x, int bucket) {
  int q = static_cast<int>(std::lround(x * 128.f)) + 128;
  q = (q + bucket / 2) / bucket * bucket;
  return static_cast<std::uint8_t>(std::clamp(q, 0, 255));
}

// Smallest-three quaternion in a little-endian uint32: top 2 bits index the largest |component|
// of (x, y, z, w), then for each other component in order a sign bit and 9 magnitude bits.
std::uint32_t pack_rotation(const float* wxyz) {
  const float norm =
      std::sqrt(wxyz[0] * wxyz[0] + wxyz[1] * wxyz[1] + wxyz[2] * wxyz[2] + wxyz[3] * wxyz[3]);
  const float q[4] = {wxyz[1] / norm, wxyz[2] / norm, wxyz[3] / norm,
                      wxyz[0] / norm};  // x, y, z, w
  std::uint32_t largest = 0;
  for (std::uint32_t i = 1; i < 4; ++i) {
    if (std::fabs(q[i]) > std::fabs(q[largest])) largest = i;
  }
  const bool negate = q[largest] < 0.f;  // -q is the same rotation: make the largest positive
  std::uint32_t packed = largest;
  for (std::uint32_t i = 0; i < 4; ++i) {
    if (i == largest) continue;
    const std::uint32_t sign = (q[i] < 0.f) != negate ? 1u : 0u;
    const auto magnitude = std::min<std::uint32_t>(
        kMagMask, static_cast<std::uint32_t>(
                      static_cast<float>(kMagMask) * std::fabs(q[i]) / kSqrtHalf + 0.5f));
    packed = (packed << 10) | (sign << 9) | magnitude;
  }
  return packed;
}

void unpack_rotation(std::uint32_t packed, float* wxyz) {
  const std::uint32_t largest = packed >> 30;
  float q[4] = {0.f, 0.f, 0.f, 0.f};  // x, y, z, w
  float sum_squares = 0.f;
  for (int i = 3; i >= 0; --i) {  // the last component packed sits in the lowest bits
    if (static_cast<std::uint32_t>(i) == largest) continue;
    const float magnitude =
        kSqrtHalf * static_cast<float>(packed & kMagMask) / static_cast<float>(kMagMask);
    q[i] = (packed >> 9) & 1u ? -magnitude : magnitude;
    sum_squares += q[i] * q[i];
    packed >>= 10;
  }
  q[largest] = std::sqrt(std::max(0.f, 1.f - sum_squares));
  wxyz[0] = q[3];
  wxyz[1] = q[0];
  wxyz[2] = q[1];
  wxyz[3] = q[2];
}

}  // namespace

std::string encode_spz(const GaussianSet& set, const std::string& source) {
  const std::size_t n = set.size();
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(source + ": " + std::to_string(n) +
                " Gaussians do not fit the 32-bit count of a .spz file");
  }
  const int k = set.sh_coeffs();
  std::string raw;
  raw.reserve(kSpzHeaderBytes + n * (9 + 1 + 3 + 3 + 4 + 3 * (k - 1)));
  put_u32(raw, kSpzMagic);
  put_u32(raw, kSpzWriteVersion);
  put_u32(raw, static_cast<std::uint32_t>(n));
  put_u8(raw, static_cast<std::uint8_t>(set.sh_degree));
  put_u8(raw, kFractionalBits);
  put_u8(raw, 0);  // flags: our Gaussians are not trained with the antialiasing filter
  put_u8(raw, 0);  // reserved

  std::size_t clamped = 0;
  const float fixed_scale = static_cast<float>(1 << kFractionalBits);
  for (std::size_t i = 0; i < n * 3; ++i) {
    const double fixed = std::round(static_cast<double>(set.positions[i]) * fixed_scale);
    const double bounded =
        std::clamp(fixed, -static_cast<double>(kMaxFixed) - 1.0, static_cast<double>(kMaxFixed));
    if (bounded != fixed) ++clamped;
    const auto value = static_cast<std::uint32_t>(static_cast<std::int32_t>(bounded));
    for (int b = 0; b < 3; ++b) put_u8(raw, static_cast<std::uint8_t>(value >> (8 * b)));
  }
  if (clamped > 0) {
    spdlog::warn("{}: {} position component(s) beyond +-2048 m were clamped to the .spz range",
                 source, clamped);
  }
  for (std::size_t i = 0; i < n; ++i) put_u8(raw, to_byte(sigmoid(set.opacity_logits[i]) * 255.f));
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c)
      put_u8(raw, to_byte(set.sh[i * k * 3 + c] * (kColorScale * 255.f) + 127.5f));
  }
  for (std::size_t i = 0; i < n * 3; ++i)
    put_u8(raw, to_byte((set.log_scales[i] + kScaleOffset) * kScaleSteps));
  for (std::size_t i = 0; i < n; ++i) put_u32(raw, pack_rotation(&set.rotations[i * 4]));
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 1; j < k; ++j) {
      const int bucket = j < 4 ? 8 : 16;  // degree 1 keeps 5 bits, higher degrees 4 bits
      for (int c = 0; c < 3; ++c) put_u8(raw, quantize_sh(set.sh[(i * k + j) * 3 + c], bucket));
    }
  }
  return gzip_compress(raw, source);
}

GaussianSet decode_spz(const std::string& bytes, const std::string& source) {
  // Newer writers (spz version 4) start with the magic itself, not a gzip stream: say so, rather
  // than that the file is no gzip stream.
  if (bytes.size() >= 8 &&
      get_u32(reinterpret_cast<const unsigned char*>(bytes.data())) == kSpzMagic) {
    const std::uint32_t version = get_u32(reinterpret_cast<const unsigned char*>(bytes.data()) + 4);
    throw InputError(at_byte(source, 4,
                             "unsupported .spz version " + std::to_string(version) +
                                 " (an uncompressed 'NGSP' header, not a gzip stream); this build "
                                 "reads the gzip versions 2 and 3"));
  }
  // The header tells how much to keep; decompress the header first with a small limit.
  const std::string head =
      gzip_decompress(bytes, source, kSpzHeaderBytes, /*check_whole_stream=*/false);
  const std::string inner = source + " (decompressed)";
  ByteCursor header_cursor(head, inner);
  const unsigned char* h = header_cursor.take(kSpzHeaderBytes, "the 16-byte .spz header");
  const std::uint32_t magic = get_u32(h);
  if (magic != kSpzMagic) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", magic);
    throw InputError(
        at_byte(inner, 0, std::string("expected the .spz magic 0x5053474e ('NGSP'), got ") + hex));
  }
  const std::uint32_t version = get_u32(h + 4);
  if (version != 2 && version != 3) {
    throw InputError(at_byte(
        inner, 4, "unsupported .spz version " + std::to_string(version) + "; expected 2 or 3"));
  }
  const std::uint64_t n = get_u32(h + 8);
  const int degree = h[12];
  const int fractional_bits = h[13];
  const std::uint8_t flags = h[14];
  if (degree > kMaxShDegree) {
    throw InputError(
        at_byte(inner, 12, "SH degree " + std::to_string(degree) + " is outside 0..3"));
  }
  if (fractional_bits > 24) {
    throw InputError(at_byte(
        inner, 13, "fractional bits " + std::to_string(fractional_bits) + " is outside 0..24"));
  }
  if (flags & kFlagExtensions) {
    throw InputError(at_byte(inner, 14, ".spz extensions (flag 0x2) are not supported"));
  }
  if (flags & kFlagAntialiased) spdlog::debug("{}: the .spz file is flagged antialiased", source);

  const int k = sh_coeffs_for_degree(degree);
  const std::uint64_t rotation_bytes = version >= 3 ? 4 : 3;
  const std::uint64_t per_point =
      9 + 1 + 3 + 3 + rotation_bytes + 3 * static_cast<std::uint64_t>(k - 1);
  const std::string raw = gzip_decompress(bytes, source, kSpzHeaderBytes + n * per_point);
  ByteCursor cursor(raw, inner);
  cursor.take(kSpzHeaderBytes, "the header");
  const std::string count = std::to_string(n) + " ";
  const unsigned char* positions =
      cursor.take(n * 9, "the position block (" + count + "x 9 bytes)");
  const unsigned char* alphas = cursor.take(n, "the alpha block (" + count + "x 1 byte)");
  const unsigned char* colors = cursor.take(n * 3, "the colour block (" + count + "x 3 bytes)");
  const unsigned char* scales = cursor.take(n * 3, "the scale block (" + count + "x 3 bytes)");
  const unsigned char* rotations =
      cursor.take(n * rotation_bytes, "the rotation block (" + count + "x " +
                                          std::to_string(rotation_bytes) + " bytes)");
  const unsigned char* sh = cursor.take(
      n * 3 * (k - 1), "the SH block (" + count + "x " + std::to_string(3 * (k - 1)) + " bytes)");

  GaussianSet set;
  set.resize(static_cast<std::size_t>(n), degree);
  const float position_step = 1.f / static_cast<float>(1u << fractional_bits);
  for (std::size_t i = 0; i < n * 3; ++i) {
    const unsigned char* p = positions + i * 3;
    std::int32_t fixed = static_cast<std::int32_t>(p[0] | (p[1] << 8) | (p[2] << 16));
    if (fixed & 0x800000) fixed -= 1 << 24;  // sign-extend 24 bits
    set.positions[i] = static_cast<float>(fixed) * position_step;
  }
  for (std::size_t i = 0; i < n; ++i) set.opacity_logits[i] = logit_from_byte(alphas[i]);
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) {
      set.sh[i * k * 3 + c] =
          (static_cast<float>(colors[i * 3 + c]) - 127.5f) / (kColorScale * 255.f);
    }
  }
  for (std::size_t i = 0; i < n * 3; ++i)
    set.log_scales[i] = static_cast<float>(scales[i]) / kScaleSteps - kScaleOffset;
  for (std::size_t i = 0; i < n; ++i) {
    float* q = &set.rotations[i * 4];
    if (version >= 3) {
      unpack_rotation(get_u32(rotations + i * 4), q);
    } else {  // version 2: x, y, z as bytes of q * 127.5 + 127.5 with w >= 0; w follows from |q| =
              // 1
      const unsigned char* r = rotations + i * 3;
      float sum_squares = 0.f;
      for (int a = 0; a < 3; ++a) {
        q[1 + a] = static_cast<float>(r[a]) / 127.5f - 1.f;
        sum_squares += q[1 + a] * q[1 + a];
      }
      q[0] = std::sqrt(std::max(0.f, 1.f - sum_squares));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (int j = 1; j < k; ++j) {
      for (int c = 0; c < 3; ++c) {
        set.sh[(i * k + j) * 3 + c] =
            (static_cast<float>(sh[(i * (k - 1) + j - 1) * 3 + c]) - 128.f) / 128.f;
      }
    }
  }
  return set;
}

}  // namespace tera
