// DDIM and DPM-Solver++(2M) over plain float vectors; see include/tera/diffusion/sampler.h.
#include <cmath>

#include "tera/core/error.h"
#include "tera/diffusion/sampler.h"

namespace tera {

void prediction_to_x0_eps(Prediction prediction, double alpha_bar, const float* x,
                          const float* model_out, float* x0, float* eps, std::size_t n) {
  const double a = std::sqrt(alpha_bar);        // signal scale alpha_t
  const double s = std::sqrt(1.0 - alpha_bar);  // noise scale sigma_t
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = x[i], m = model_out[i];
    double x0i = 0.0, epsi = 0.0;
    switch (prediction) {
      case Prediction::kEps:  // x = a x0 + s eps
        epsi = m;
        x0i = (xi - s * m) / a;
        break;
      case Prediction::kV:  // v = a eps - s x0
        x0i = a * xi - s * m;
        epsi = s * xi + a * m;
        break;
      case Prediction::kX0:
        x0i = m;
        epsi = (xi - a * m) / s;
        break;
    }
    x0[i] = static_cast<float>(x0i);
    eps[i] = static_cast<float>(epsi);
  }
}

void hold_x0_within(Prediction prediction, double alpha_bar, const float* x, float* model_out,
                    const std::vector<float>& low, const std::vector<float>& high,
                    std::size_t rows) {
  const std::size_t n = low.size();
  if (high.size() != n) throw Error("hold_x0_within: the low and high bounds differ in size");
  const double a = std::sqrt(alpha_bar), s = std::sqrt(1.0 - alpha_bar);
  if (s <= 0.0) return;  // no noise left: the denoiser is never asked there, and x is x0
  float x0 = 0.f, eps = 0.f;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = r * n + k;
      prediction_to_x0_eps(prediction, alpha_bar, &x[i], &model_out[i], &x0, &eps, 1);
      const double held = x0 < low[k] ? low[k] : x0 > high[k] ? high[k] : x0;
      if (held == x0) continue;
      const double xi = x[i];
      switch (prediction) {
        case Prediction::kEps:  // x = a x0 + s eps
          model_out[i] = static_cast<float>((xi - a * held) / s);
          break;
        case Prediction::kV:  // x0 = a x - s v
          model_out[i] = static_cast<float>((a * xi - held) / s);
          break;
        case Prediction::kX0: model_out[i] = static_cast<float>(held); break;
      }
    }
  }
}

std::vector<float> run_sampler(const NoiseSchedule& schedule, SamplerKind kind, int steps,
                               std::vector<float> x, const DenoiseFn& denoise,
                               const StepFn& on_step, const ConstrainFn& constrain) {
  const std::vector<int> timesteps =
      sampling_timesteps(schedule.num_train_steps(), steps, schedule.spacing);
  const std::size_t n = x.size();
  std::vector<float> x0(n), eps(n), previous_x0(n);
  double previous_lambda = 0.0;
  for (int i = 0; i < steps; ++i) {
    const int t = timesteps[static_cast<std::size_t>(i)];
    const bool last = i + 1 == steps;
    const double ab = schedule.alphas_cumprod[static_cast<std::size_t>(t)];
    const double ab_next = last ? 1.0
                                : schedule.alphas_cumprod[static_cast<std::size_t>(
                                      timesteps[static_cast<std::size_t>(i + 1)])];
    if (constrain) constrain(x, i, ab);
    const std::vector<float> out = denoise(x, t);
    if (out.size() != n)
      throw Error("denoiser returned " + std::to_string(out.size()) + " values, expected " +
                  std::to_string(n));
    prediction_to_x0_eps(schedule.prediction, ab, x.data(), out.data(), x0.data(), eps.data(), n);
    const double alpha_s = std::sqrt(ab), sigma_s = std::sqrt(1.0 - ab);
    const double alpha_t = std::sqrt(ab_next), sigma_t = std::sqrt(1.0 - ab_next);
    if (kind == SamplerKind::kDdim || last) {
      // DDIM (eta 0); at the last step (alpha-bar 1) both samplers return the x0 estimate.
      for (std::size_t k = 0; k < n; ++k)
        x[k] = static_cast<float>(alpha_t * x0[k] + sigma_t * eps[k]);
    } else {
      const double lambda_s = std::log(alpha_s / sigma_s);
      const double lambda_t = std::log(alpha_t / sigma_t);
      const double h = lambda_t - lambda_s;
      const double phi = std::expm1(-h);  // exp(-h) - 1
      const double ratio = sigma_t / sigma_s;
      if (i == 0) {
        for (std::size_t k = 0; k < n; ++k)
          x[k] = static_cast<float>(ratio * x[k] - alpha_t * phi * x0[k]);
      } else {
        const double r =
            (lambda_s - previous_lambda) / h;           // previous step size relative to this one
        const double c0 = 1.0 + 0.5 / r, c1 = 0.5 / r;  // D = x0 + (x0 - x0_prev) / (2 r)
        for (std::size_t k = 0; k < n; ++k) {
          const double d = c0 * x0[k] - c1 * previous_x0[k];
          x[k] = static_cast<float>(ratio * x[k] - alpha_t * phi * d);
        }
      }
      previous_x0 = x0;
      previous_lambda = lambda_s;
    }
    if (on_step) on_step(i + 1, steps);
  }
  if (constrain) constrain(x, steps, 1.0);
  return x;
}

}  // namespace tera
