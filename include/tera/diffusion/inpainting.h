// Masked latent inpainting: some entries of the latent are re-generated, the others are held to a
// source latent. Before every sampler step the held entries are replaced by the source noised to
// that step's noise level, x_t = sqrt(alpha-bar) * source + sqrt(1 - alpha-bar) * noise, so the
// denoiser sees the kept parts as it would in a sample that contains them; after the last step
// they are set to the source exactly. The noise comes from tera::Rng seeded by the row's seed and
// the step, so an edit with the same seed and settings gives the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tera/diffusion/sampler.h"

namespace tera {

// Held entries of a batch of latents, each row `row_size` numbers.
struct HeldLatent {
  std::size_t row_size = 0;
  std::vector<float> source;  // [B * row_size] the latents held to (any value where not held)
  std::vector<char> held;     // [B * row_size] 1: held to source, 0: sampled
  std::vector<std::uint64_t> seeds;  // [B] seed of each row's re-noising
};

// The re-noising noise of one row at one sampler step: row_size standard normals. Its stream
// differs from initial_noise(seed) and from every other step's.
std::vector<float> renoising_noise(std::uint64_t seed, int step,
                                   std::size_t row_size);  // [row_size]

// The constraint run_sampler applies; throws Error when the sizes disagree.
ConstrainFn hold_to_source(HeldLatent held);

}  // namespace tera
