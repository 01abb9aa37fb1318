// The three TorchScript networks of a model package behind a LibTorch-free interface (plain
// vectors in and out), so only networks.cpp compiles against LibTorch.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tera/core/device.h"
#include "tera/model/manifest.h"

namespace tera {

class Networks {
 public:
  // Loads the modules onto `device`, already resolved (kCpu or kCuda; see Generator), and checks
  // every shape with a batch-2 dry run; throws ModelError naming the module file and the manifest
  // field, UsageError for the parameter "device" when kCuda is not usable. threads > 0 sets
  // LibTorch's intra-op CPU threads.
  static std::unique_ptr<Networks> load(const ModelManifest& manifest, Device device, int threads);
  // Whether this build's LibTorch can run the modules on a CUDA device here.
  static bool cuda_usable();
  virtual ~Networks() = default;

  // tokens, mask: [B, L] int64. Keeps the text context on the device for the following
  // denoise() calls (the batch size B of denoise must match).
  virtual void set_context(const std::vector<std::int64_t>& tokens,
                           const std::vector<std::int64_t>& mask, int batch) = 0;
  // x: [B, ...latent.shape] (e.g. [B, T, C]) float32 at training timestep t (same for the whole
  // batch) -> the same shape. The latent is opaque here: only the manifest's shape is checked.
  virtual std::vector<float> denoise(const std::vector<float>& x, int timestep) = 0;
  // z: [B, ...latent.shape] -> maps [B, K, R, R].
  virtual std::vector<float> decode(const std::vector<float>& z, int batch) = 0;
  // The decoder's reach: its optional buffers latent_low and latent_high [...latent.shape], the
  // range of the training latents per coordinate (infinite where none is held), as float32
  // vectors of latent.size(); both empty when the decoder carries none (docs/model-package.md).
  virtual const std::vector<float>& reach_low() const = 0;
  virtual const std::vector<float>& reach_high() const = 0;
  // The device the modules run on (kCpu or kCuda).
  virtual Device device() const = 0;
};

}  // namespace tera
