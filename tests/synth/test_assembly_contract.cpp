// The decoder is distilled from the teacher, so the runtime's assembly (libtera, decoder maps
// [K, R, R] + manifest channel layout) must turn the teacher's own maps into the same Gaussians as
// the teacher's assembly does. This pins the contract between tools/synth and src/decode.
#include <gtest/gtest.h>

#include <cmath>

#include "bake.h"
#include "support/test_support.h"
#include "synth_fixture.h"
#include "tera/decode/assembly.h"

namespace tera::synth {
namespace {

TEST(SynthAssemblyContract, RuntimeAssemblyOfTeacherMapsEqualsTheTeachersAssembly) {
  SYNTH_REQUIRE_ASSETS();
  const Template t = build_template(test::assets(), 256);
  const Baker baker(test::assets(), t);
  const BakedMaps baked = baker.bake(sample_attributes(31));
  const int r = t.resolution;
  const std::size_t m = t.texel_count();

  // The teacher's layout as a manifest would name it: 3 layers x 11 channels, alpha opacity,
  // in-plane angle rotation. Scatter the compact [L, M, C] maps into [K, R, R].
  std::vector<LayerChannels> layers;
  for (int l = 0; l < kMapLayers; ++l) {
    LayerChannels layer;
    layer.name = "layer" + std::to_string(l);
    const int base = l * kMapChannels;
    layer.offset = base + kOffset;
    layer.color = base + kColour;
    layer.opacity = base + kOpacity;
    layer.log_scale = base + kLogScale;
    layer.rotation = base + kAngle;
    layer.opacity_is_alpha = true;
    layers.push_back(layer);
  }
  const int k = kMapLayers * kMapChannels;
  std::vector<float> grid(static_cast<std::size_t>(k) * r * r, 0.f);
  for (int l = 0; l < kMapLayers; ++l) {
    for (std::size_t i = 0; i < m; ++i) {
      for (int c = 0; c < kMapChannels; ++c) {
        grid[static_cast<std::size_t>(l * kMapChannels + c) * r * r + t.texel[i]] = baked.at(l, i, m)[c];
      }
    }
  }
  const GaussianSet teacher = assemble_gaussians(t, baked);
  const GaussianSet runtime = tera::assemble_gaussians(grid, k, r, layers, t, AssemblyOptions{});

  ASSERT_EQ(runtime.size(), teacher.size());
  ASSERT_GT(teacher.size(), m);  // skin plus outer layers
  // Tolerances: both compute in float from the same inputs; 1e-5 m and 1e-5 absorb the
  // different association of the same sums and the quaternion-from-matrix branches.
  for (std::size_t g = 0; g < teacher.size(); ++g) {
    for (int a = 0; a < 3; ++a) {
      ASSERT_NEAR(runtime.positions[g * 3 + a], teacher.positions[g * 3 + a], 1e-5) << "Gaussian " << g;
      ASSERT_NEAR(runtime.log_scales[g * 3 + a], teacher.log_scales[g * 3 + a], 1e-6) << "Gaussian " << g;
      ASSERT_NEAR(runtime.sh[g * 3 + a], teacher.sh[g * 3 + a], 1e-5) << "Gaussian " << g;
    }
    ASSERT_NEAR(runtime.opacity_logits[g], teacher.opacity_logits[g], 1e-4) << "Gaussian " << g;
    const auto ra = tera::test::rotation_matrix(&runtime.rotations[g * 4]);
    const auto rb = tera::test::rotation_matrix(&teacher.rotations[g * 4]);
    for (int e = 0; e < 9; ++e) ASSERT_NEAR(ra[e], rb[e], 1e-5) << "Gaussian " << g;
  }
}

}  // namespace
}  // namespace tera::synth
