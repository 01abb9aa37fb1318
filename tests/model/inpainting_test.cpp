// Masked inpainting (tera/diffusion/inpainting.h) with an analytic denoiser: held entries end at
// the source bit for bit, the denoiser sees them re-noised to each step's level, and nothing held
// changes nothing.
#include <gtest/gtest.h>

#include <cmath>

#include "tera/core/error.h"
#include "tera/core/rng.h"
#include "tera/diffusion/inpainting.h"

namespace {

constexpr std::size_t kRow = 8;  // latent numbers per row: two "tokens" of 4

tera::NoiseSchedule schedule() {
  tera::ScheduleSpec
      spec;  // scaled_linear, 1000 steps, eps prediction, trailing: the default package's kind
  return tera::make_schedule(spec);
}

// An eps-predicting stand-in for a denoiser that couples every entry to every other one (as the
// token denoiser's attention does), so held entries influence the sampled ones.
std::vector<float> coupled_model(const std::vector<float>& x, int t) {
  std::vector<float> out(x.size());
  for (std::size_t r = 0; r < x.size() / kRow; ++r) {
    double mean = 0.0;
    for (std::size_t k = 0; k < kRow; ++k) mean += x[r * kRow + k];
    mean /= kRow;
    for (std::size_t k = 0; k < kRow; ++k) {
      out[r * kRow + k] = static_cast<float>(0.4 * x[r * kRow + k] + 0.3 * mean +
                                             0.05 * std::sin(0.01 * t + static_cast<double>(k)));
    }
  }
  return out;
}

std::vector<float> start_noise(std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t k = 0; k < n; ++k)
    x[k] = static_cast<float>(std::cos(1.3 * static_cast<double>(k) + 0.2));
  return x;
}

tera::HeldLatent first_token_held(std::size_t rows) {
  tera::HeldLatent held;
  held.row_size = kRow;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < kRow; ++k) {
      held.source.push_back(
          static_cast<float>(0.25 * static_cast<double>(k) - 0.5 + static_cast<double>(r)));
      held.held.push_back(k < 4 ? 1 : 0);
    }
    held.seeds.push_back(40 + r);
  }
  return held;
}

TEST(Inpainting, HeldEntriesEndAtTheSourceExactlyWithBothSamplers) {
  const auto s = schedule();
  for (const auto kind : {tera::SamplerKind::kDdim, tera::SamplerKind::kDpmSolverPP2M}) {
    const tera::HeldLatent held = first_token_held(2);
    const auto plain = tera::run_sampler(s, kind, 10, start_noise(2 * kRow), coupled_model);
    const auto result = tera::run_sampler(s, kind, 10, start_noise(2 * kRow), coupled_model, {},
                                          tera::hold_to_source(held));
    int sampled_changed = 0;
    for (std::size_t k = 0; k < result.size(); ++k) {
      if (held.held[k]) {
        EXPECT_EQ(result[k], held.source[k]) << tera::sampler_name(kind) << " k=" << k;
      } else {
        // The sampled entries saw the held ones (through the coupling), so they differ from a plain
        // sample.
        sampled_changed += result[k] != plain[k] ? 1 : 0;
      }
    }
    EXPECT_EQ(sampled_changed, 8) << tera::sampler_name(kind);
  }
}

TEST(Inpainting, TheDenoiserSeesHeldEntriesReNoisedToEachStep) {
  const auto s = schedule();
  const tera::HeldLatent held = first_token_held(1);
  const std::vector<int> timesteps = tera::sampling_timesteps(s.num_train_steps(), 6, s.spacing);
  int step = 0;
  const tera::DenoiseFn spy = [&](const std::vector<float>& x, int t) {
    EXPECT_EQ(t, timesteps[static_cast<std::size_t>(step)]);
    const double ab = s.alphas_cumprod[static_cast<std::size_t>(t)];
    const std::vector<float> noise = tera::renoising_noise(held.seeds[0], step, kRow);
    for (std::size_t k = 0; k < 4; ++k) {
      const float expected =
          static_cast<float>(std::sqrt(ab) * held.source[k] + std::sqrt(1.0 - ab) * noise[k]);
      EXPECT_EQ(x[k], expected) << "step " << step << " k=" << k;
    }
    ++step;
    return coupled_model(x, t);
  };
  tera::run_sampler(s, tera::SamplerKind::kDpmSolverPP2M, 6, start_noise(kRow), spy, {},
                    tera::hold_to_source(held));
  EXPECT_EQ(step, 6);
}

TEST(Inpainting, NothingHeldIsThePlainSamplerBitForBit) {
  const auto s = schedule();
  tera::HeldLatent none = first_token_held(1);
  std::fill(none.held.begin(), none.held.end(), 0);
  const auto plain =
      tera::run_sampler(s, tera::SamplerKind::kDpmSolverPP2M, 8, start_noise(kRow), coupled_model);
  const auto masked = tera::run_sampler(s, tera::SamplerKind::kDpmSolverPP2M, 8, start_noise(kRow),
                                        coupled_model, {}, tera::hold_to_source(none));
  EXPECT_EQ(plain, masked);
}

TEST(Inpainting, ReNoisingIsSeededPerStepAndApartFromTheInitialNoise) {
  EXPECT_EQ(tera::renoising_noise(7, 3, 16), tera::renoising_noise(7, 3, 16));
  EXPECT_NE(tera::renoising_noise(7, 3, 16), tera::renoising_noise(7, 4, 16));
  EXPECT_NE(tera::renoising_noise(7, 3, 16), tera::renoising_noise(8, 3, 16));
  tera::Rng initial(7);  // what initial_noise(7) draws from
  const auto first = tera::renoising_noise(7, 0, 1);
  EXPECT_NE(first[0], initial.normal());
}

TEST(Inpainting, MismatchedSizesAreErrors) {
  tera::HeldLatent bad = first_token_held(1);
  bad.held.pop_back();
  EXPECT_THROW(tera::hold_to_source(bad), tera::Error);
  const auto constrain = tera::hold_to_source(first_token_held(1));
  std::vector<float> wrong(3 * kRow);
  EXPECT_THROW(constrain(wrong, 0, 0.5), tera::Error);
}

}  // namespace
