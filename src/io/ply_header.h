// The header of a PLY file: format, elements and their properties.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tera {

enum class PlyEncoding { kAscii, kBinaryLittleEndian, kBinaryBigEndian };

enum class PlyType { kInt8, kUint8, kInt16, kUint16, kInt32, kUint32, kFloat32, kFloat64 };

// Size in bytes of one value of `type` in a binary body.
std::size_t ply_type_size(PlyType type);

struct PlyProperty {
  std::string name;
  PlyType type = PlyType::kFloat32;  // the value type, or the item type of a list
  bool is_list = false;
  PlyType count_type = PlyType::kUint8;  // type of a list's length prefix
  std::size_t line = 0;                  // header line, for messages
};

struct PlyElement {
  std::string name;
  std::uint64_t count = 0;
  std::vector<PlyProperty> properties;
  std::size_t line = 0;
  bool has_lists() const;
  // Bytes per instance in a binary body; only meaningful without list properties.
  std::size_t fixed_size() const;
};

struct PlyHeader {
  PlyEncoding encoding = PlyEncoding::kBinaryLittleEndian;
  std::vector<PlyElement> elements;
  std::size_t body_offset = 0;  // first byte after the "end_header" line
  std::size_t lines = 0;        // header lines, "end_header" included
};

// Parses the header at the start of `bytes`; throws InputError naming `source` and the header line.
PlyHeader parse_ply_header(const std::string& bytes, const std::string& source);

}  // namespace tera
