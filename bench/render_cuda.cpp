// CUDA renderer throughput: frames per second for 100k / 1M / 5M Gaussians (the test scene's random
// cloud, SH degree 3) at 512x512 and 1920x1080, one view per call and 36-view turntables in one
// call, plus the device memory the renderer holds. Each iteration is one Renderer::render() call,
// so the time includes uploading the Gaussians and downloading the float RGBA images.
//
//   ./bench_render_cuda --benchmark_counters_tabular=true
//
// Without a CUDA build or device every benchmark reports "no CUDA device".
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <vector>

#include "tera/core/device.h"
#include "tera/gaussians/test_scene.h"
#include "tera/render/camera.h"
#include "tera/render/renderer.h"

#ifdef TERA_HAVE_CUDA
#include "render/cuda/cuda_device.h"
#endif

namespace {

// Scenes are expensive to build (5M Gaussians), so each size is made once per process.
const tera::GaussianSet& cloud(std::size_t count) {
  static std::map<std::size_t, tera::GaussianSet> scenes;
  auto found = scenes.find(count);
  if (found == scenes.end()) {
    tera::TestSceneOptions options;
    options.kind = tera::TestSceneKind::kCloud;
    options.count = count;
    options.sh_degree = 3;  // the full 48-coefficient colour model: the heaviest realistic load
    found = scenes.emplace(count, tera::make_test_scene(options)).first;
  }
  return found->second;
}

// Free device memory in bytes, or 0 when it cannot be measured.
double free_device_bytes() {
#ifdef TERA_HAVE_CUDA
  return static_cast<double>(tera::cuda_memory_info().free_bytes);
#else
  return 0.0;
#endif
}

// Arguments: Gaussians, image width, image height, views per render() call.
void BM_CudaRender(benchmark::State& state) {
  if (!tera::cuda_available()) {
    state.SkipWithError("no CUDA device");
    return;
  }
  const auto count = static_cast<std::size_t>(state.range(0));
  const tera::GaussianSet& set = cloud(count);
  tera::OrbitOptions orbit;
  orbit.width = static_cast<int>(state.range(1));
  orbit.height = static_cast<int>(state.range(2));
  orbit.views = static_cast<int>(state.range(3));
  const std::vector<tera::Camera> cameras = tera::orbit_cameras(set, orbit);
  const tera::RenderOptions options;

  const double free_before = free_device_bytes();
  const std::unique_ptr<tera::Renderer> renderer = tera::make_renderer(tera::Device::kCuda);
  benchmark::DoNotOptimize(
      renderer->render(set, cameras, options));  // warm-up: allocations, module load
  const double held = free_before - free_device_bytes();

  // Wall-clock time (render() returns when the images are on the host), measured here so that the
  // rate does not depend on how the library accounts CPU time of a thread waiting for the GPU.
  double seconds = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<tera::Image> images = renderer->render(set, cameras, options);
    benchmark::DoNotOptimize(images.data());
    benchmark::ClobberMemory();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["frames_per_s"] =
      seconds > 0.0 ? static_cast<double>(state.iterations()) * orbit.views / seconds : 0.0;
  state.counters["device_MiB"] = held / (1024.0 * 1024.0);
  state.counters["gaussians"] = static_cast<double>(count);
}

void render_arguments(benchmark::internal::Benchmark* bench) {
  for (const long long count : {100000LL, 1000000LL, 5000000LL}) {
    for (const auto& size : {std::pair<long long, long long>{512, 512}, {1920, 1080}}) {
      for (const long long views : {1LL, 36LL})
        bench->Args({count, size.first, size.second, views});
    }
  }
}

BENCHMARK(BM_CudaRender)
    ->Apply(render_arguments)
    ->ArgNames({"gaussians", "width", "height", "views"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
