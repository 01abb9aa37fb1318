// Linear blend skinning of Gaussians: each Gaussian follows the skin weights of the template texel
// it was assembled from. Centres move by the blended bone transforms, covariances turn by the
// rotation part of the blended transform, colour (SH), opacity and scales do not change.
// The per-Gaussian work is tera::skin::skin_gaussian (skin_kernel.h), shared with a future CUDA
// backend behind the same call.
#pragma once

#include <cstdint>
#include <vector>

#include "tera/core/device.h"
#include "tera/core/gaussian_set.h"
#include "tera/decode/assembly.h"
#include "tera/decode/avatar_template.h"
#include "tera/pose/skeleton.h"

namespace tera {

struct GaussianSkin {
  std::vector<std::uint16_t> bones;  // [N, 4] bone indices
  std::vector<float> weights;        // [N, 4] skin weights, sum 1 (0 for unused influences)
  std::size_t size() const { return weights.size() / 4; }
};

// Looks up the template skin weights of every Gaussian. Throws ModelError when an origin names a
// texel the template does not have.
GaussianSkin gaussian_skin(const AvatarTemplate& templ, const GaussianOrigins& origins);

struct SkinningOptions {
  Device device = Device::kCpu;  // kCpu (kAuto means kCpu until a CUDA backend exists)
  int threads = 1;               // CPU threads; 0 = all cores. The result does not depend on it.
};

// posed = rest with every Gaussian skinned by `transforms` (from forward_kinematics). posed may be
// the same object as rest. Throws Error when the sizes disagree or a bone index is out of range,
// UsageError for an unavailable device.
void skin_gaussians(const GaussianSet& rest, const GaussianSkin& skin,
                    const BoneTransforms& transforms, GaussianSet& posed,
                    const SkinningOptions& options = {});

}  // namespace tera
