// SHA-256 (FIPS 180-4), used to verify every file of a model package against its manifest.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace tera {

// Incremental SHA-256: update() any number of times, then digest() once.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t bytes);
  // Pads, finishes and returns the 32-byte digest; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();

 private:
  void compress(const std::uint8_t block[64]);
  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// Lower-case hex digest of a byte range.
std::string sha256_hex(const void* data, std::size_t bytes);
// Lower-case hex digest of a file, read in chunks; throws InputError naming the file.
std::string sha256_file(const std::filesystem::path& path);

}  // namespace tera
