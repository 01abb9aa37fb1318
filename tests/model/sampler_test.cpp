// Schedules and samplers against independent float64 reference values (reference_sampler.py,
// committed as sampler_reference.json). The analytic "model" below is the script's.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "tera/core/error.h"
#include "tera/diffusion/sampler.h"

namespace {

nlohmann::json reference() {
  std::ifstream in(TERA_SAMPLER_REFERENCE);
  return nlohmann::json::parse(in);
}

tera::ScheduleSpec spec(const std::string& kind, tera::Prediction prediction,
                        tera::TimestepSpacing spacing) {
  tera::ScheduleSpec s;
  s.num_train_steps = 1000;
  s.prediction = prediction;
  s.spacing = spacing;
  if (kind == "linear") {
    s.kind = tera::ScheduleKind::kLinear;
    s.beta_start = 1e-4;
    s.beta_end = 0.02;
  } else if (kind == "scaled_linear") {
    s.kind = tera::ScheduleKind::kScaledLinear;
    s.beta_start = 0.00085;
    s.beta_end = 0.012;
  } else {
    s.kind = tera::ScheduleKind::kCosine;
  }
  return s;
}

tera::Prediction prediction(const std::string& name) {
  return name == "eps" ? tera::Prediction::kEps
         : name == "v" ? tera::Prediction::kV
                       : tera::Prediction::kX0;
}

TEST(Schedule, AlphasCumprodMatchReference) {
  const auto ref = reference();
  for (const auto& [kind, values] : ref["schedules"].items()) {
    const auto s =
        tera::make_schedule(spec(kind, tera::Prediction::kEps, tera::TimestepSpacing::kTrailing));
    for (const auto& [index, value] : values.items()) {
      // Both sides compute in double; 1e-12 relative allows only summation-order differences.
      const double expected = value.get<double>();
      EXPECT_NEAR(s.alphas_cumprod[std::stoul(index)], expected, 1e-12 * expected + 1e-15)
          << kind << " t=" << index;
    }
  }
}

TEST(Schedule, TimestepsMatchReferenceExactly) {
  const auto ref = reference();
  for (const auto& [key, values] : ref["timesteps"].items()) {
    const auto slash = key.find('/');
    const auto spacing = key.substr(0, slash) == "leading" ? tera::TimestepSpacing::kLeading
                                                           : tera::TimestepSpacing::kTrailing;
    EXPECT_EQ(tera::sampling_timesteps(1000, std::stoi(key.substr(slash + 1)), spacing),
              values.get<std::vector<int>>())
        << key;
  }
}

TEST(Schedule, StepsOutOfRangeAreUsageErrors) {
  EXPECT_THROW(tera::sampling_timesteps(1000, 0, tera::TimestepSpacing::kTrailing),
               tera::UsageError);
  EXPECT_THROW(tera::sampling_timesteps(1000, 1001, tera::TimestepSpacing::kLeading),
               tera::UsageError);
}

TEST(Sampler, BothSamplersAllPredictionsMatchReference) {
  const auto ref = reference();
  int checked = 0;
  for (const auto& c : ref["samples"]) {
    const auto s =
        tera::make_schedule(spec(c["schedule"], prediction(c["prediction"]),
                                 c["spacing"] == "leading" ? tera::TimestepSpacing::kLeading
                                                           : tera::TimestepSpacing::kTrailing));
    std::vector<float> x(6);
    for (std::size_t k = 0; k < x.size(); ++k)
      x[k] = static_cast<float>(1.2 * std::sin(1.7 * static_cast<double>(k) + 0.3));
    const tera::DenoiseFn model = [](const std::vector<float>& xt, int t) {
      std::vector<float> out(xt.size());
      for (std::size_t k = 0; k < xt.size(); ++k) {
        out[k] = static_cast<float>(0.3 * xt[k] * std::cos(t / 137.0) +
                                    0.1 * std::sin(0.01 * t + 0.5 * static_cast<double>(k)));
      }
      return out;
    };
    int steps_seen = 0;
    const auto result = tera::run_sampler(s, tera::parse_sampler(c["sampler"]), c["steps"], x,
                                          model, [&](int done, int) { steps_seen = done; });
    EXPECT_EQ(steps_seen, c["steps"].get<int>());
    const auto expected = c["x0"].get<std::vector<double>>();
    ASSERT_EQ(result.size(), expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      // The C++ latent is float32 between steps (the reference float64): 1e-4 relative covers
      // rounding accumulated over up to 25 steps with eps amplification of up to ~15x.
      EXPECT_NEAR(result[k], expected[k], 1e-4 * std::abs(expected[k]) + 1e-5)
          << c["sampler"] << " " << c["prediction"] << " " << c["schedule"] << " k=" << k;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 18);  // 2 samplers x 3 predictions x 3 schedules
}

TEST(Sampler, PredictionConversionsAreConsistent) {
  // A known x0 and eps give x; each prediction type of the same pair must convert back exactly.
  const double ab = 0.37;
  const float x0 = 0.8f, eps = -1.3f;
  const float x = static_cast<float>(std::sqrt(ab) * x0 + std::sqrt(1 - ab) * eps);
  const float v = static_cast<float>(std::sqrt(ab) * eps - std::sqrt(1 - ab) * x0);
  const std::pair<tera::Prediction, float> cases[] = {
      {tera::Prediction::kEps, eps}, {tera::Prediction::kV, v}, {tera::Prediction::kX0, x0}};
  for (const auto& [p, out] : cases) {
    float got_x0 = 0, got_eps = 0;
    tera::prediction_to_x0_eps(p, ab, &x, &out, &got_x0, &got_eps, 1);
    EXPECT_NEAR(got_x0, x0, 1e-5) << tera::prediction_name(p);  // float32 rounding of x and v
    EXPECT_NEAR(got_eps, eps, 1e-5) << tera::prediction_name(p);
  }
}

TEST(Sampler, HoldX0WithinMovesOnlyEstimatesPastTheBounds) {
  // Two rows of three coordinates: bounds [-1, 1], [-inf, inf], [0, 2]. Each prediction type's
  // output is built from a known x0 and eps; after the hold, an x0 past its bound reads as the
  // bound (float32 rounding: 1e-5) and every other output is unchanged, bit for bit.
  const double ab = 0.42;
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> low = {-1.f, -inf, 0.f}, high = {1.f, inf, 2.f};
  const std::vector<float> x0 = {3.f, 50.f, 1.f, -4.f, -50.f, 2.5f},
                           eps = {0.3f, -1.f, 0.7f, 1.1f, 0.2f, -0.4f};
  const std::vector<float> expect_x0 = {1.f, 50.f, 1.f, -1.f, -50.f, 2.f};
  const double a = std::sqrt(ab), s = std::sqrt(1 - ab);
  for (const tera::Prediction p :
       {tera::Prediction::kEps, tera::Prediction::kV, tera::Prediction::kX0}) {
    std::vector<float> x(6), out(6);
    for (std::size_t i = 0; i < 6; ++i) {
      x[i] = static_cast<float>(a * x0[i] + s * eps[i]);
      out[i] = static_cast<float>(p == tera::Prediction::kEps ? eps[i]
                                  : p == tera::Prediction::kV ? a * eps[i] - s * x0[i]
                                                              : x0[i]);
    }
    const std::vector<float> before = out;
    tera::hold_x0_within(p, ab, x.data(), out.data(), low, high, 2);
    for (std::size_t i = 0; i < 6; ++i) {
      float got_x0 = 0, got_eps = 0;
      tera::prediction_to_x0_eps(p, ab, &x[i], &out[i], &got_x0, &got_eps, 1);
      EXPECT_NEAR(got_x0, expect_x0[i], 1e-5) << tera::prediction_name(p) << " i=" << i;
      if (expect_x0[i] == x0[i]) {
        EXPECT_EQ(out[i], before[i]) << tera::prediction_name(p) << " i=" << i;
      }
    }
  }
  EXPECT_THROW(tera::hold_x0_within(tera::Prediction::kV, ab, nullptr, nullptr, low, {0.f}, 1),
               tera::Error);
}

TEST(Sampler, ParseSamplerRejectsUnknownNames) {
  EXPECT_EQ(tera::parse_sampler("ddim"), tera::SamplerKind::kDdim);
  EXPECT_EQ(tera::parse_sampler("dpm++2m"), tera::SamplerKind::kDpmSolverPP2M);
  EXPECT_THROW(tera::parse_sampler("euler"), tera::UsageError);
  try {
    tera::parse_sampler("euler");
  } catch (const tera::UsageError& e) {  // names the parameter, not a command-line flag
    EXPECT_EQ(e.parameter(), "sampler");
    EXPECT_EQ(std::string(e.what()), "sampler: expected ddim or dpm++2m, got 'euler'");
  }
}

}  // namespace
