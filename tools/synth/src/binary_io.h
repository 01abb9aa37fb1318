// Little-endian byte buffers with bounds-checked reading, for the asset pack, the template and the
// dataset shards. Errors name the file and the byte offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tera/core/byte_order.h"
#include "tera/core/error.h"

namespace tera::synth {

class ByteWriter {
 public:
  template <typename T>
  void put(const T& value) {
    append_le(bytes_, value);
  }
  // Writes a u64 element count followed by the elements.
  template <typename T>
  void put_array(const std::vector<T>& values) {
    put<std::uint64_t>(values.size());
    append_le(bytes_, values.data(), values.size());
  }
  void put_string(const std::string& text) {
    put<std::uint32_t>(static_cast<std::uint32_t>(text.size()));
    bytes_.insert(bytes_.end(), text.begin(), text.end());
  }
  // Unsigned LEB128 varint (small index deltas take one byte).
  void put_varint(std::uint64_t value) {
    while (value >= 0x80) {
      bytes_.push_back(static_cast<std::uint8_t>(value | 0x80));
      value >>= 7;
    }
    bytes_.push_back(static_cast<std::uint8_t>(value));
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size, std::string file, std::size_t base = 0)
      : data_(data), size_(size), file_(std::move(file)), base_(base) {}

  template <typename T>
  T get(const char* what) {
    need(sizeof(T), what);
    const T value = load_le<T>(data_ + pos_);
    pos_ += sizeof(T);
    return value;
  }
  template <typename T>
  std::vector<T> get_array(const char* what, std::uint64_t max_count = (1ull << 32)) {
    const auto count = get<std::uint64_t>(what);
    if (count > max_count)
      fail(std::string(what) + ": element count " + std::to_string(count) + " is implausible");
    need(count * sizeof(T), what);
    std::vector<T> values(count);
    load_le(values.data(), data_ + pos_, count);
    pos_ += count * sizeof(T);
    return values;
  }
  std::string get_string(const char* what) {
    const auto n = get<std::uint32_t>(what);
    need(n, what);
    std::string text(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return text;
  }
  std::uint64_t get_varint(const char* what) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto byte = get<std::uint8_t>(what);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    fail(std::string(what) + ": varint longer than 10 bytes");
  }
  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ == size_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(at_byte(file_, base_ + pos_, what));
  }

 private:
  void need(std::uint64_t n, const char* what) const {
    if (n > size_ - pos_) {
      fail(std::string("truncated while reading ") + what + " (needs " + std::to_string(n) +
           " bytes, " + std::to_string(size_ - pos_) + " left)");
    }
  }
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string file_;
  std::size_t base_;
};

// Whole-file helpers; both throw InputError/Error naming the path.
std::vector<std::uint8_t> read_file_bytes(const std::string& path);
std::string read_file_text(const std::string& path);

}  // namespace tera::synth
