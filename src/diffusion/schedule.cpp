// Noise schedules and sampling timesteps; see include/tera/diffusion/sampler.h.
#include <cmath>

#include "tera/core/error.h"
#include "tera/diffusion/sampler.h"

namespace tera {

std::vector<double> schedule_betas(const ScheduleSpec& spec) {
  const int n = spec.num_train_steps;
  std::vector<double> betas(static_cast<std::size_t>(n));
  const auto lerp = [n](double a, double b, int i) {
    return n == 1 ? a : a + (b - a) * i / (n - 1);
  };
  switch (spec.kind) {
    case ScheduleKind::kLinear:
      for (int i = 0; i < n; ++i)
        betas[static_cast<std::size_t>(i)] = lerp(spec.beta_start, spec.beta_end, i);
      break;
    case ScheduleKind::kScaledLinear:
      for (int i = 0; i < n; ++i) {
        const double r = lerp(std::sqrt(spec.beta_start), std::sqrt(spec.beta_end), i);
        betas[static_cast<std::size_t>(i)] = r * r;
      }
      break;
    case ScheduleKind::kCosine: {
      constexpr double kOffset = 0.008;  // Nichol & Dhariwal's s: keeps beta_0 from being too small
      constexpr double kMaxBeta = 0.999;  // their cap: avoids a singular last step
      constexpr double kHalfPi = 1.5707963267948966;
      const auto alpha_bar = [&](double t) {
        const double c = std::cos((t + kOffset) / (1.0 + kOffset) * kHalfPi);
        return c * c;
      };
      for (int i = 0; i < n; ++i) {
        const double b =
            1.0 - alpha_bar(static_cast<double>(i + 1) / n) / alpha_bar(static_cast<double>(i) / n);
        betas[static_cast<std::size_t>(i)] = std::min(b, kMaxBeta);
      }
      break;
    }
    case ScheduleKind::kExplicit: betas = spec.betas; break;
  }
  return betas;
}

NoiseSchedule make_schedule(const ScheduleSpec& spec) {
  NoiseSchedule s;
  s.prediction = spec.prediction;
  s.spacing = spec.spacing;
  double product = 1.0;
  for (const double beta : schedule_betas(spec)) {
    product *= 1.0 - beta;
    s.alphas_cumprod.push_back(product);
  }
  return s;
}

std::vector<int> sampling_timesteps(int num_train_steps, int steps, TimestepSpacing spacing) {
  if (steps < 1 || steps > num_train_steps) {
    throw UsageError("steps", "expected 1.." + std::to_string(num_train_steps) +
                                  " (the model's training steps), got " + std::to_string(steps));
  }
  std::vector<int> t(static_cast<std::size_t>(steps));
  if (spacing == TimestepSpacing::kLeading) {
    const int ratio = num_train_steps / steps;
    for (int i = 0; i < steps; ++i) t[static_cast<std::size_t>(i)] = ratio * (steps - 1 - i);
  } else {
    const double ratio = static_cast<double>(num_train_steps) / steps;
    for (int i = 0; i < steps; ++i) {
      // nearbyint rounds half to even in the default rounding mode, as numpy.round does.
      t[static_cast<std::size_t>(i)] =
          static_cast<int>(std::nearbyint(num_train_steps - i * ratio)) - 1;
    }
  }
  return t;
}

SamplerKind parse_sampler(const std::string& text) {
  if (text == "ddim") return SamplerKind::kDdim;
  if (text == "dpm++2m" || text == "dpmpp2m") return SamplerKind::kDpmSolverPP2M;
  throw UsageError("sampler", "expected ddim or dpm++2m, got '" + text + "'");
}

const char* sampler_name(SamplerKind kind) {
  return kind == SamplerKind::kDdim ? "ddim" : "dpm++2m";
}

const char* prediction_name(Prediction prediction) {
  switch (prediction) {
    case Prediction::kEps: return "eps";
    case Prediction::kV: return "v";
    case Prediction::kX0: return "x0";
  }
  return "?";
}

}  // namespace tera
