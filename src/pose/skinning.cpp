// Linear blend skinning on the CPU; see include/tera/pose/skinning.h.
#include "tera/pose/skinning.h"

#include <algorithm>

#include "core/parallel.h"
#include "tera/core/error.h"
#include "tera/pose/skin_kernel.h"

namespace tera {

GaussianSkin gaussian_skin(const AvatarTemplate& templ, const GaussianOrigins& origins) {
  static_assert(skin::kInfluences == kTemplateInfluences,
                "the kernel blends the template's influences");
  const std::size_t n = origins.size();
  GaussianSkin skin;
  skin.bones.resize(n * 4);
  skin.weights.resize(n * 4);
  for (std::size_t g = 0; g < n; ++g) {
    const std::size_t texel = origins.texel[g];
    if (texel >= templ.texel_count()) {
      throw ModelError("skinning: Gaussian " + std::to_string(g) + " comes from texel " +
                       std::to_string(texel) + ", but the template has " +
                       std::to_string(templ.texel_count()));
    }
    std::copy_n(&templ.bones[texel * 4], 4, &skin.bones[g * 4]);
    std::copy_n(&templ.weights[texel * 4], 4, &skin.weights[g * 4]);
  }
  return skin;
}

void skin_gaussians(const GaussianSet& rest, const GaussianSkin& skin,
                    const BoneTransforms& transforms, GaussianSet& posed,
                    const SkinningOptions& options) {
  if (options.device == Device::kCuda)
    throw UsageError("device", "cuda was asked for, but posing runs on the CPU in this build");
  const std::size_t n = rest.size();
  rest.check_consistent();
  if (skin.size() != n || skin.bones.size() != 4 * n) {
    throw Error("skin_gaussians: " + std::to_string(skin.size()) + " skin entries for " +
                std::to_string(n) + " Gaussians");
  }
  const int bones = transforms.size();
  if (n > 0 && *std::max_element(skin.bones.begin(), skin.bones.end()) >= bones) {
    const auto bad = std::find_if(skin.bones.begin(), skin.bones.end(),
                                  [&](std::uint16_t b) { return b >= bones; });
    throw Error("skin_gaussians: bone index " + std::to_string(*bad) + " but the pose has " +
                std::to_string(bones));
  }
  const bool in_place = &posed == &rest;
  if (!in_place) {
    // Sized here, filled by the workers: the unchanged channels are copied chunk by chunk in
    // parallel.
    posed.sh_degree = rest.sh_degree;
    posed.positions.resize(rest.positions.size());
    posed.rotations.resize(rest.rotations.size());
    posed.log_scales.resize(rest.log_scales.size());
    posed.opacity_logits.resize(rest.opacity_logits.size());
    posed.sh.resize(rest.sh.size());
  }
  const std::size_t sh_per_gaussian = n > 0 ? rest.sh.size() / n : 0;
  constexpr std::size_t kMinPerThread = 8192;  // below this a thread costs more than it saves
  const int threads = workers_for(n / kMinPerThread, options.threads);
  const auto work = [&](std::size_t begin, std::size_t end) {
    if (!in_place) {
      std::copy(rest.log_scales.begin() + 3 * begin, rest.log_scales.begin() + 3 * end,
                posed.log_scales.begin() + 3 * begin);
      std::copy(rest.opacity_logits.begin() + begin, rest.opacity_logits.begin() + end,
                posed.opacity_logits.begin() + begin);
      std::copy(rest.sh.begin() + sh_per_gaussian * begin, rest.sh.begin() + sh_per_gaussian * end,
                posed.sh.begin() + sh_per_gaussian * begin);
    }
    for (std::size_t g = begin; g < end; ++g) {
      skin::skin_gaussian(
          &rest.positions[3 * g], &rest.rotations[4 * g], &skin.bones[4 * g], &skin.weights[4 * g],
          transforms.rotation.data(), transforms.quaternion.data(), transforms.translation.data(),
          transforms.identity.data(), &posed.positions[3 * g], &posed.rotations[4 * g]);
    }
  };
  const std::size_t chunk =
      (n + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads);
  run_workers(threads, [&](int worker) {
    const std::size_t begin = std::min(n, static_cast<std::size_t>(worker) * chunk);
    work(begin, std::min(n, begin + chunk));
  });
}

}  // namespace tera
