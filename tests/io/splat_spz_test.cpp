// Conformance of .splat and .spz bytes (decoded here with zlib directly, not with our reader),
// version-2 .spz reading, and the rejection of bad files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <zlib.h>

#include "io/io_test_util.h"
#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/io/gaussian_io.h"

namespace tera {
namespace {

using test::f32_at;
using test::u32_at;
using ::testing::HasSubstr;

// One gzip stream of `data` (zlib directly, independent of the library's writer).
std::string gzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 16 + MAX_WBITS), Z_OK);
  std::string out;
  char chunk[4096];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
  }
  EXPECT_EQ(result, Z_STREAM_END);
  inflateEnd(&stream);
  return out;
}

// Two Gaussians with simple values; the second is larger and more opaque.
GaussianSet two_gaussians(int degree) {
  GaussianSet set;
  set.resize(2, degree);
  const float positions[6] = {1.5f, -0.25f, 2.f, 0.f, 1.f, -3.f};
  std::copy_n(positions, 6, set.positions.begin());
  const float log_scales[6] = {-3.f, -3.f, -3.f, -1.f, -1.5f, -2.f};
  std::copy_n(log_scales, 6, set.log_scales.begin());
  const float rotations[8] = {0.6f, 0.f, 0.8f, 0.f, -0.6f, 0.f, 0.8f, 0.f};  // (w, x, y, z)
  std::copy_n(rotations, 8, set.rotations.begin());
  set.opacity_logits = {-1.f, 2.f};
  const int k = set.sh_coeffs();
  for (std::size_t i = 0; i < 2; ++i) {
    set.sh[i * k * 3 + 0] = 0.5f;
    set.sh[i * k * 3 + 1] = -0.5f;
    set.sh[i * k * 3 + 2] = 1.f;
    for (int j = 1; j < k; ++j) {
      for (int c = 0; c < 3; ++c) set.sh[(i * k + j) * 3 + c] = j < 4 ? 0.3f : -0.3f;
    }
  }
  return set;
}

std::uint8_t byte_round(double v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
}

TEST(SplatWriter, BytesFollowTheLayoutAndLargestComesFirst) {
  test::TempDir dir("splat");
  const GaussianSet set = two_gaussians(2);
  WriteOptions options;
  options.frame = Frame::kYUp;  // no frame change: compare with the in-memory values
  write_gaussians(set, dir / "a.splat", options);
  const std::string bytes = test::slurp(dir / "a.splat");
  ASSERT_EQ(bytes.size(), 64u);
  // Gaussian 1 has the larger exp(sum log-scales) * alpha, so it comes first.
  for (int record = 0; record < 2; ++record) {
    const std::size_t i = 1 - record;
    const std::size_t base = record * 32;
    for (int a = 0; a < 3; ++a) EXPECT_EQ(f32_at(bytes, base + 4 * a), set.positions[i * 3 + a]);
    for (int a = 0; a < 3; ++a)
      EXPECT_FLOAT_EQ(f32_at(bytes, base + 12 + 4 * a), std::exp(set.log_scales[i * 3 + a]));
    const int k = set.sh_coeffs();
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(static_cast<unsigned char>(bytes[base + 24 + c]),
                byte_round((0.5 + kShC0 * set.sh[i * k * 3 + c]) * 255));
    }
    EXPECT_EQ(static_cast<unsigned char>(bytes[base + 27]),
              byte_round(test::sigmoid_ref(set.opacity_logits[i]) * 255));
    for (int a = 0; a < 4; ++a) {  // (w, x, y, z), already unit length
      EXPECT_EQ(static_cast<unsigned char>(bytes[base + 28 + a]),
                byte_round(set.rotations[i * 4 + a] * 128 + 128));
    }
  }
}

TEST(SplatReader, RejectsSizesThatAreNotAMultipleOf32) {
  test::TempDir dir("splat");
  test::spit(dir / "bad.splat", std::string(2 * 32 + 5, '\0'));
  try {
    read_gaussians(dir / "bad.splat");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("bad.splat: at byte 64"));
    EXPECT_THAT(error.what(), HasSubstr("multiple of 32"));
  }
}

TEST(SpzWriter, DecompressedBytesFollowVersion3) {
  test::TempDir dir("spz");
  const GaussianSet set = two_gaussians(2);
  write_gaussians(set, dir / "a.spz");  // default frame: y-up, stored as is (RUB)
  const std::string file = test::slurp(dir / "a.spz");
  ASSERT_GE(file.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(file[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(file[1]), 0x8b);
  const std::string raw = gunzip(file);
  const std::size_t n = 2, rest = 8;  // degree 2: 8 SH coefficients beyond the DC term
  ASSERT_EQ(raw.size(), 16 + n * (9 + 1 + 3 + 3 + 4 + 3 * rest));
  EXPECT_EQ(u32_at(raw, 0), 0x5053474eu);
  EXPECT_EQ(u32_at(raw, 4), 3u);
  EXPECT_EQ(u32_at(raw, 8), 2u);
  EXPECT_EQ(raw[12], 2) << "SH degree";
  EXPECT_EQ(raw[13], 12) << "fractional bits";
  EXPECT_EQ(raw[14], 0) << "flags";
  EXPECT_EQ(raw[15], 0) << "reserved";
  auto byte = [&](std::size_t offset) { return static_cast<unsigned char>(raw.at(offset)); };
  // Positions: 24-bit little-endian fixed point, 12 fractional bits. 1.5 -> 6144 = 0x001800,
  // -0.25 -> -1024 = 0xfffc00 (two's complement).
  EXPECT_EQ(byte(16), 0x00);
  EXPECT_EQ(byte(17), 0x18);
  EXPECT_EQ(byte(18), 0x00);
  EXPECT_EQ(byte(19), 0x00);
  EXPECT_EQ(byte(20), 0xfc);
  EXPECT_EQ(byte(21), 0xff);
  std::size_t offset = 16 + n * 9;
  for (std::size_t i = 0; i < n; ++i)
    EXPECT_EQ(byte(offset + i), byte_round(test::sigmoid_ref(set.opacity_logits[i]) * 255));
  offset += n;
  const float dc[3] = {0.5f, -0.5f, 1.f};
  for (int c = 0; c < 3; ++c)
    EXPECT_EQ(byte(offset + c), byte_round(dc[c] * 0.15 * 255 + 127.5)) << "colour " << c;
  offset += n * 3;
  EXPECT_EQ(byte(offset), byte_round((-3.0 + 10) * 16)) << "scale";
  EXPECT_EQ(byte(offset + 4), byte_round((-1.5 + 10) * 16)) << "scale";
  offset += n * 3;
  // Smallest three of (x, y, z, w) = (0, 0.8, 0, 0.6): the largest is y (index 1) in the top two
  // bits; then x, z, w as sign bit + 9 bits of |v| / sqrt(1/2) * 511: w -> 434.
  EXPECT_EQ(u32_at(raw, offset), (1u << 30) | 434u);
  // (0, 0.8, 0, -0.6): w negative relative to the positive largest: its sign bit (bit 9) is set.
  EXPECT_EQ(u32_at(raw, offset + 4), (1u << 30) | (1u << 9) | 434u);
  offset += n * 4;
  // SH of Gaussian 0, colour innermost: coefficients 1..3 (degree 1, 5 bits: 0.3 -> 166 -> 168),
  // then 4..8 (degree 2, 4 bits: -0.3 -> 90 -> 96).
  for (std::size_t j = 0; j < rest; ++j) {
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(byte(offset + j * 3 + c), j < 3 ? 168 : 96) << "coefficient " << j + 1;
  }
  // The default frame of .spz is y-up (RUB): y is stored unchanged, not negated.
  GaussianSet back = read_gaussians(dir / "a.spz");
  EXPECT_EQ(back.positions[1], -0.25f);
}

TEST(SpzReader, ReadsVersion2WithFirstThreeRotation) {
  std::string raw;
  auto u32 = [&](std::uint32_t v) {
    for (int b = 0; b < 4; ++b) raw.push_back(static_cast<char>(v >> (8 * b)));
  };
  u32(0x5053474e);
  u32(2);
  u32(1);
  raw += std::string{0, 12, 0, 0};  // degree 0, 12 fractional bits
  raw += std::string{0, 0x10, 0};   // x = 4096 / 4096 = 1
  raw += std::string{0, 0, 0};      // y = 0
  raw += std::string{0, static_cast<char>(0xf0), static_cast<char>(0xff)};  // z = -4096 / 4096 = -1
  raw.push_back(static_cast<char>(255));                                    // alpha
  raw += std::string{static_cast<char>(128), static_cast<char>(128),
                     static_cast<char>(128)};  // colour
  raw += std::string{static_cast<char>(120), static_cast<char>(120),
                     static_cast<char>(120)};  // scales: log -2.5
  // x, y, z of (w, x, y, z) = (0.6, 0, 0.8, 0) as q * 127.5 + 127.5: 128, 229.5 -> 230, 128.
  raw += std::string{static_cast<char>(128), static_cast<char>(230), static_cast<char>(128)};
  test::TempDir dir("spz");
  test::spit(dir / "v2.spz", gzip(raw));
  const GaussianSet set = read_gaussians(dir / "v2.spz");
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set.positions, (std::vector<float>{1.f, 0.f, -1.f}));
  EXPECT_EQ(set.log_scales[0], -2.5f);
  // Each byte is within half a step (1/255) of the value; w follows from |q| = 1.
  EXPECT_NEAR(set.rotations[0], 0.6f, 0.01f);
  EXPECT_NEAR(set.rotations[2], 0.8f, 0.005f);
  EXPECT_NEAR(set.rotations[1], 0.f, 0.005f);
}

void expect_spz_error(const std::string& bytes, const std::vector<std::string>& parts) {
  test::TempDir dir("spz");
  test::spit(dir / "bad.spz", bytes);
  try {
    read_gaussians(dir / "bad.spz");
    ADD_FAILURE() << "no error for a bad file";
  } catch (const InputError& error) {
    for (const auto& part : parts) EXPECT_THAT(error.what(), HasSubstr(part));
  }
}

std::string valid_spz_payload() {
  test::TempDir dir("spz");
  write_gaussians(test::random_gaussians(5, 1, 9), dir / "a.spz");
  return gunzip(test::slurp(dir / "a.spz"));
}

TEST(SpzReader, RejectsBadGzipMagicVersionAndTruncation) {
  expect_spz_error("", {"bad.spz: at byte 0", "empty"});
  expect_spz_error("NOPE not compressed", {"bad.spz: at byte 0", "not a gzip stream"});
  // Version 4 (newer writers) starts with the header itself: named as such, not as "no gzip".
  std::string uncompressed = valid_spz_payload();
  uncompressed[4] = 4;
  expect_spz_error(uncompressed, {"bad.spz: at byte 4", "unsupported .spz version 4",
                                  "uncompressed 'NGSP' header", "versions 2 and 3"});
  const std::string payload = valid_spz_payload();
  std::string corrupt = gzip(payload);
  for (std::size_t b = 12; b < 40 && b < corrupt.size(); ++b)
    corrupt[b] = static_cast<char>(corrupt[b] ^ 0x5a);
  expect_spz_error(corrupt, {"bad.spz: at byte", "bad gzip data"});
  const std::string whole = gzip(payload);
  expect_spz_error(whole.substr(0, whole.size() - 10),
                   {"bad.spz: at byte " + std::to_string(whole.size() - 10), "ends early"});

  std::string wrong_magic = payload;
  wrong_magic[0] = 'X';
  expect_spz_error(gzip(wrong_magic), {"bad.spz (decompressed): at byte 0", "magic"});
  std::string version = payload;
  version[4] = 4;
  expect_spz_error(gzip(version), {"bad.spz (decompressed): at byte 4", "version 4"});
  // Five points of degree 1: positions 45 bytes, alphas 5, colours 15, scales 15, rotations at
  // 16 + 80 = 96 for 20 bytes. Cut inside the rotations.
  expect_spz_error(
      gzip(payload.substr(0, 100)),
      {"bad.spz (decompressed): at byte 100", "rotation block", "expected 20 bytes from byte 96"});
  expect_spz_error(gzip(payload.substr(0, 10)), {"bad.spz (decompressed): at byte 10", "header"});
}

}  // namespace
}  // namespace tera
