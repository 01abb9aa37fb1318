// Even spacing of interpolation steps: the grid choice and the displacement it measures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tera/core/error.h"
#include "tera/generate/path_spacing.h"

namespace {

using Indices = std::vector<std::size_t>;

// even_grid_indices where the length between two grid points is the sum of the intervals between.
Indices even_grid_indices(const std::vector<double>& increments, int steps) {
  return tera::even_grid_indices(
      [&](std::size_t i, std::size_t j) {
        double sum = 0.0;
        for (std::size_t k = i; k < j; ++k) sum += increments[k];
        return sum;
      },
      increments.size(), steps);
}

// Lengths of the chosen steps given the grid's interval lengths.
std::vector<double> step_lengths(const std::vector<double>& increments, const Indices& chosen) {
  std::vector<double> lengths;
  for (std::size_t k = 1; k < chosen.size(); ++k) {
    double sum = 0.0;
    for (std::size_t i = chosen[k - 1]; i < chosen[k]; ++i) sum += increments[i];
    lengths.push_back(sum);
  }
  return lengths;
}

TEST(PathSpacing, SteadyMotionKeepsTheEvenGrid) {
  const std::vector<double> increments(32, 0.5);
  EXPECT_EQ(even_grid_indices(increments, 5), (Indices{0, 8, 16, 24, 32}));
}

TEST(PathSpacing, SlowAndFastHalvesGetStepsByLength) {
  // The first half of the path moves 3 times as far per grid interval as the second: of 4 steps
  // over a total length of 16 * 3 + 16 = 64, the first half takes 3.
  std::vector<double> increments(32, 1.0);
  std::fill(increments.begin(), increments.begin() + 16, 3.0);
  const Indices chosen = even_grid_indices(increments, 5);
  EXPECT_EQ(chosen[3], 16u);  // where the motion slows down
  const auto lengths = step_lengths(increments, chosen);
  EXPECT_LE(*std::max_element(lengths.begin(), lengths.end()) /
                *std::min_element(lengths.begin(), lengths.end()),
            1.2);  // 18/15: the fast half's 48 does not split into whole intervals of 16
}

TEST(PathSpacing, AJumpGetsAStepOfItsOwn) {
  // 8 steps of 16 grid intervals that move 1 each, and one interval (a type switch) that jumps 20:
  // linear spacing gives steps of 16 and one of 35 (2.2x); even spacing puts both ends of the
  // jump on chosen points and spreads the 128 of smooth motion over the 7 other steps.
  std::vector<double> increments(128, 1.0);
  increments[40] = 20.0;
  const Indices chosen = even_grid_indices(increments, 9);
  ASSERT_EQ(chosen.size(), 9u);
  EXPECT_EQ(chosen.front(), 0u);
  EXPECT_EQ(chosen.back(), 128u);
  EXPECT_TRUE(std::find(chosen.begin(), chosen.end(), 40u) != chosen.end());
  EXPECT_TRUE(std::find(chosen.begin(), chosen.end(), 41u) != chosen.end());
  const auto lengths = step_lengths(increments, chosen);
  const double ratio = *std::max_element(lengths.begin(), lengths.end()) /
                       *std::min_element(lengths.begin(), lengths.end());
  EXPECT_LT(ratio, 1.35);  // 20 against 127/7 = 18.1 at best, 21 against 17 by the grid's steps
  const auto linear = step_lengths(increments, {0, 16, 32, 48, 64, 80, 96, 112, 128});
  EXPECT_GT(*std::max_element(linear.begin(), linear.end()) / 16.0, 2.0);  // what it mends
}

TEST(PathSpacing, NoMotionKeepsTheEvenGrid) {
  EXPECT_EQ(even_grid_indices(std::vector<double>(12, 0.0), 4), (Indices{0, 4, 8, 12}));
}

TEST(PathSpacing, StillStretchesAreNotGivenEmptySteps) {
  // Motion only in the middle third: every step still moves (no step of length 0).
  std::vector<double> increments(48, 0.0);
  std::fill(increments.begin() + 16, increments.begin() + 32, 1.0);
  const auto lengths = step_lengths(increments, even_grid_indices(increments, 5));
  for (const double length : lengths) EXPECT_GT(length, 0.0);
}

TEST(PathSpacing, UsesTheLengthBetweenPointsNotTheSumOfIntervals) {
  // 8 intervals that move 1 each; interval 5 holds a jump that moves it 2 more, but a longer step
  // across it moves 1.5 less than its smooth motion (the jump goes against the motion there). For
  // 2 steps the intervals' sums would choose point 5 (5 and 5, really 5 and 1.5); the lengths
  // choose 3 (3 and 3.5).
  const auto length = [](std::size_t i, std::size_t j) {
    const double smooth = static_cast<double>(j - i);
    if (!(i <= 5 && j > 5)) return smooth;
    return j - i == 1 ? smooth + 2.0 : smooth - 1.5;
  };
  EXPECT_EQ(tera::even_grid_indices(length, 8, 3), (Indices{0, 3, 8}));
}

TEST(PathSpacing, RejectsTooFewIntervalsAndBadLengths) {
  EXPECT_THROW(even_grid_indices(std::vector<double>(2, 1.0), 5), tera::Error);
  EXPECT_THROW(even_grid_indices(std::vector<double>(4, 1.0), 1), tera::Error);
  EXPECT_THROW(even_grid_indices({1.0, -1.0, 1.0}, 2), tera::Error);
  EXPECT_THROW(tera::even_grid_indices([](std::size_t, std::size_t) { return NAN; }, 4, 3),
               tera::Error);
}

TEST(PathSpacing, ParsesItsNames) {
  EXPECT_EQ(tera::parse_path_spacing("even", "--spacing"), tera::PathSpacing::kEven);
  EXPECT_EQ(tera::parse_path_spacing("linear", "--spacing"), tera::PathSpacing::kLinear);
  try {
    tera::parse_path_spacing("spherical", "--spacing");
    FAIL() << "accepted 'spherical'";
  } catch (const tera::UsageError& e) {
    EXPECT_STREQ(e.what(), "--spacing: expected even or linear, got 'spherical'");
  }
}

TEST(PathSpacing, DisplacementMatchesGaussiansByTexelAndLayer) {
  tera::GaussianSet a, b;
  a.resize(3, 0);
  b.resize(3, 0);
  // a: (layer 0, texel 1) at x = 0; (0, 2) at x = 0; (1, 1) at x = 0.
  a.positions = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  const tera::GaussianOrigins ao{{1, 2, 1}, {0, 0, 1}};
  // b, in another order: (1, 1) moved 3 along z; (0, 1) moved 4 along y; (0, 5) only in b.
  b.positions = {0, 0, 3, 0, 4, 0, 9, 9, 9};
  const tera::GaussianOrigins bo{{1, 1, 5}, {1, 0, 0}};
  EXPECT_DOUBLE_EQ(tera::mean_shared_displacement(a, ao, b, bo), 3.5);  // (3 + 4) / 2
  const tera::GaussianOrigins none{{7, 8, 9}, {0, 0, 0}};
  EXPECT_DOUBLE_EQ(tera::mean_shared_displacement(a, ao, b, none), 0.0);
  EXPECT_THROW(tera::mean_shared_displacement(a, tera::GaussianOrigins{{1}, {0}}, b, bo),
               tera::Error);
}

// Even spacing needs 4 grid points a step out of 256: up to 65 steps (256 / 64 = 4) it is even,
// from 66 (256 / 65 = 3) linear, which is what avatar.json then records.
TEST(PathSpacing, EvenFallsBackToLinearFrom66Steps) {
  using tera::PathSpacing;
  EXPECT_EQ(tera::spacing_used(PathSpacing::kEven, 9), PathSpacing::kEven);
  EXPECT_EQ(tera::spacing_used(PathSpacing::kEven, 65), PathSpacing::kEven);
  EXPECT_EQ(tera::spacing_used(PathSpacing::kEven, 66), PathSpacing::kLinear);
  EXPECT_EQ(tera::spacing_used(PathSpacing::kLinear, 9), PathSpacing::kLinear);
  EXPECT_EQ(tera::spacing_used(PathSpacing::kEven, 2), PathSpacing::kEven) << "the ends alone";
}

}  // namespace
