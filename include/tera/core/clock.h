// Seconds elapsed on the steady clock: the stage timings tera and tera-synth report.
#pragma once

#include <chrono>

namespace tera {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace tera
