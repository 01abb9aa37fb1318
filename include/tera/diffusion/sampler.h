// Noise schedules and the two samplers (DDIM with eta 0, DPM-Solver++(2M)), written on plain
// float vectors so the math is testable without LibTorch. The denoiser is a callback.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tera/diffusion/schedule_spec.h"

namespace tera {

// alphas_cumprod of the training schedule plus how the package's denoiser predicts.
struct NoiseSchedule {
  std::vector<double> alphas_cumprod;  // [num_train_steps] alpha-bar at each training timestep
  Prediction prediction = Prediction::kEps;
  TimestepSpacing spacing = TimestepSpacing::kTrailing;
  int num_train_steps() const { return static_cast<int>(alphas_cumprod.size()); }
};

// Betas of a schedule: linear, scaled_linear (linear in sqrt(beta)), cosine (Nichol & Dhariwal,
// offset s = 0.008, betas capped at 0.999) or the explicit list.
std::vector<double> schedule_betas(const ScheduleSpec& spec);  // [num_train_steps]
NoiseSchedule make_schedule(const ScheduleSpec& spec);

// The `steps` training timesteps visited by a sampler, in decreasing order.
//   leading:  t_i = floor(T / S) * (S - 1 - i)          (ends at 0; starts below T - 1)
//   trailing: t_i = round_half_even(T - i * T / S) - 1   (starts at T - 1, the pure-noise end)
// Throws UsageError for the parameter "steps" when steps is not in 1..T.
std::vector<int> sampling_timesteps(int num_train_steps, int steps, TimestepSpacing spacing);

enum class SamplerKind { kDdim, kDpmSolverPP2M };
// "ddim" or "dpm++2m"; throws UsageError for the parameter "sampler" otherwise.
SamplerKind parse_sampler(const std::string& text);
const char* sampler_name(SamplerKind kind);

// Converts a raw model output at alpha-bar `alpha_bar` into the clean-data and noise estimates.
// x, model_out, x0, eps: [n].
void prediction_to_x0_eps(Prediction prediction, double alpha_bar, const float* x,
                          const float* model_out, float* x0, float* eps, std::size_t n);

// Holds the clean-data estimate of each row of a raw model output within a reach: where x0 (as
// prediction_to_x0_eps reads it) lies below low[k] or above high[k], model_out[k] is rewritten to
// the output whose x0 is the bound (the noise estimate follows from x, as when DDPM clips x0), and
// every other entry is left as it is, bit for bit. x, model_out: [rows * n]; low, high: [n]
// (infinite where nothing is held). Guidance extrapolates past anything the model was trained on;
// this keeps each step's estimate within the training latents' range (static thresholding).
void hold_x0_within(Prediction prediction, double alpha_bar, const float* x, float* model_out,
                    const std::vector<float>& low, const std::vector<float>& high,
                    std::size_t rows);

// The denoiser as the sampler sees it: x [N] (any batch flattened) at training timestep t ->
// the raw model output [N] in the schedule's prediction type (guidance already applied).
using DenoiseFn = std::function<std::vector<float>(const std::vector<float>& x, int timestep)>;
// Called after each step with (steps done, total steps).
using StepFn = std::function<void(int, int)>;
// Called with the sampler's x [N] before each denoiser call (step index 0..steps-1 and the
// alpha-bar x is at) and once more after the last step (step = steps, alpha-bar 1); it may change
// x. Masked inpainting holds some entries to a source this way (tera/diffusion/inpainting.h).
using ConstrainFn = std::function<void(std::vector<float>& x, int step, double alpha_bar)>;

// Runs the sampler from x_T = `noise` [N] through sampling_timesteps(...) down to clean data
// (alpha-bar 1 after the last step) and returns x_0 [N].
//   DDIM (eta 0): x_prev = sqrt(ab_prev) x0 + sqrt(1 - ab_prev) eps.
//   DPM-Solver++(2M): data-prediction multistep in lambda = log(alpha / sigma); first order on the
//   first step, second order (midpoint form) after, and the last step (to sigma 0) returns x0.
// `constrain`, when given, is applied to x before each step and to the result.
std::vector<float> run_sampler(const NoiseSchedule& schedule, SamplerKind kind, int steps,
                               std::vector<float> noise, const DenoiseFn& denoise,
                               const StepFn& on_step = {}, const ConstrainFn& constrain = {});

}  // namespace tera
