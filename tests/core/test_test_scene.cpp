#include <gtest/gtest.h>

#include "tera/core/error.h"
#include "tera/gaussians/test_scene.h"

namespace tera {
namespace {

TEST(TestScene, FigureIsDeterministicUprightAndAboutHumanSized) {
  TestSceneOptions options;
  const GaussianSet a = make_test_scene(options), b = make_test_scene(options);
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_EQ(a.sh, b.sh);
  EXPECT_GT(a.size(), 20000u);
  EXPECT_EQ(a.sh_degree, 3);
  const Bounds bounds = a.bounds();
  EXPECT_NEAR(bounds.min[1], 0.f, 0.01f);    // stands on the ground disc at y = 0
  EXPECT_NEAR(bounds.max[1], 1.81f, 0.03f);  // top of the hair: 1.69 + 0.125
  GaussianSet copy = a;
  EXPECT_EQ(copy.drop_non_finite(), 0u);
  options.seed = 2;
  EXPECT_NE(make_test_scene(options).positions, a.positions);
}

TEST(TestScene, CloudHasTheRequestedCountInsideTheBall) {
  TestSceneOptions options;
  options.kind = TestSceneKind::kCloud;
  options.count = 5000;
  options.sh_degree = 1;
  const GaussianSet set = make_test_scene(options);
  ASSERT_EQ(set.size(), 5000u);
  for (std::size_t i = 0; i < set.size(); ++i) {
    const float* p = &set.positions[i * 3];
    ASSERT_LE(p[0] * p[0] + p[1] * p[1] + p[2] * p[2], 0.75f * 0.75f + 1e-5f);
  }
  EXPECT_THROW(parse_test_scene_kind("cube", "--kind"), UsageError);
}

}  // namespace
}  // namespace tera
