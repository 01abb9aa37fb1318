// Template invariants: anchors on the mesh, orthonormal frames, complete regions, file round trip.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "binary_io.h"
#include "support/test_support.h"
#include "synth_fixture.h"
#include "template.h"
#include "tera/core/error.h"
#include "vec3.h"

namespace tera::synth {
namespace {

// R = 256 is the smallest resolution the design allows and keeps the test fast.
const Template& template_256() {
  static const Template t = build_template(test::assets(), 256);
  return t;
}

TEST(SynthTemplate, EveryAnchorLiesOnItsTriangle) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = template_256();
  ASSERT_GT(t.texel_count(), 256u * 256u / 2u);  // the body's UV islands fill most of the square
  for (std::size_t i = 0; i < t.texel_count(); ++i) {
    Vec3 p{0, 0, 0};
    float sum = 0.f;
    for (int c = 0; c < 3; ++c) {
      const float b = t.barycentric[3 * i + c];
      ASSERT_GE(b, 0.f);
      sum += b;
      p = p + row3(t.vertices.data(), t.triangles[3 * t.triangle[i] + c]) * b;
    }
    ASSERT_NEAR(sum, 1.f, 1e-5f);
    // Interpolated in float: 1e-6 m is far below any edge length (millimetres).
    ASSERT_LT(length(p - row3(t.position.data(), i)), 1e-6f) << "texel " << i;
  }
}

TEST(SynthTemplate, FramesAreOrthonormalAndNormalsPointOutward) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = template_256();
  // Head texels: normals point away from the head's centre (the head is nearly convex).
  Vec3 head{0, 0, 0};
  std::size_t head_count = 0;
  for (std::size_t i = 0; i < t.texel_count(); ++i) {
    if (t.region[i] == static_cast<std::uint8_t>(Region::kScalp) ||
        t.region[i] == static_cast<std::uint8_t>(Region::kFace)) {
      head = head + row3(t.position.data(), i);
      ++head_count;
    }
  }
  ASSERT_GT(head_count, 0u);
  head = head * (1.f / static_cast<float>(head_count));
  std::size_t outward = 0, face = 0, face_forward = 0;
  for (std::size_t i = 0; i < t.texel_count(); ++i) {
    const Vec3 n = row3(t.normal.data(), i), a = row3(t.tangent.data(), i),
               b = row3(t.bitangent.data(), i);
    // Single-precision normalisation and cross products: 1e-4 tolerance.
    ASSERT_NEAR(length(n), 1.f, 1e-4f);
    ASSERT_NEAR(length(a), 1.f, 1e-4f);
    ASSERT_NEAR(length(b), 1.f, 1e-4f);
    ASSERT_NEAR(dot(n, a), 0.f, 1e-4f);
    ASSERT_NEAR(dot(n, b), 0.f, 1e-4f);
    ASSERT_NEAR(dot(a, b), 0.f, 1e-4f);
    ASSERT_GT(dot(cross(a, b), n), 0.99f);  // right-handed
    const bool is_head = t.region[i] == static_cast<std::uint8_t>(Region::kScalp) ||
                         t.region[i] == static_cast<std::uint8_t>(Region::kFace);
    if (is_head && dot(n, row3(t.position.data(), i) - head) > 0.f) ++outward;
    // The upper middle of the face (forehead, eyes, nose bridge) looks forward.
    const Vec3 p = row3(t.position.data(), i);
    if (t.region[i] == static_cast<std::uint8_t>(Region::kFace) && std::fabs(p[0]) < 0.03f &&
        p[1] > head[1] && p[2] > head[2]) {
      ++face;
      face_forward += n[2] > 0.f;
    }
  }
  // Ears, nostrils, lips and eye sockets fold inward; they are a small share of the head.
  EXPECT_GT(static_cast<double>(outward) / head_count, 0.85);
  ASSERT_GT(face, 50u);
  // Nostrils, the underside of the nose and the eye sockets face away; flipped normals would give
  // about 0.1 here.
  EXPECT_GT(static_cast<double>(face_forward) / face, 0.8);
}

TEST(SynthTemplate, RegionsCoverEveryTexelAndSitWhereTheyBelong) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = template_256();
  std::vector<double> mean_y(kRegionCount, 0.0);
  std::vector<std::size_t> count(kRegionCount, 0);
  for (std::size_t i = 0; i < t.texel_count(); ++i) {
    ASSERT_LT(t.region[i], kRegionCount);
    mean_y[t.region[i]] += t.position[3 * i + 1];
    ++count[t.region[i]];
    float w = 0.f;
    for (int k = 0; k < kTemplateInfluences; ++k) w += t.weights[kTemplateInfluences * i + k];
    ASSERT_NEAR(w, 1.f, 1e-5f);
  }
  for (int r = 0; r < kRegionCount; ++r) {
    ASSERT_GT(count[r], 100u) << region_name(static_cast<Region>(r));
    mean_y[r] /= static_cast<double>(count[r]);
  }
  // Mean heights order the body from top to bottom (the mesh spans about -0.83 to 0.83 m).
  EXPECT_GT(mean_y[0], mean_y[2]);  // scalp above upper body
  EXPECT_GT(mean_y[1], mean_y[2]);  // face above upper body
  EXPECT_GT(mean_y[2], mean_y[4]);  // upper above lower body
  EXPECT_GT(mean_y[4], mean_y[5]);  // lower body above feet
  EXPECT_LT(mean_y[5], -0.7);
  EXPECT_GT(mean_y[1], 0.6);
}

TEST(SynthTemplate, FileRoundTripIsExactAndCorruptionIsDetected) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = template_256();
  tera::test::TempDir dir("synth_template");
  const auto path = (dir / "template.bin").string();
  write_template(t, path);
  const Template back = read_template(path);
  EXPECT_EQ(back.resolution, 256);
  EXPECT_EQ(back.texel, t.texel);
  EXPECT_EQ(back.position, t.position);
  EXPECT_EQ(back.region, t.region);
  EXPECT_EQ(back.bone_names, t.bone_names);
  EXPECT_EQ(back.weights, t.weights);
  auto bytes = read_file_bytes(path);
  bytes[bytes.size() - 5] ^= 0x01;
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  EXPECT_THROW(read_template(path), InputError);
}

}  // namespace
}  // namespace tera::synth
