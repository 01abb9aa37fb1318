// Frame time of the CPU renderer on scene-like random clouds.
//
//   bench_render_cpu --benchmark_repetitions=3
//
// Arguments of each case: Gaussians, image side in pixels, worker threads. "Time" is wall-clock
// time per frame; "CPU" is the CPU time of the whole process (all workers) per frame, which on a
// busy machine tells how much work a frame is when wall-clock time is inflated by other load.
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <random>

#include "tera/core/gaussian_set.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"

namespace {

constexpr float kPi = 3.14159265358979323846f;

// A cloud shaped like a captured object: 90% of the Gaussians lie on the surfaces of a few dozen
// random ellipsoids inside a 1.5 m box (as splats sit on surfaces in a real scene), 10% float in
// the volume. Sizes are log-uniform from 2 mm to 2 cm with one flattened axis, opacities spread
// like a trained scene's (many faint ones), colours in SH degree 3 with weak higher bands.
tera::GaussianSet scene_like_cloud(std::size_t count) {
  constexpr int kBlobs = 40;         // surfaces in the scene
  constexpr float kHalfBox = 0.75f;  // the scene spans 1.5 m
  constexpr float kSurfaceShare = 0.9f;
  std::mt19937 rng(20251121);
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  std::normal_distribution<float> normal(0.f, 1.f);
  struct Blob {
    float centre[3], radii[3];
  };
  std::vector<Blob> blobs(kBlobs);
  for (Blob& blob : blobs) {
    for (int a = 0; a < 3; ++a) {
      blob.radii[a] = 0.08f + 0.25f * unit(rng);
      blob.centre[a] = (2.f * unit(rng) - 1.f) * (kHalfBox - blob.radii[a]);
    }
  }
  tera::GaussianSet set;
  set.resize(count, 3);
  const int k3 = set.sh_coeffs() * 3;
  for (std::size_t i = 0; i < count; ++i) {
    float* p = &set.positions[i * 3];
    if (unit(rng) < kSurfaceShare) {
      const Blob& blob = blobs[i % kBlobs];
      float d[3] = {normal(rng), normal(rng), normal(rng)};
      const float norm = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]) + 1e-12f;
      for (int a = 0; a < 3; ++a) p[a] = blob.centre[a] + blob.radii[a] * d[a] / norm;
    } else {
      for (int a = 0; a < 3; ++a) p[a] = (2.f * unit(rng) - 1.f) * kHalfBox;
    }
    const float size = std::log(0.002f) + unit(rng) * std::log(10.f);  // 2 mm .. 2 cm
    set.log_scales[i * 3 + 0] = size;
    set.log_scales[i * 3 + 1] = size + 0.5f * normal(rng);
    set.log_scales[i * 3 + 2] = size - 1.5f;  // flattened, like a surface splat
    const float angle = kPi * unit(rng);
    float axis[3] = {normal(rng), normal(rng), normal(rng)};
    const float axis_norm =
        std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]) + 1e-12f;
    set.rotations[i * 4 + 0] = std::cos(0.5f * angle);
    for (int a = 0; a < 3; ++a)
      set.rotations[i * 4 + 1 + a] = std::sin(0.5f * angle) * axis[a] / axis_norm;
    set.opacity_logits[i] = -2.f + 7.f * unit(rng);  // sigmoid: 0.12 .. 0.99
    for (int k = 0; k < k3; ++k) set.sh[i * k3 + k] = (k < 3 ? 1.2f : 0.15f) * normal(rng);
  }
  return set;
}

const tera::GaussianSet& cached_cloud(std::size_t count) {
  static std::map<std::size_t, tera::GaussianSet> clouds;
  auto found = clouds.find(count);
  if (found == clouds.end()) found = clouds.emplace(count, scene_like_cloud(count)).first;
  return found->second;
}

void BM_RenderCpu(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const int side = static_cast<int>(state.range(1));
  const tera::GaussianSet& set = cached_cloud(count);
  tera::OrbitOptions orbit;
  orbit.views = 1;
  orbit.width = side;
  orbit.height = side;
  orbit.start_azimuth_degrees = 30.f;
  const std::vector<tera::Camera> cameras = tera::orbit_cameras(set, orbit);
  tera::RenderOptions options;
  options.threads = static_cast<int>(state.range(2));
  const auto renderer = tera::make_renderer(tera::Device::kCpu);
  for (auto _ : state) {
    std::vector<tera::Image> images = renderer->render(set, cameras, options);
    benchmark::DoNotOptimize(images.data());
  }
  state.counters["gaussians"] = static_cast<double>(count);
}

}  // namespace

BENCHMARK(BM_RenderCpu)
    ->ArgNames({"gaussians", "side", "threads"})
    ->ArgsProduct({{100000, 1000000}, {512, 1024}, {1, 2}})
    ->UseRealTime()
    ->MeasureProcessCPUTime()  // CPU time of all workers, not only the calling thread
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
