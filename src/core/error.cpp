#include "tera/core/error.h"

namespace tera {

std::string at_byte(const std::string& file, std::uint64_t offset, const std::string& what) {
  return file + ": at byte " + std::to_string(offset) + ": " + what;
}

std::string at_line(const std::string& file, std::size_t line, const std::string& what) {
  return file + ": header line " + std::to_string(line) + ": " + what;
}

}  // namespace tera
