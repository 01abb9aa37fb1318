// Masked latent inpainting; see include/tera/diffusion/inpainting.h.
#include "tera/diffusion/inpainting.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "tera/core/error.h"
#include "tera/core/rng.h"

namespace tera {
namespace {
// Separates the re-noising streams from initial_noise(seed), which is Rng(seed) itself.
constexpr std::uint64_t kRenoisingStream = 0x7265'6e6f'6973'6521ull;
// Golden-ratio step between the streams of consecutive steps (as SplitMix64 steps its state).
constexpr std::uint64_t kStepStride = 0x9E3779B97F4A7C15ull;
}  // namespace

std::vector<float> renoising_noise(std::uint64_t seed, int step, std::size_t row_size) {
  Rng rng((seed ^ kRenoisingStream) + kStepStride * static_cast<std::uint64_t>(step + 1));
  std::vector<float> noise(row_size);
  for (float& v : noise) v = rng.normal();
  return noise;
}

ConstrainFn hold_to_source(HeldLatent held) {
  const std::size_t rows = held.seeds.size();
  if (held.row_size == 0 || held.source.size() != rows * held.row_size ||
      held.held.size() != held.source.size()) {
    throw Error("hold_to_source: source holds " + std::to_string(held.source.size()) +
                " values and the mask " + std::to_string(held.held.size()) + " for " +
                std::to_string(rows) + " rows of " + std::to_string(held.row_size));
  }
  auto shared = std::make_shared<const HeldLatent>(std::move(held));
  return [shared](std::vector<float>& x, int step, double alpha_bar) {
    const HeldLatent& h = *shared;
    if (x.size() != h.source.size())
      throw Error("hold_to_source: the sampler's latent has " + std::to_string(x.size()) +
                  " values, the source " + std::to_string(h.source.size()));
    const bool clean = alpha_bar >= 1.0;  // after the last step: the source itself
    const double signal = std::sqrt(alpha_bar),
                 noise_scale = std::sqrt(std::max(0.0, 1.0 - alpha_bar));
    for (std::size_t r = 0; r < h.seeds.size(); ++r) {
      const std::size_t base = r * h.row_size;
      std::vector<float> noise;
      if (!clean) noise = renoising_noise(h.seeds[r], step, h.row_size);
      for (std::size_t k = 0; k < h.row_size; ++k) {
        if (!h.held[base + k]) continue;
        x[base + k] =
            clean ? h.source[base + k]
                  : static_cast<float>(signal * h.source[base + k] + noise_scale * noise[k]);
      }
    }
  };
}

}  // namespace tera
