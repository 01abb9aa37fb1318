#include "tera/core/error.h"

#include <cstdio>

namespace tera {

std::string printable(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out.push_back(c);
      continue;
    }
    char escaped[5];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
    out += escaped;
  }
  return out;
}

std::string at_byte(const std::string& file, std::uint64_t offset, const std::string& what) {
  return file + ": at byte " + std::to_string(offset) + ": " + what;
}

std::string at_line(const std::string& file, std::size_t line, const std::string& what) {
  return file + ": header line " + std::to_string(line) + ": " + what;
}

}  // namespace tera
