#include <array>
#include <cmath>
#include <gtest/gtest.h>

#include "support/test_support.h"
#include "tera/core/error.h"
#include "tera/core/frame.h"

namespace tera {
namespace {

// Real SH basis of the 3DGS reference code (constants and signs), evaluated independently here.
std::array<double, 16> sh_basis(double x, double y, double z) {
  const double c1 = 0.4886025119029199;
  const double c2[] = {1.0925484305920792, -1.0925484305920792, 0.31539156525252005,
                       -1.0925484305920792, 0.5462742152960396};
  const double c3[] = {-0.5900435899266435, 2.890611442640554,   -0.4570457994644658,
                       0.3731763325901154,  -0.4570457994644658, 1.445305721320277,
                       -0.5900435899266435};
  const double xx = x * x, yy = y * y, zz = z * z;
  return {0.28209479177387814,
          -c1 * y,
          c1 * z,
          -c1 * x,
          c2[0] * x * y,
          c2[1] * y * z,
          c2[2] * (2 * zz - xx - yy),
          c2[3] * x * z,
          c2[4] * (xx - yy),
          c3[0] * y * (3 * xx - yy),
          c3[1] * x * y * z,
          c3[2] * y * (4 * zz - xx - yy),
          c3[3] * z * (2 * zz - 3 * xx - 3 * yy),
          c3[4] * x * (4 * zz - xx - yy),
          c3[5] * z * (xx - yy),
          c3[6] * x * (xx - 3 * yy)};
}

TEST(Frame, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(parse_frame("ydown", "--frame"), Frame::kYDown);
  EXPECT_EQ(parse_frame("yup", "--frame"), Frame::kYUp);
  EXPECT_EQ(parse_frame("auto", "--frame"), Frame::kAuto);
  try {
    parse_frame("up", "--frame");
    FAIL() << "expected a UsageError";
  } catch (const UsageError& error) {
    EXPECT_NE(std::string(error.what()).find("--frame"), std::string::npos);
  }
}

TEST(Frame, RotationAboutXIsItsOwnInverse) {
  const GaussianSet original = test::random_gaussians(20, 3, 11);
  GaussianSet set = original;
  rotate_180_about_x(set);
  EXPECT_NE(set.positions, original.positions);
  rotate_180_about_x(set);
  for (std::size_t i = 0; i < set.positions.size(); ++i)
    EXPECT_FLOAT_EQ(set.positions[i], original.positions[i]);
  for (std::size_t i = 0; i < set.sh.size(); ++i) EXPECT_FLOAT_EQ(set.sh[i], original.sh[i]);
  // q and -q are the same rotation; twice 180 degrees is 360, which gives -q.
  for (std::size_t i = 0; i < set.rotations.size(); ++i)
    EXPECT_FLOAT_EQ(set.rotations[i], -original.rotations[i]);
}

TEST(Frame, ShSignsPerBandForTheTurnAboutX) {
  // Worked out by hand from the basis polynomials: (y, z) -> (-y, -z), x kept.
  const float want[16] = {1,                          // l = 0
                          -1, -1, 1,                  // l = 1: y, z, x
                          -1, 1,  1,  -1, 1,          // l = 2: xy, yz, 3z^2-1, xz, x^2-y^2
                          -1, 1,  -1, -1, 1, -1, 1};  // l = 3
  for (int l = 0, k = 0; l <= 3; ++l) {
    for (int m = -l; m <= l; ++m, ++k)
      EXPECT_EQ(sh_sign_180_about_x(l, m), want[k]) << "l " << l << " m " << m;
  }
}

TEST(Frame, RotationMovesPositionsRotatesAxesAndKeepsColourPerWorldDirection) {
  const GaussianSet original = test::random_gaussians(8, 3, 12);
  GaussianSet set = original;
  rotate_180_about_x(set);
  for (std::size_t i = 0; i < set.size(); ++i) {
    EXPECT_FLOAT_EQ(set.positions[i * 3 + 0], original.positions[i * 3 + 0]);
    EXPECT_FLOAT_EQ(set.positions[i * 3 + 1], -original.positions[i * 3 + 1]);
    EXPECT_FLOAT_EQ(set.positions[i * 3 + 2], -original.positions[i * 3 + 2]);
    // The new local axes are the old ones turned 180 degrees about X: R' = Rx(180) R.
    const auto r = test::rotation_matrix(&original.rotations[i * 4]);
    const auto r2 = test::rotation_matrix(&set.rotations[i * 4]);
    for (int col = 0; col < 3; ++col) {
      EXPECT_NEAR(r2[0 * 3 + col], r[0 * 3 + col], 1e-5);  // 1e-5: float quaternion rounding
      EXPECT_NEAR(r2[1 * 3 + col], -r[1 * 3 + col], 1e-5);
      EXPECT_NEAR(r2[2 * 3 + col], -r[2 * 3 + col], 1e-5);
    }
    // The colour seen along direction d before equals the colour seen along Rx(180) d after.
    for (const auto& d :
         {std::array<double, 3>{0.3, -0.5, 0.81}, std::array<double, 3>{-0.9, 0.1, 0.42}}) {
      const double n = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      const auto before = sh_basis(d[0] / n, d[1] / n, d[2] / n);
      const auto after = sh_basis(d[0] / n, -d[1] / n, -d[2] / n);
      for (int ch = 0; ch < 3; ++ch) {
        double c0 = 0, c1 = 0;
        for (int k = 0; k < 16; ++k) {
          c0 += before[k] * original.sh[(i * 16 + k) * 3 + ch];
          c1 += after[k] * set.sh[(i * 16 + k) * 3 + ch];
        }
        EXPECT_NEAR(c0, c1, 1e-5);  // 1e-5: float coefficients summed in double
      }
    }
  }
}

TEST(Frame, ConvertIsIdentityForTheSameFrameAndRejectsAuto) {
  const GaussianSet original = test::random_gaussians(4, 0, 13);
  GaussianSet set = original;
  convert_frame(set, Frame::kYUp, Frame::kYUp);
  EXPECT_EQ(set.positions, original.positions);
  convert_frame(set, Frame::kYUp, Frame::kYDown);
  EXPECT_FLOAT_EQ(set.positions[0], original.positions[0]);
  EXPECT_FLOAT_EQ(set.positions[1], -original.positions[1]);
  EXPECT_FLOAT_EQ(set.positions[2], -original.positions[2]);
  EXPECT_THROW(convert_frame(set, Frame::kAuto, Frame::kYUp), Error);
}

// A .ply is read into y-up and written back to y-down: every number must come back bit for bit,
// the quaternions too (turning twice by (0,1,0,0) would have negated them).
TEST(Frame, ConvertingThereAndBackIsExact) {
  const GaussianSet original = test::random_gaussians(50, 2, 17);
  GaussianSet set = original;
  convert_frame(set, Frame::kYDown, Frame::kYUp);
  EXPECT_NE(set.rotations, original.rotations);
  convert_frame(set, Frame::kYUp, Frame::kYDown);
  EXPECT_EQ(set.positions, original.positions);
  EXPECT_EQ(set.rotations, original.rotations);
  EXPECT_EQ(set.sh, original.sh);
}

}  // namespace
}  // namespace tera
