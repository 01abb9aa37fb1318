// A denoiser's training noise schedule and what it predicts, as a model package declares them
// (docs/model-package.md, "schedule").
#pragma once

#include <vector>

namespace tera {

enum class ScheduleKind { kLinear, kScaledLinear, kCosine, kExplicit };
enum class Prediction { kEps, kV, kX0 };
enum class TimestepSpacing { kLeading, kTrailing };

struct ScheduleSpec {
  ScheduleKind kind = ScheduleKind::kScaledLinear;
  int num_train_steps = 1000;
  double beta_start = 0.00085;  // linear and scaled_linear
  double beta_end = 0.012;
  std::vector<double> betas;  // [num_train_steps], explicit only
  Prediction prediction = Prediction::kEps;
  TimestepSpacing spacing = TimestepSpacing::kTrailing;
};

// "eps", "v" or "x0": the manifest's name of a prediction.
const char* prediction_name(Prediction prediction);

}  // namespace tera
