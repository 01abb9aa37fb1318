// Parsers of the MakeHuman formats: base mesh, targets, proxies, rig; macro weighting.
#include <gtest/gtest.h>

#include <cmath>

#include "half.h"
#include "human.h"
#include "synth_fixture.h"
#include "tera/core/error.h"

namespace tera::synth {
namespace {

using test::assets;

TEST(SynthHalf, RoundTripsRepresentableValuesAndRoundsToNearest) {
  for (float v : {0.f, 1.f, -2.5f, 0.000061035156f, 65504.f, 0.0001f}) {
    const float back = half_to_float(float_to_half(v));
    // binary16 has an 11-bit significand: relative error <= 2^-11 for normal values.
    EXPECT_NEAR(back, v, std::fabs(v) * (1.f / 2048.f) + 1e-7f) << v;
  }
  EXPECT_EQ(float_to_half(1.f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.f), 0xc000);
  EXPECT_TRUE(std::isinf(half_to_float(float_to_half(1e6f))));
}

TEST(SynthParsers, BaseMeshBodyGroupHasTheDocumentedSize) {
  SYNTH_REQUIRE_ASSETS();
  const BodyMesh& body = assets().body;
  EXPECT_EQ(body.full_count(), 19158u);
  EXPECT_EQ(body.body_count(), 13380u);
  EXPECT_EQ(body.quad_count(), 13378u);
  float lo = 1e9f, hi = -1e9f;
  for (std::size_t i = 0; i < body.body_count(); ++i) {
    const float y = body.rest_full[3 * body.body_to_full[i] + 1];
    lo = std::min(lo, y);
    hi = std::max(hi, y);
  }
  // About 16.6 decimetres tall, converted to metres (1 cm slack for rounding of the README).
  EXPECT_NEAR(hi - lo, 1.66f, 0.01f);
}

TEST(SynthParsers, ApplyingOneTargetReproducesItsFileOffsetsExactly) {
  SYNTH_REQUIRE_ASSETS();
  const auto paths = find_shared_paths(test::shared_dir());
  const std::size_t n = assets().body.full_count();
  const Target target =
      read_target(paths.data + "/targets/head/head-age-incr.target", "head/head-age-incr", n);
  ASSERT_GT(target.indices.size(), 1000u);
  std::vector<float> zero(n * 3, 0.f);
  apply_target(target, 1.f, zero);
  // On a zero mesh, weight 1 must give exactly the file's offsets (decimetres * 0.1) and leave
  // every other vertex untouched.
  std::vector<char> touched(n, 0);
  for (std::size_t i = 0; i < target.indices.size(); ++i) {
    touched[target.indices[i]] = 1;
    for (int k = 0; k < 3; ++k)
      EXPECT_EQ(zero[3 * target.indices[i] + k], target.offsets[3 * i + k]);
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (!touched[v]) {
      for (int k = 0; k < 3; ++k) ASSERT_EQ(zero[3 * v + k], 0.f);
    }
  }
  // The first data line of the file is "0 .002 -.003 -.001" (decimetres).
  ASSERT_EQ(target.indices[0], 0u);
  EXPECT_FLOAT_EQ(target.offsets[0], 0.0002f);
  EXPECT_FLOAT_EQ(target.offsets[1], -0.0003f);
}

TEST(SynthParsers, MalformedTargetLineNamesFileAndLine) {
  const std::string path = ::testing::TempDir() + "/bad.target";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("# comment\n0 0.1 0.2 0.3\n5 zero 1 2\n", f);
  std::fclose(f);
  try {
    read_target(path, "bad", 10);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_target(path, "bad", 3), InputError);  // vertex 5 would also be out of range
}

TEST(SynthMacro, UniversalTargetWeightsFormAPartitionOfUnity) {
  SYNTH_REQUIRE_ASSETS();
  Rng rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    MacroParams p;
    p.gender = rng.uniform();
    p.age_years = rng.uniform(18.f, 90.f);
    p.muscle = rng.uniform();
    p.weight = rng.uniform();
    double sum = 0.0;
    for (const auto& t : assets().targets) {
      const auto base = t.name.substr(t.name.find_last_of('/') + 1);
      if (base.rfind("universal-", 0) == 0) sum += macro_target_weight(base, p);
    }
    // Every factor's weights sum to 1, so the products over all combinations do too.
    EXPECT_NEAR(sum, 1.0, 1e-5);
  }
}

TEST(SynthMacro, AgeAnchorsFollowMakeHuman) {
  MacroParams p;
  p.gender = 1.f;
  p.age_years = 25.f;
  EXPECT_FLOAT_EQ(macro_target_weight("universal-male-young-averagemuscle-averageweight", p), 1.f);
  p.age_years = 90.f;
  EXPECT_FLOAT_EQ(macro_target_weight("universal-male-old-averagemuscle-averageweight", p), 1.f);
  p.age_years = 57.5f;  // halfway between 25 and 90
  EXPECT_NEAR(macro_target_weight("universal-male-old-averagemuscle-averageweight", p), 0.5f,
              1e-6f);
  EXPECT_FLOAT_EQ(makehuman_age_value(1.f), 0.f);
  EXPECT_FLOAT_EQ(makehuman_age_value(25.f), 0.5f);
  p.age_years = 18.f;  // between child (11) and young (25)
  const float young = macro_target_weight("universal-male-young-averagemuscle-averageweight", p);
  const float child = macro_target_weight("universal-male-child-averagemuscle-averageweight", p);
  EXPECT_NEAR(young + child, 1.f, 1e-3f);  // 5.333 ~ 1/0.1875 leaves ~1e-4 of slack
  EXPECT_GT(young, 0.f);
  EXPECT_EQ(macro_target_weight("universal-male-young-averagemuscle-averageweight-bogus", p), 0.f);
}

TEST(SynthParsers, SkinWeightsAreTopFourAndNormalised) {
  SYNTH_REQUIRE_ASSETS();
  const auto& w = assets().weights;
  const auto& body = assets().body;
  for (std::size_t i = 0; i < body.body_count(); ++i) {
    const auto v = static_cast<std::size_t>(body.body_to_full[i]);
    float sum = 0.f;
    for (int k = 0; k < kSkinInfluences; ++k) {
      sum += w.weights[v * kSkinInfluences + k];
      if (k > 0) {
        ASSERT_LE(w.weights[v * kSkinInfluences + k], w.weights[v * kSkinInfluences + k - 1]);
      }
    }
    ASSERT_NEAR(sum, 1.f, 1e-5f) << "body vertex " << i;  // float sum of 4 terms
  }
  EXPECT_EQ(assets().skeleton.bones.size(), 163u);
  EXPECT_EQ(assets().skeleton.bones[0].parent, -1);
}

}  // namespace
}  // namespace tera::synth
