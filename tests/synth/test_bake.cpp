// Baking: determinism per seed, local effect of an attribute change, assembly and coverage.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "bake.h"
#include "dataset.h"
#include "support/test_support.h"
#include "surface_fill.h"
#include "synth_fixture.h"

namespace tera::synth {
namespace {

const Template& bake_template() {
  static const Template t = build_template(test::assets(), 256);  // the design's smallest R
  return t;
}

TEST(SynthBake, SameSeedGivesIdenticalMapsAndOtherSeedsDiffer) {
  SYNTH_REQUIRE_ASSETS();
  const Baker baker(test::assets(), bake_template());
  const BakedMaps a = baker.bake(sample_attributes(11));
  const BakedMaps b = baker.bake(sample_attributes(11));
  const BakedMaps c = baker.bake(sample_attributes(12));
  EXPECT_EQ(a.values, b.values);
  EXPECT_NE(a.values, c.values);
}

TEST(SynthBake, TopColourChangesOnlyUpperBodyAndArmGarmentTexels) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = bake_template();
  const Baker baker(test::assets(), t);
  Attributes a = sample_attributes(21);
  a.outfit = "male_casualsuit01";
  a.top_pattern = "plain";
  a.top_colour = "red";
  a.bottom_colour = "blue";
  Attributes b = a;
  b.top_colour = "green";
  const BakedMaps x = baker.bake(a), y = baker.bake(b);
  const std::size_t m = t.texel_count();
  std::size_t changed = 0, outside = 0;
  for (int layer = 0; layer < kMapLayers; ++layer) {
    for (std::size_t i = 0; i < m; ++i) {
      const float* p = x.at(layer, i, m);
      const float* q = y.at(layer, i, m);
      bool differs = false;
      for (int c = 0; c < kMapChannels; ++c) differs = differs || p[c] != q[c];
      if (!differs) continue;
      ++changed;
      const bool upper = t.region[i] == static_cast<std::uint8_t>(Region::kUpperBody) ||
                         t.region[i] == static_cast<std::uint8_t>(Region::kArms);
      if (layer != 1 || !upper) ++outside;
    }
  }
  EXPECT_GT(changed, 1000u);  // a shirt covers thousands of texels
  EXPECT_EQ(outside, 0u) << "texels changed outside the garment layer of the upper body and arms";
}

TEST(SynthBake, EveryBakedGaussianIsLabelledWithThePartItShows) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = bake_template();
  const Baker baker(test::assets(), t);
  Attributes a = sample_attributes(31);
  a.gender = 0.9f;
  a.hair_style = "short02";
  a.facial_hair = "beard";
  a.glasses = "round";
  a.hat = true;
  const BakedMaps maps = baker.bake(a);
  const std::size_t m = t.texel_count();
  std::map<int, std::size_t> count[kMapLayers];
  for (int layer = 0; layer < kMapLayers; ++layer) {
    for (std::size_t i = 0; i < m; ++i) {
      const float* v = maps.at(layer, i, m);
      const int part = static_cast<int>(v[kPart]);
      ASSERT_EQ(static_cast<float>(part), v[kPart]) << "labels are whole numbers";
      if (v[kOpacity] > 0.f) {
        ASSERT_NE(part, static_cast<int>(TeacherPart::kNone))
            << "an opaque Gaussian without a label, layer " << layer;
      } else if (part != static_cast<int>(TeacherPart::kSkin)) {
        ASSERT_EQ(part, static_cast<int>(TeacherPart::kNone))
            << "only hidden skin keeps a label at opacity 0";
      }
      if (v[kOpacity] > 0.f) ++count[layer][part];
      const bool head = t.region[i] == static_cast<std::uint8_t>(Region::kFace) ||
                        t.region[i] == static_cast<std::uint8_t>(Region::kScalp);
      if (part == static_cast<int>(TeacherPart::kGlasses) ||
          part == static_cast<int>(TeacherPart::kFacialHair)) {
        EXPECT_TRUE(head || t.region[i] == static_cast<std::uint8_t>(Region::kUpperBody))
            << "face extras stay on the head and neck";
      }
    }
  }
  const auto n = [&](int layer, TeacherPart p) { return count[layer][static_cast<int>(p)]; };
  EXPECT_EQ(count[0].size(), 1u);              // the skin layer holds skin only
  EXPECT_GT(n(0, TeacherPart::kSkin), 5000u);  // head, neck and hands alone are thousands of texels
  EXPECT_GT(n(1, TeacherPart::kTop), 1000u);   // a garment covers thousands of texels
  EXPECT_GT(n(1, TeacherPart::kBottom), 1000u);
  EXPECT_GT(n(1, TeacherPart::kShoes), 100u);
  EXPECT_EQ(n(1, TeacherPart::kHair) + n(1, TeacherPart::kHat) + n(1, TeacherPart::kGlasses) +
                n(1, TeacherPart::kSkin),
            0u);
  EXPECT_GT(n(2, TeacherPart::kHat), 100u);
  EXPECT_GT(n(2, TeacherPart::kGlasses), 10u);
  EXPECT_GT(n(2, TeacherPart::kFacialHair), 10u);
  EXPECT_EQ(n(2, TeacherPart::kSkin), 0u);
  a.hat = false;
  a.glasses = "none";
  a.facial_hair = "none";
  const BakedMaps bare = baker.bake(a);
  for (std::size_t i = 0; i < m; ++i) {
    const int part = static_cast<int>(bare.at(2, i, m)[kPart]);
    ASSERT_TRUE(part != static_cast<int>(TeacherPart::kHat) &&
                part != static_cast<int>(TeacherPart::kGlasses) &&
                part != static_cast<int>(TeacherPart::kFacialHair))
        << "texel " << i << " is labelled " << part
        << " on an avatar without hat, glasses or beard";
  }
}

// A slot must hold the same point of a garment or of the hair on similar bodies, or no compact
// latent can reproduce the maps: the fill plan (and rest-body slot choice) makes the filled
// Gaussians follow the body smoothly, as the ray-cast ones do.
TEST(SynthBake, FilledSlotsHoldTheSamePointOfTheMeshOnSimilarBodies) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = bake_template();
  const Baker baker(test::assets(), t);
  Attributes a = sample_attributes(41);
  a.hair_style = "ponytail01";  // long hair hanging down the back: mostly filled, not ray cast
  a.hat = false;
  Attributes b = a;
  b.weight = a.weight > 0.5f ? a.weight - 0.2f : a.weight + 0.2f;
  b.height = a.height > 0.5f ? a.height - 0.2f : a.height + 0.2f;
  const BakedMaps x = baker.bake(a), y = baker.bake(b);
  const std::size_t m = t.texel_count();
  std::size_t both = 0, near = 0;
  for (std::size_t i = 0; i < m; ++i) {
    const float* p = x.at(2, i, m);
    const float* q = y.at(2, i, m);
    if (p[kPart] != static_cast<float>(TeacherPart::kHair) ||
        q[kPart] != static_cast<float>(TeacherPart::kHair))
      continue;
    if (p[kOpacity] <= 0.f || q[kOpacity] <= 0.f) continue;
    const auto filled = [](const float* g) {
      return std::fabs(std::max(g[kLogScale], g[kLogScale + 1]) - std::log(kFillSigma)) < 1e-3f;
    };
    if (!filled(p) && !filled(q)) continue;  // ray-cast slots follow the body by construction
    ++both;
    // The hair point relative to the skin of its texel: what stays when the body changes shape.
    const float* ps = x.at(0, i, m);
    const float* qs = y.at(0, i, m);
    float d2 = 0.f;
    for (int k = 0; k < 3; ++k)
      d2 += ((p[k] - ps[k]) - (q[k] - qs[k])) * ((p[k] - ps[k]) - (q[k] - qs[k]));
    near +=
        d2 <
        0.01f *
            0.01f;  // 1 cm: the hair's own thickness changes by millimetres between these bodies
  }
  ASSERT_GT(both, 300u);  // a ponytail's hanging part is hundreds of filled slots
  std::printf(
      "filled hair slots shown on both bodies: %zu, within 1 cm relative to the skin: %.4f\n", both,
      static_cast<double>(near) / static_cast<double>(both));
  // 45 %: measured 63 % with the plan; without it (each body's own greedy nearest free slot) 19 %.
  // The bodies differ by 0.2 in weight and height, far more than neighbouring training avatars.
  EXPECT_GT(static_cast<double>(near) / static_cast<double>(both), 0.45) << near << " of " << both;
}

TEST(SynthBake, AssembledAvatarIsFiniteHumanSizedAndCoversItsSurface) {
  SYNTH_REQUIRE_ASSETS();
  const Template& t = bake_template();
  const Baker baker(test::assets(), t);
  BakeReport report;
  const BakedMaps maps = baker.bake(sample_attributes(8), &report);
  GaussianSet set = assemble_gaussians(t, maps);
  EXPECT_EQ(set.drop_non_finite(), 0u);
  ASSERT_GT(set.size(), t.texel_count());  // skin plus outer layers
  const Bounds b = set.bounds();
  EXPECT_GT(b.max[1] - b.min[1], 1.4f);  // adult heights: 1.4 .. 2.2 m
  EXPECT_LT(b.max[1] - b.min[1], 2.2f);
  const auto covered = covered_points(report.dressed_points, set, 0.003f, true);
  // 97 %: the design's coverage goal, overall and per part. Without nearest-anchor filling this
  // avatar's hair is covered at 88 % (inner cards and hair beside the shoulders reach no texel ray)
  // and the whole at 96.7 %; with it every part is above 98.5 %, so 97 % leaves room for noise.
  EXPECT_GT(coverage_share(covered, report.point_part, 0), 0.99);
  EXPECT_GT(coverage_share(covered, report.point_part, 1), 0.97);
  EXPECT_GT(coverage_share(covered, report.point_part, 2), 0.97);
  EXPECT_GT(coverage_share(covered, report.point_part, -1), 0.97);
  EXPECT_GT(report.filled_gaussians, 0u);
}

TEST(SynthDataset, GenerationIsDeterministicAndResumable) {
  SYNTH_REQUIRE_ASSETS();
  tera::test::TempDir dir("synth_dataset");
  DatasetOptions o;
  o.out_dir = (dir / "a").string();
  o.count = 3;
  o.seed = 5;
  o.shard_size = 2;
  o.threads = 2;
  const auto first = generate_dataset(test::assets(), o);
  EXPECT_EQ(first.baked, 3u);
  const auto again = generate_dataset(test::assets(), o);  // everything present: nothing to do
  EXPECT_EQ(again.baked, 0u);
  EXPECT_EQ(again.skipped, 3u);
  const BakedMaps stored = read_shard_avatar(o.out_dir + "/shards/shard-00001.bin", 0);  // avatar 2
  const Baker baker(test::assets(), bake_template());
  const BakedMaps fresh = baker.bake(sample_attributes(avatar_seed(5, 2)));
  ASSERT_EQ(stored.values.size(), fresh.values.size());
  for (std::size_t i = 0; i < fresh.values.size(); ++i) {
    // Stored as float16: relative error 2^-11 (plus a tiny absolute term near zero).
    ASSERT_NEAR(stored.values[i], fresh.values[i], std::fabs(fresh.values[i]) / 2048.f + 1e-7f)
        << i;
  }
}

}  // namespace
}  // namespace tera::synth
