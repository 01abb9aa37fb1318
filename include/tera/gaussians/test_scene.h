// Procedural Gaussian scenes made by the project itself: the quick start renders one, tests and
// benchmarks use them. Deterministic for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tera/core/gaussian_set.h"

namespace tera {

enum class TestSceneKind {
  kFigure,  // a stylised standing figure (about 1.7 m, faces +Z, a red left arm) on a checked disc
  kCloud    // `count` random Gaussians in a unit ball: benchmark load
};

TestSceneKind parse_test_scene_kind(const std::string& text, const std::string& option);

struct TestSceneOptions {
  TestSceneKind kind = TestSceneKind::kFigure;
  std::size_t count = 100000;  // for kCloud; kFigure makes about 30k
  int sh_degree = 3;           // degree of the SH coefficients (view-dependent sheen on the figure)
  std::uint64_t seed = 1;
};

GaussianSet make_test_scene(const TestSceneOptions& options);

}  // namespace tera
