// Strict decimal parsing; see include/tera/core/decimal.h.
#include "tera/core/decimal.h"

#include <limits>

namespace tera {

std::optional<std::uint64_t> parse_decimal(const std::string& text) {
  if (text.empty()) return std::nullopt;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;  // value * 10 + digit would wrap
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace tera
