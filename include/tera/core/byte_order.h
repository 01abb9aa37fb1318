// Little-endian encoding of scalars and arrays of scalars, whatever the host's byte order: the one
// byte-order helper behind every binary format tera and tera-synth read and write (the Gaussian
// formats, the UV template, the teacher's asset pack and dataset shards).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tera {

constexpr bool kHostIsLittleEndian =
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    true;
#else
    false;  // big-endian (or unknown) hosts take the byte-by-byte path
#endif

// Writes `count` values as little-endian bytes to dst (count * sizeof(T) bytes).
template <typename T>
void store_le(unsigned char* dst, const T* values, std::size_t count) {
  static_assert(std::is_trivially_copyable_v<T> && (std::is_arithmetic_v<T> || std::is_enum_v<T>),
                "scalars only");
  if constexpr (kHostIsLittleEndian || sizeof(T) == 1) {
    if (count) std::memcpy(dst, values, count * sizeof(T));
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      unsigned char bytes[sizeof(T)];
      std::memcpy(bytes, &values[i], sizeof(T));
      for (std::size_t b = 0; b < sizeof(T); ++b) dst[i * sizeof(T) + b] = bytes[sizeof(T) - 1 - b];
    }
  }
}

// Reads `count` little-endian values from src into values.
template <typename T>
void load_le(T* values, const unsigned char* src, std::size_t count) {
  static_assert(std::is_trivially_copyable_v<T> && (std::is_arithmetic_v<T> || std::is_enum_v<T>),
                "scalars only");
  if constexpr (kHostIsLittleEndian || sizeof(T) == 1) {
    if (count) std::memcpy(values, src, count * sizeof(T));
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      unsigned char bytes[sizeof(T)];
      for (std::size_t b = 0; b < sizeof(T); ++b) bytes[b] = src[i * sizeof(T) + sizeof(T) - 1 - b];
      std::memcpy(&values[i], bytes, sizeof(T));
    }
  }
}

// Appends values to a byte container (std::string or std::vector<std::uint8_t>) as little-endian.
template <typename Bytes, typename T>
void append_le(Bytes& out, const T* values, std::size_t count) {
  const std::size_t at = out.size();
  out.resize(at + count * sizeof(T));
  if (count) store_le(reinterpret_cast<unsigned char*>(out.data()) + at, values, count);
}

template <typename Bytes, typename T>
void append_le(Bytes& out, T value) {
  append_le(out, &value, 1);
}

template <typename T>
T load_le(const unsigned char* src) {
  T value;
  load_le(&value, src, 1);
  return value;
}

}  // namespace tera
