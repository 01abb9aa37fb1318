// IEEE 754 binary16 conversion (round to nearest even), used for compact offsets and maps.
#pragma once

#include <cstdint>

namespace tera::synth {

std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t bits);

}  // namespace tera::synth
