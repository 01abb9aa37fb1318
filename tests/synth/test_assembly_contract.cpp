// The decoder is distilled from the teacher, and the teacher's maps become Gaussians through the
// library's assembly (tools/synth calls tera::assemble_gaussians with its channel layout). This
// pins that contract against the formula of docs/template-format.md ("Using it"), computed here
// directly from the teacher's compact [L, M, C] maps: every texel with alpha >= 1/255 is one
// Gaussian, in layer-major texel order, at anchor + frame * offset, with rotation columns
// (a, normal x a, normal) where a = cos(angle) tangent + sin(angle) bitangent.
#include <gtest/gtest.h>

#include <cmath>

#include "bake.h"
#include "support/test_support.h"
#include "synth_fixture.h"
#include "tera/core/parameterisation.h"

namespace tera::synth {
namespace {

TEST(SynthAssemblyContract, TeacherMapsBecomeGaussiansByTheTemplateFormula) {
  SYNTH_REQUIRE_ASSETS();
  const Template t = build_template(test::assets(), 256);
  const Baker baker(test::assets(), t);
  const BakedMaps baked = baker.bake(sample_attributes(31));
  const std::size_t m = t.texel_count();

  const GaussianSet assembled = assemble_gaussians(t, baked);
  std::size_t expected_count = 0, g = 0;
  for (int l = 0; l < kMapLayers; ++l) {
    for (std::size_t i = 0; i < m; ++i) {
      const float* v = baked.at(l, i, m);
      if (v[kOpacity] < 1.f / 255.f) continue;
      ++expected_count;
      ASSERT_LT(g, assembled.size());
      const float* tan = &t.tangent[3 * i];
      const float* bit = &t.bitangent[3 * i];
      const float* nor = &t.normal[3 * i];
      const float ca = std::cos(v[kAngle]), sa = std::sin(v[kAngle]);
      const float a[3] = {ca * tan[0] + sa * bit[0], ca * tan[1] + sa * bit[1],
                          ca * tan[2] + sa * bit[2]};
      const float b[3] = {nor[1] * a[2] - nor[2] * a[1], nor[2] * a[0] - nor[0] * a[2],
                          nor[0] * a[1] - nor[1] * a[0]};
      const auto r = tera::test::rotation_matrix(&assembled.rotations[g * 4]);  // row-major 3x3
      for (int k = 0; k < 3; ++k) {
        const float position = t.position[3 * i + k] + tan[k] * v[kOffset] +
                               bit[k] * v[kOffset + 1] + nor[k] * v[kOffset + 2];
        ASSERT_NEAR(assembled.positions[3 * g + k], position, 1e-5)
            << "layer " << l << " texel " << i;
        ASSERT_NEAR(assembled.log_scales[3 * g + k], v[kLogScale + k], 1e-6)
            << "layer " << l << " texel " << i;
        ASSERT_NEAR(assembled.sh[3 * g + k], (v[kColour + k] - 0.5f) / kShC0, 1e-5)
            << "layer " << l << " texel " << i;
        ASSERT_NEAR(r[3 * k + 0], a[k], 1e-5) << "layer " << l << " texel " << i;
        ASSERT_NEAR(r[3 * k + 1], b[k], 1e-5) << "layer " << l << " texel " << i;
        ASSERT_NEAR(r[3 * k + 2], nor[k], 1e-5) << "layer " << l << " texel " << i;
      }
      ASSERT_NEAR(assembled.opacity_logits[g], opacity_logit_from_alpha(v[kOpacity]), 1e-4)
          << "layer " << l << " texel " << i;
      ++g;
    }
  }
  EXPECT_EQ(assembled.size(), expected_count);
  EXPECT_GT(expected_count, m);  // skin plus outer layers
}

}  // namespace
}  // namespace tera::synth
