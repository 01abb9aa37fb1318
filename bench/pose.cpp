// Posing Gaussians on the CPU: linear blend skinning of N Gaussians with the default package's
// rig and MakeHuman's run01 pose (the template's own skin weights, cycled over N).
//
//   bench_pose --benchmark_repetitions=3
//
// Arguments: Gaussians, threads. "Time" is wall-clock per posing; "CPU" the process's CPU time.
// Without models/default/template.bin or data/poses/makehuman.json it reports an error and skips.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "tera/core/rng.h"
#include "tera/pose/pose_library.h"
#include "tera/pose/skinned_avatar.h"

namespace {

namespace fs = std::filesystem;

// The source tree: bench binaries live in build/bench/.
fs::path source_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return exe.parent_path() / ".." / "..";
}

void BM_PoseGaussians(benchmark::State& state) {
  const fs::path templ_path = source_dir() / "models/default/template.bin";
  const fs::path library_path = source_dir() / "data/poses/makehuman.json";
  if (!fs::is_regular_file(templ_path) || !fs::is_regular_file(library_path)) {
    state.SkipWithError("needs models/default/template.bin and data/poses/makehuman.json");
    return;
  }
  const tera::AvatarTemplate templ = tera::read_avatar_template(templ_path);
  const auto n = static_cast<std::size_t>(state.range(0));
  tera::GaussianSet rest;
  rest.resize(n, 0);
  tera::GaussianOrigins origins;
  tera::Rng rng(7);
  for (std::size_t g = 0; g < n; ++g) {
    const std::size_t t = g % templ.texel_count();
    for (std::size_t k = 0; k < 3; ++k)
      rest.positions[3 * g + k] = templ.position[3 * t + k] + rng.uniform(-0.01f, 0.01f);
    origins.texel.push_back(static_cast<std::uint32_t>(t));
    origins.layer.push_back(static_cast<std::uint8_t>(g / templ.texel_count() % 3));
  }
  const tera::SkinnedAvatar avatar(rest, origins, templ);
  const auto library = tera::read_pose_library(library_path);
  const tera::Pose pose = tera::pose_on_skeleton(*library.find("run01"), avatar.skeleton);
  const tera::SkinningOptions options{tera::Device::kCpu, static_cast<int>(state.range(1))};
  tera::GaussianSet posed;
  for (auto _ : state) {
    tera::skin_gaussians(avatar.rest, avatar.skin, tera::forward_kinematics(avatar.skeleton, pose),
                         posed, options);
    benchmark::DoNotOptimize(posed.positions.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(n));
}

}  // namespace

BENCHMARK(BM_PoseGaussians)
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
