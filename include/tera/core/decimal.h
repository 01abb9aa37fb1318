// Strict parsing of the non-negative integers users type: seeds, shard indices.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tera {

// "0".."18446744073709551615" -> the number; anything else (empty, a sign, spaces, a fraction,
// hex, a number past 2^64 - 1) -> nullopt. std::strtoull would take " +7" and clamp overflow to
// 2^64 - 1 silently, so two different typed seeds would name one avatar.
std::optional<std::uint64_t> parse_decimal(const std::string& text);

}  // namespace tera
