// Gaussian assembly, the template file and the latent file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "support/test_support.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/decode/assembly.h"
#include "tera/decode/avatar_template.h"
#include "tera/generate/latent_io.h"

namespace {

// A 2x2 template with two valid texels: texel 1 with the identity frame, texel 2 with the frame
// tangent = +z, bitangent = +y, normal = -x (a rotation of -90 degrees about y).
tera::AvatarTemplate small_template() {
  tera::AvatarTemplate t;
  t.resolution = 2;
  t.texel = {1, 2};
  t.triangle = {0, 0};
  t.barycentric = {1, 0, 0, 0, 1, 0};
  t.position = {0.f, 1.f, 0.f, 1.f, 2.f, 3.f};
  t.tangent = {1, 0, 0, 0, 0, 1};
  t.bitangent = {0, 1, 0, 0, 1, 0};
  t.normal = {0, 0, 1, -1, 0, 0};
  t.region = {0, 5};
  t.bones = {0, 0, 0, 0, 0, 0, 0, 0};
  t.weights = {1, 0, 0, 0, 1, 0, 0, 0};
  t.vertices = {0, 0, 0, 1, 0, 0, 0, 1, 0};
  t.triangles = {0, 1, 2};
  t.bone_names = {"root"};
  t.bone_parents = {-1};
  t.bone_heads = {0, 0, 0};
  t.bone_tails = {0, 1, 0};
  return t;
}

tera::LayerChannels angle_layer() {
  tera::LayerChannels l;
  l.name = "body";
  l.offset = 0;
  l.color = 3;
  l.opacity = 6;
  l.log_scale = 7;
  l.rotation = 10;
  return l;
}

// maps [11, 2, 2]; value of channel c at texel `cell`.
void set(std::vector<float>& maps, int channel, int cell, float value) {
  maps[static_cast<std::size_t>(channel * 4 + cell)] = value;
}

TEST(Assembly, PositionsRotationsColoursFollowTheTexelFrame) {
  const auto t = small_template();
  std::vector<float> maps(11 * 4, 0.f);
  for (int cell : {1, 2}) {
    set(maps, 0, cell, 0.1f);   // offset along the tangent
    set(maps, 2, cell, 0.02f);  // and the normal
    set(maps, 3, cell, 1.f);    // red
    set(maps, 4, cell, 0.5f);
    set(maps, 5, cell, 2.f);  // clamped to 1
    set(maps, 6, cell, 3.f);  // opacity logit
    set(maps, 7, cell, -4.f);
  }
  set(maps, 10, 1, static_cast<float>(M_PI / 2));  // texel 1: 90 degrees about its normal (+z)
  tera::AssemblyOptions options;
  const auto g = tera::assemble_gaussians(maps, 11, 2, {angle_layer()}, t, options);
  ASSERT_EQ(g.size(), 2u);
  // Texel 1 (identity frame): position + (0.1, 0, 0.02).
  EXPECT_NEAR(g.positions[0], 0.1f, 1e-6);
  EXPECT_NEAR(g.positions[1], 1.f, 1e-6);
  EXPECT_NEAR(g.positions[2], 0.02f, 1e-6);
  // Texel 2: tangent +z, normal -x -> (1, 2, 3) + 0.1 z - 0.02 x.
  EXPECT_NEAR(g.positions[3], 0.98f, 1e-6);
  EXPECT_NEAR(g.positions[5], 3.1f, 1e-6);
  // Rotation of texel 1: 90 degrees about z -> (cos 45, 0, 0, sin 45).
  EXPECT_NEAR(g.rotations[0], std::sqrt(0.5f), 1e-6);
  EXPECT_NEAR(g.rotations[3], std::sqrt(0.5f), 1e-6);
  // Rotation of texel 2: the frame alone, -90 degrees about y -> (cos 45, 0, -sin 45, 0), up to
  // sign.
  const float sign = g.rotations[4] < 0 ? -1.f : 1.f;
  EXPECT_NEAR(sign * g.rotations[4], std::sqrt(0.5f), 1e-6);
  EXPECT_NEAR(sign * g.rotations[6], -std::sqrt(0.5f), 1e-6);
  EXPECT_NEAR(g.rotations[5], 0.f, 1e-6);
  EXPECT_NEAR(g.rotations[7], 0.f, 1e-6);
  // Colour -> SH DC: 0.5 + C0 * dc gives back the (clamped) colour.
  EXPECT_NEAR(0.5f + tera::kShC0 * g.sh[0], 1.f, 1e-6);
  EXPECT_NEAR(0.5f + tera::kShC0 * g.sh[1], 0.5f, 1e-6);
  EXPECT_NEAR(0.5f + tera::kShC0 * g.sh[2], 1.f, 1e-6);
  EXPECT_EQ(g.opacity_logits[0], 3.f);
  EXPECT_EQ(g.log_scales[0], -4.f);
}

TEST(Assembly, MinOpacityDropsNearlyTransparentGaussiansOnly) {
  const auto t = small_template();
  std::vector<float> maps(11 * 4, 0.f);
  set(maps, 6, 1, -8.f);  // alpha 0.0003: dropped at 1/255
  set(maps, 6, 2, -5.f);  // alpha 0.0067: kept
  tera::AssemblyOptions options;
  auto g = tera::assemble_gaussians(maps, 11, 2, {angle_layer()}, t, options);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g.opacity_logits[0], -5.f);
  options.min_opacity = 0.f;
  EXPECT_EQ(tera::assemble_gaussians(maps, 11, 2, {angle_layer()}, t, options).size(), 2u);
}

TEST(Assembly, AlphaOpacityLayersAreClampedAndConvertedToLogits) {
  const auto t = small_template();
  tera::LayerChannels l = angle_layer();
  l.opacity_is_alpha = true;
  std::vector<float> maps(11 * 4, 0.f);
  set(maps, 6, 1, 0.5f);  // logit 0
  set(maps, 6, 2, 2.f);   // clamped to 0.9999
  tera::AssemblyOptions options;
  const auto g = tera::assemble_gaussians(maps, 11, 2, {l}, t, options);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_NEAR(g.opacity_logits[0], 0.f, 1e-6);
  EXPECT_NEAR(g.opacity_logits[1], std::log(0.9999f / 0.0001f),
              1e-2);        // float32 rounding of 1 - 0.9999
  set(maps, 6, 1, 0.001f);  // below 1/255: dropped
  EXPECT_EQ(tera::assemble_gaussians(maps, 11, 2, {l}, t, options).size(), 1u);
}

TEST(Assembly, QuaternionLayerIsNormalisedAndComposedWithTheFrame) {
  auto t = small_template();
  tera::LayerChannels l = angle_layer();
  l.rotation_is_quaternion = true;  // channels 10..13
  std::vector<float> maps(14 * 4, 0.f);
  set(maps, 10, 1, 2.f);  // (2, 0, 0, 2) -> 90 degrees about z after normalising
  set(maps, 13, 1, 2.f);
  tera::AssemblyOptions options;
  options.min_opacity = 0.f;
  const auto g = tera::assemble_gaussians(maps, 14, 2, {l}, t, options);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_NEAR(g.rotations[0], std::sqrt(0.5f), 1e-6);
  EXPECT_NEAR(g.rotations[3], std::sqrt(0.5f), 1e-6);
  // Texel 2 has a zero quaternion: treated as no local rotation, so its rotation is finite.
  for (int k = 4; k < 8; ++k) EXPECT_TRUE(std::isfinite(g.rotations[static_cast<std::size_t>(k)]));
}

TEST(Assembly, MapsOfTheWrongSizeAreModelErrors) {
  const auto t = small_template();
  EXPECT_THROW(tera::assemble_gaussians(std::vector<float>(10), 11, 2, {angle_layer()}, t, {}),
               tera::ModelError);
  EXPECT_THROW(tera::assemble_gaussians(std::vector<float>(11 * 9), 11, 3, {angle_layer()}, t, {}),
               tera::ModelError);
}

TEST(AvatarTemplate, RoundTripsAndDetectsCorruption) {
  tera::test::TempDir dir("template");
  const auto t = small_template();
  tera::write_avatar_template(t, dir / "t.bin");
  const auto r = tera::read_avatar_template(dir / "t.bin");
  EXPECT_EQ(r.resolution, 2);
  EXPECT_EQ(r.texel, t.texel);
  EXPECT_EQ(r.position, t.position);
  EXPECT_EQ(r.normal, t.normal);
  EXPECT_EQ(r.region, t.region);
  EXPECT_EQ(r.bone_names, t.bone_names);
  EXPECT_EQ(r.bone_tails, t.bone_tails);
  float frame[9];
  r.frame(1, frame);
  EXPECT_EQ(frame[2], 1.f);   // tangent z
  EXPECT_EQ(frame[6], -1.f);  // normal x
  // Flip one payload byte: the CRC-32 check names the header field.
  std::string bytes = tera::read_file(dir / "t.bin");
  bytes[60] ^= 1;
  std::ofstream(dir / "bad.bin", std::ios::binary) << bytes;
  try {
    tera::read_avatar_template(dir / "bad.bin");
    FAIL() << "corruption not detected";
  } catch (const tera::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("CRC-32"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "short.bin", std::ios::binary) << bytes.substr(0, 50);
  EXPECT_THROW(tera::read_avatar_template(dir / "short.bin"), tera::InputError);
}

TEST(Latent, RoundTripsBitExactlyAndRejectsTruncation) {
  tera::test::TempDir dir("latent");
  tera::Latent l{{2, 3, 4}, {}};
  for (int i = 0; i < 24; ++i) l.values.push_back(std::sin(static_cast<float>(i)) * 1e3f);
  tera::write_latent(dir / "a.latent", l);
  const auto r = tera::read_latent(dir / "a.latent");
  EXPECT_EQ(r.shape, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(r.values, l.values);
  EXPECT_EQ(std::filesystem::file_size(dir / "a.latent"),
            28u + 24u * 4u);  // header 28 bytes + float32 values
  const std::string bytes = tera::read_file(dir / "a.latent");
  std::ofstream(dir / "b.latent", std::ios::binary) << bytes.substr(0, bytes.size() - 1);
  EXPECT_THROW(tera::read_latent(dir / "b.latent"), tera::InputError);
  std::ofstream(dir / "c.latent", std::ios::binary) << bytes.substr(0, 20);  // ends inside the dims
  EXPECT_THROW(tera::read_latent(dir / "c.latent"), tera::InputError);
}

// What is not a latent file is named before it is read: an empty file, a header cut short, a FIFO
// (which would block the read) and a file larger than any package's latent (read whole first).
TEST(Latent, EmptyShortSpecialAndHugeFilesAreNamedBeforeReading) {
  tera::test::TempDir dir("latent");
  const auto refusal = [](const std::filesystem::path& path) {
    try {
      tera::read_latent(path);
    } catch (const tera::InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  std::ofstream(dir / "empty.latent").close();
  EXPECT_EQ(refusal(dir / "empty.latent"), (dir / "empty.latent").string() + ": empty (0 bytes)");
  std::ofstream(dir / "short.latent", std::ios::binary)
      << std::string("TERALATN\x01\0\0\0\x02\0", 14);
  EXPECT_NE(refusal(dir / "short.latent").find("at byte 14: the header is cut short"),
            std::string::npos)
      << refusal(dir / "short.latent");
  ASSERT_EQ(::mkfifo((dir / "fifo.latent").c_str(), 0600), 0);
  EXPECT_EQ(refusal(dir / "fifo.latent"), (dir / "fifo.latent").string() + ": not a regular file");
  EXPECT_EQ(refusal(dir / "none.latent"), (dir / "none.latent").string() + ": missing");
  std::ofstream(dir / "huge.latent").close();
  std::filesystem::resize_file(dir / "huge.latent", std::uintmax_t{1} << 30);  // sparse: no disk
  EXPECT_NE(refusal(dir / "huge.latent").find("1073741824 bytes, more than any model package"),
            std::string::npos)
      << refusal(dir / "huge.latent");
}

// A NaN or an infinity in a latent is a damaged file (a sampler never writes one): named with its
// byte, not left to fail later inside the decoder or the renderer.
TEST(Latent, NonFiniteValuesAreAnInputErrorNamingTheByte) {
  tera::test::TempDir dir("latent");
  for (const float bad : {std::nanf(""), INFINITY, -INFINITY}) {
    tera::Latent l{{2, 3}, {0.f, 1.f, 2.f, 3.f, 4.f, 5.f}};
    tera::write_latent(dir / "ok.latent", l);
    std::string bytes = tera::read_file(dir / "ok.latent");
    std::memcpy(&bytes[bytes.size() - 8], &bad, 4);  // value 4, at byte 24 + 16
    std::ofstream(dir / "bad.latent", std::ios::binary) << bytes;
    try {
      tera::read_latent(dir / "bad.latent");
      FAIL() << "accepted " << bad;
    } catch (const tera::InputError& e) {
      EXPECT_NE(
          std::string(e.what()).find("bad.latent: at byte 40: value 4 is not a finite number"),
          std::string::npos)
          << e.what();
    }
  }
}

TEST(Latent, EveryRankOneToFourRoundTrips) {
  tera::test::TempDir dir("latent");
  for (const std::vector<int>& shape : {std::vector<int>{5}, {8, 16}, {4, 8, 8}, {2, 1, 3, 2}}) {
    tera::Latent l{shape, {}};
    std::size_t n = 1;
    for (const int d : shape) n *= static_cast<std::size_t>(d);
    for (std::size_t i = 0; i < n; ++i) l.values.push_back(static_cast<float>(i) * 0.25f - 1.f);
    tera::write_latent(dir / "x.latent", l);
    EXPECT_EQ(std::filesystem::file_size(dir / "x.latent"), 16u + 4u * shape.size() + 4u * n)
        << tera::shape_text(shape);
    const auto r = tera::read_latent(dir / "x.latent", shape, "m");
    EXPECT_EQ(r.shape, shape);
    EXPECT_EQ(r.values, l.values);
  }
  EXPECT_EQ(tera::shape_text({8, 16}), "[8, 16]");
}

TEST(Latent, ShapeIsCheckedAgainstTheModel) {
  tera::test::TempDir dir("latent");
  tera::write_latent(dir / "t.latent", tera::Latent{{8, 16}, std::vector<float>(128, 0.5f)});
  // Same number of values, another shape: still refused.
  for (const std::vector<int>& expected : {std::vector<int>{16, 8}, {128}, {8, 16, 1}}) {
    try {
      tera::read_latent(dir / "t.latent", expected, "default");
      FAIL() << "accepted as " << tera::shape_text(expected);
    } catch (const tera::InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find((dir / "t.latent").string() +
                          ": latent shape [8, 16] does not match model 'default' (latent.shape " +
                          tera::shape_text(expected) + ")"),
                std::string::npos)
          << what;
    }
  }
}

TEST(Latent, RejectsBadRanksAndDimensions) {
  tera::test::TempDir dir("latent");
  tera::write_latent(dir / "ok.latent", tera::Latent{{2, 2}, {1.f, 2.f, 3.f, 4.f}});
  const std::string good = tera::read_file(dir / "ok.latent");
  const auto expect_error = [&](const std::string& name, std::string bytes,
                                const std::string& message) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
    try {
      tera::read_latent(dir / name);
      FAIL() << name << " accepted";
    } catch (const tera::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  std::string rank0 = good, rank5 = good, dim0 = good, extra = good;
  rank0[12] = 0;
  rank5[12] = 5;
  dim0[20] = 0;
  extra += std::string(4, '\0');
  expect_error("rank0.latent", rank0, "rank 0, expected 1..4");
  expect_error("rank5.latent", rank5, "rank 5, expected 1..4");
  expect_error("dim0.latent", dim0, "dimension 0 is out of range 1..65536");
  expect_error("extra.latent", extra,
               "shape [2, 2] needs 16 bytes of float32 values, found 20 bytes");
  // Four maximal dimensions would overflow a 64-bit count: refused as too short, not wrapped.
  std::string huge = good.substr(0, 12);
  for (const std::uint32_t v : {4u, 65536u, 65536u, 65536u, 65536u}) {
    for (int i = 0; i < 4; ++i) huge += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  expect_error("huge.latent", huge,
               "shape [65536, 65536, 65536, 65536] needs more float32 values than the file holds");
  EXPECT_THROW(tera::write_latent(dir / "w.latent", tera::Latent{{2, 3}, std::vector<float>(5)}),
               tera::Error);
  EXPECT_THROW(tera::write_latent(dir / "w.latent", tera::Latent{{}, {}}), tera::Error);
  EXPECT_THROW(tera::write_latent(dir / "w.latent", tera::Latent{{1, 1, 1, 1, 1}, {0.f}}),
               tera::Error);
}

}  // namespace
