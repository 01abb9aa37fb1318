#include "support/checksummed.h"

#include <zlib.h>

namespace tera::fuzz {
namespace {

void put_le(std::string& bytes, std::size_t at, std::uint64_t value, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i)
    bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace

std::string checksummed_file(const std::uint8_t* data, std::size_t size,
                             const ChecksumFields& fields) {
  if (size == 0) return {};
  const bool fix = (data[0] & 1) != 0;
  std::string file(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!fix || file.size() < fields.header_bytes) return file;
  const std::size_t payload = file.size() - fields.header_bytes;
  put_le(file, fields.size_offset, payload, fields.size_bytes);
  const auto* bytes = reinterpret_cast<const Bytef*>(file.data() + fields.header_bytes);
  put_le(file, fields.crc_offset, crc32(0L, bytes, static_cast<uInt>(payload)), 4);
  return file;
}

}  // namespace tera::fuzz
