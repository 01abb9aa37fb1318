// The renderer's public entry: one check of the inputs for every backend, then the backend.
#include <string>

#include "tera/core/error.h"
#include "tera/render/renderer.h"

namespace tera {
namespace {

void check_camera(const Camera& camera, std::size_t index) {
  const std::string name = "camera " + std::to_string(index) + ": ";
  if (camera.width <= 0 || camera.height <= 0) {
    throw Error(name + "image size must be positive, got " + std::to_string(camera.width) + "x" +
                std::to_string(camera.height));
  }
  if (!(camera.fx > 0.f) || !(camera.fy > 0.f)) {
    throw Error(name + "focal lengths fx, fy must be positive, got " + std::to_string(camera.fx) +
                ", " + std::to_string(camera.fy));
  }
  // A positive near plane keeps every depth positive, which both backends' depth sorts rely on.
  if (!(camera.near_plane > 0.f) || !(camera.far_plane > camera.near_plane)) {
    throw Error(name + "expected 0 < near_plane < far_plane, got near " +
                std::to_string(camera.near_plane) + ", far " + std::to_string(camera.far_plane));
  }
}

}  // namespace

std::vector<Image> Renderer::render(const GaussianSet& set, const std::vector<Camera>& cameras,
                                    const RenderOptions& options) {
  set.check_consistent();
  if (set.size() > max_gaussians()) {
    throw Error(std::string("the ") + device_name(device()) + " renderer takes at most " +
                std::to_string(max_gaussians()) + " Gaussians, got " + std::to_string(set.size()));
  }
  for (std::size_t c = 0; c < cameras.size(); ++c) check_camera(cameras[c], c);
  if (options.threads < 0) {
    throw UsageError("threads",
                     "must be 0 (all cores) or positive, got " + std::to_string(options.threads));
  }
  const std::lock_guard<std::mutex> lock(mutex_);
  return render_checked(set, cameras, options);
}

}  // namespace tera
