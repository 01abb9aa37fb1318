// The rasterizer interface. Two backends (CPU in src/render/cpu, CUDA in src/render/cuda) with the
// same numerics; make_renderer() is the one place that chooses between them.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "tera/core/device.h"
#include "tera/core/gaussian_set.h"
#include "tera/render/camera.h"
#include "tera/render/image.h"

namespace tera {

// Numerics shared by every backend and the ecosystem (DESIGN.md section 6).
namespace render_constants {
constexpr int kTileSize = 16;                     // 16x16 pixel tiles
constexpr float kDilation = 0.3f;                 // px^2 added to the 2D covariance diagonal (EWA low-pass)
constexpr float kExtentSigmas = 3.f;              // a Gaussian's screen footprint is 3 sigma
constexpr float kMinAlpha = 1.f / 255.f;          // contributions below this are skipped
constexpr float kMaxAlpha = 0.99f;                // alpha is clamped to this
constexpr float kMinTransmittance = 1e-4f;        // a pixel stops blending below this
}  // namespace render_constants

struct RenderOptions {
  std::array<float, 3> background{1.f, 1.f, 1.f};  // composited behind the Gaussians
  int threads = 0;                                  // CPU worker threads; 0 = all cores
};

class Renderer {
 public:
  virtual ~Renderer() = default;
  // Renders one RGBA image per camera. RGB is composited over options.background;
  // alpha = 1 - final transmittance.
  virtual std::vector<Image> render(const GaussianSet& set, const std::vector<Camera>& cameras,
                                    const RenderOptions& options) = 0;
  virtual Device device() const = 0;
};

// The single device dispatch point: kAuto picks CUDA when available, else the CPU renderer.
std::unique_ptr<Renderer> make_renderer(Device device);

}  // namespace tera
