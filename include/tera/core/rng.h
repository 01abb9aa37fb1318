// The project's own seeded random number generator. Its output depends only on the seed (no
// standard-library distributions, whose output differs between implementations), so a seed names
// the same values on every platform and device.
#pragma once

#include <cstdint>

namespace tera {

// SplitMix64: tiny, fast, passes BigCrush; good for scenes, sampling and initial noise.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);  // golden-ratio increment (SplitMix64)
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;          // SplitMix64 mixing constants
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 24 bits of precision (exactly representable in float).
  float uniform() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }
  // Uniform in [lo, hi).
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next_u64() % n; }
  // Standard normal by the Box-Muller transform, computed in double for stable results.
  float normal();

 private:
  std::uint64_t state_;
};

}  // namespace tera
