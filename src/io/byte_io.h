// Little-endian byte packing and a bounds-checked cursor for the binary Gaussian formats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "tera/core/byte_order.h"
#include "tera/core/error.h"

namespace tera {

inline void put_u8(std::string& out, std::uint8_t value) {
  out.push_back(static_cast<char>(value));
}
inline void put_u32(std::string& out, std::uint32_t value) { append_le(out, value); }
inline void put_f32(std::string& out, float value) { append_le(out, value); }
// Stores `value` as 4 little-endian bytes at `dst`.
inline void store_f32(unsigned char* dst, float value) { store_le(dst, &value, 1); }
inline std::uint32_t get_u32(const unsigned char* p) { return load_le<std::uint32_t>(p); }
inline float get_f32(const unsigned char* p) { return load_le<float>(p); }

// Reads consecutive fields of a byte string; a read past the end throws InputError naming the
// source, the offset where the data ended and how many bytes the field needed.
class ByteCursor {
 public:
  ByteCursor(const std::string& bytes, std::string source)
      : bytes_(bytes), source_(std::move(source)) {}

  // Returns a pointer to the next `count` bytes and advances; `what` names the field for errors.
  const unsigned char* take(std::uint64_t count, const std::string& what) {
    const std::uint64_t left = bytes_.size() - offset_;
    if (count > left) {
      throw InputError(at_byte(source_, bytes_.size(),
                               "data ends here, inside " + what + ": expected " +
                                   std::to_string(count) + " bytes from byte " +
                                   std::to_string(offset_) + ", found " + std::to_string(left)));
    }
    const auto* p = reinterpret_cast<const unsigned char*>(bytes_.data()) + offset_;
    offset_ += count;
    return p;
  }

  std::uint64_t offset() const { return offset_; }
  std::uint64_t remaining() const { return bytes_.size() - offset_; }
  const std::string& source() const { return source_; }

 private:
  const std::string& bytes_;
  std::string source_;
  std::uint64_t offset_ = 0;
};

}  // namespace tera
