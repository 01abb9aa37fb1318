#include "io/ply_header.h"

#include <charconv>
#include <sstream>

#include "tera/core/error.h"

namespace tera {
namespace {

// A header line is at most this long in any real file; longer means a binary file, not a header.
constexpr std::size_t kMaxHeaderLine = 4096;

bool parse_type(const std::string& text, PlyType& type) {
  static const struct {
    const char* name;
    PlyType type;
  } kNames[] = {
      {"char", PlyType::kInt8},      {"int8", PlyType::kInt8},       {"uchar", PlyType::kUint8},
      {"uint8", PlyType::kUint8},    {"short", PlyType::kInt16},     {"int16", PlyType::kInt16},
      {"ushort", PlyType::kUint16},  {"uint16", PlyType::kUint16},   {"int", PlyType::kInt32},
      {"int32", PlyType::kInt32},    {"uint", PlyType::kUint32},     {"uint32", PlyType::kUint32},
      {"float", PlyType::kFloat32},  {"float32", PlyType::kFloat32}, {"double", PlyType::kFloat64},
      {"float64", PlyType::kFloat64}};
  for (const auto& entry : kNames) {
    if (text == entry.name) {
      type = entry.type;
      return true;
    }
  }
  return false;
}

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// At most the first 40 bytes of `text` (a header line, or binary bytes where one was expected),
// printable in a message.
std::string excerpt(const std::string& text) { return printable(text.substr(0, 40)); }

}  // namespace

std::size_t ply_type_size(PlyType type) {
  switch (type) {
    case PlyType::kInt8:
    case PlyType::kUint8: return 1;
    case PlyType::kInt16:
    case PlyType::kUint16: return 2;
    case PlyType::kInt32:
    case PlyType::kUint32:
    case PlyType::kFloat32: return 4;
    case PlyType::kFloat64: return 8;
  }
  return 0;
}

bool PlyElement::has_lists() const {
  for (const auto& property : properties) {
    if (property.is_list) return true;
  }
  return false;
}

std::size_t PlyElement::fixed_size() const {
  std::size_t size = 0;
  for (const auto& property : properties) size += ply_type_size(property.type);
  return size;
}

PlyHeader parse_ply_header(const std::string& bytes, const std::string& source) {
  if (bytes.empty())
    throw InputError(
        at_byte(source, 0, "the file is empty; expected a PLY header starting with 'ply'"));
  PlyHeader header;
  bool have_format = false;
  std::size_t pos = 0;
  for (std::size_t line_number = 1;; ++line_number) {
    const std::size_t end = bytes.find('\n', pos);
    if (end == std::string::npos || end - pos > kMaxHeaderLine) {
      if (line_number == 1) {
        throw InputError(at_line(
            source, 1, "expected the magic 'ply', got '" + excerpt(bytes.substr(pos)) + "'"));
      }
      throw InputError(at_line(source, line_number, "the header has no 'end_header' line"));
    }
    std::string line = bytes.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = end + 1;
    const std::vector<std::string> words = split_words(line);

    if (line_number == 1) {
      if (line != "ply")
        throw InputError(
            at_line(source, 1, "expected the magic 'ply', got '" + excerpt(line) + "'"));
      continue;
    }
    if (words.empty() || words[0] == "comment" || words[0] == "obj_info") continue;
    const std::string& keyword = words[0];
    if (keyword == "end_header") {
      if (!have_format)
        throw InputError(at_line(source, line_number, "'end_header' before any 'format' line"));
      header.body_offset = pos;
      header.lines = line_number;
      return header;
    }
    if (keyword == "format") {
      if (words.size() != 3 || words[2] != "1.0") {
        throw InputError(at_line(source, line_number,
                                 "expected 'format <encoding> 1.0', got '" + excerpt(line) + "'"));
      }
      if (words[1] == "ascii") {
        header.encoding = PlyEncoding::kAscii;
      } else if (words[1] == "binary_little_endian") {
        header.encoding = PlyEncoding::kBinaryLittleEndian;
      } else if (words[1] == "binary_big_endian") {
        header.encoding = PlyEncoding::kBinaryBigEndian;
      } else {
        throw InputError(
            at_line(source, line_number,
                    "unknown encoding '" + excerpt(words[1]) +
                        "'; expected ascii, binary_little_endian or binary_big_endian"));
      }
      have_format = true;
    } else if (keyword == "element") {
      PlyElement element;
      element.line = line_number;
      std::uint64_t count = 0;
      const char* first = words.size() == 3 ? words[2].data() : nullptr;
      const auto result =
          first ? std::from_chars(first, first + words[2].size(), count) : std::from_chars_result{};
      if (words.size() != 3 || result.ec != std::errc() || result.ptr != first + words[2].size()) {
        throw InputError(
            at_line(source, line_number,
                    "expected 'element <name> <count>' with a non-negative count, got '" +
                        excerpt(line) + "'"));
      }
      element.name = words[1];
      element.count = count;
      header.elements.push_back(element);
    } else if (keyword == "property") {
      if (header.elements.empty()) {
        throw InputError(at_line(source, line_number, "'property' before any 'element' line"));
      }
      PlyProperty property;
      property.line = line_number;
      bool ok = false;
      if (words.size() == 5 && words[1] == "list") {
        property.is_list = true;
        ok = parse_type(words[2], property.count_type) && parse_type(words[3], property.type) &&
             property.count_type != PlyType::kFloat32 && property.count_type != PlyType::kFloat64;
        property.name = words[4];
      } else if (words.size() == 3) {
        ok = parse_type(words[1], property.type);
        property.name = words[2];
      }
      if (!ok) {
        throw InputError(at_line(
            source, line_number,
            "expected 'property <type> <name>' or 'property list <int type> <type> <name>' "
            "with a PLY type (char, uchar, short, ushort, int, uint, float, double), got '" +
                excerpt(line) + "'"));
      }
      header.elements.back().properties.push_back(property);
    } else {
      throw InputError(
          at_line(source, line_number,
                  "unknown header keyword '" + excerpt(keyword) + "' (is 'end_header' missing?)"));
    }
  }
}

}  // namespace tera
