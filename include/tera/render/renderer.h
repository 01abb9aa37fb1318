// The rasterizer interface. Two backends (CPU in src/render/cpu, CUDA in src/render/cuda) with the
// same numerics; make_renderer() is the one place that chooses between them.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "tera/core/device.h"
#include "tera/core/gaussian_set.h"
#include "tera/render/camera.h"
#include "tera/render/image.h"

namespace tera {

// Numerics shared by every backend, as the reference 3DGS rasterizer has them (so renders match).
namespace render_constants {
constexpr int kTileSize = 16;             // 16x16 pixel tiles
constexpr float kDilation = 0.3f;         // px^2 added to the 2D covariance diagonal (EWA low-pass)
constexpr float kExtentSigmas = 3.f;      // a Gaussian's screen footprint is 3 sigma
constexpr float kMinAlpha = 1.f / 255.f;  // contributions below this are skipped
constexpr float kMaxAlpha = 0.99f;        // alpha is clamped to this
constexpr float kMinTransmittance = 1e-4f;  // a pixel stops blending below this
}  // namespace render_constants

struct RenderOptions {
  std::array<float, 3> background{1.f, 1.f, 1.f};  // composited behind the Gaussians
  int threads = 0;                                 // CPU worker threads; 0 = all cores
};

class Renderer {
 public:
  virtual ~Renderer() = default;
  // Renders one RGBA image per camera. RGB is composited over options.background;
  // alpha = 1 - final transmittance. Inputs are checked here, the same way for every backend:
  // the set's arrays agree (GaussianSet::check_consistent) and hold at most max_gaussians(); every
  // camera has a positive image size and focal lengths and 0 < near < far (tera::Error naming the
  // camera); options.threads >= 0 (UsageError for the parameter "threads"). Calls are serialised:
  // one renderer may be shared between threads and renders one call at a time (the CPU backend
  // keeps scratch memory between calls, the CUDA backend its device buffers).
  std::vector<Image> render(const GaussianSet& set, const std::vector<Camera>& cameras,
                            const RenderOptions& options);
  virtual Device device() const = 0;
  // The most Gaussians one call takes (the backend's index width).
  virtual std::size_t max_gaussians() const = 0;
  // How many views a turntable hands over per call: the CPU backend renders one view at a time
  // anyway, so it takes one (and progress is reported per view); a GPU backend batches them all.
  virtual std::size_t views_per_call() const = 0;

 protected:
  // The backend's work, called by render() with checked inputs, one call at a time.
  virtual std::vector<Image> render_checked(const GaussianSet& set,
                                            const std::vector<Camera>& cameras,
                                            const RenderOptions& options) = 0;

 private:
  std::mutex mutex_;
};

// The single device dispatch point (src/render/dispatch.cpp).
// True when this build has the CUDA backend and a CUDA device is present at run time.
bool cuda_available();
// kAuto -> kCuda when cuda_available(), else kCpu. Asking for kCuda without CUDA throws UsageError
// for the parameter "device", saying how to build with CUDA when the build has no CUDA backend.
Device resolve_device(Device requested);
// The renderer of a device (resolved as above).
std::unique_ptr<Renderer> make_renderer(Device device);

}  // namespace tera
