// What files users name and write by hand look like to a reader: an extension in any case
// (".PLY", ".Bvh", ".JSONL"), and a UTF-8 byte-order mark that some editors put first.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tera {

// The extension of `path` in lower case, with its dot (".ply"); "" when it has none.
std::string lower_extension(const std::filesystem::path& path);

// `text` without a leading UTF-8 byte-order mark (EF BB BF).
std::string_view without_byte_order_mark(std::string_view text);

}  // namespace tera
