// Reads INRIA 3DGS .ply files: ascii, binary little- and big-endian, any numeric property type,
// SH degree 0..3, extra properties and elements ignored.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <spdlog/spdlog.h>

#include "io/byte_io.h"
#include "io/formats.h"
#include "io/ply_header.h"
#include "tera/core/error.h"

namespace tera {
namespace {

// Where a vertex property goes in the GaussianSet.
enum class Slot { kIgnore, kPosition, kDc, kRest, kOpacity, kScale, kRotation };

struct Target {
  Slot slot = Slot::kIgnore;
  int index = 0;  // component, or f_rest suffix
};

// Number of f_rest properties for SH degree 0..3: 3 channels x ((d+1)^2 - 1) coefficients.
int degree_for_rest_count(std::size_t count) {
  for (int degree = 0; degree <= kMaxShDegree; ++degree) {
    if (count == static_cast<std::size_t>(3 * (sh_coeffs_for_degree(degree) - 1))) return degree;
  }
  return -1;
}

// Maps each vertex property to its slot; checks that the required ones are present once.
std::vector<Target> map_vertex_properties(const PlyElement& vertex, const std::string& source,
                                          int& degree) {
  static const std::map<std::string, Target> kFixed = {
      {"x", {Slot::kPosition, 0}},      {"y", {Slot::kPosition, 1}},
      {"z", {Slot::kPosition, 2}},      {"f_dc_0", {Slot::kDc, 0}},
      {"f_dc_1", {Slot::kDc, 1}},       {"f_dc_2", {Slot::kDc, 2}},
      {"opacity", {Slot::kOpacity, 0}}, {"scale_0", {Slot::kScale, 0}},
      {"scale_1", {Slot::kScale, 1}},   {"scale_2", {Slot::kScale, 2}},
      {"rot_0", {Slot::kRotation, 0}},  {"rot_1", {Slot::kRotation, 1}},
      {"rot_2", {Slot::kRotation, 2}},  {"rot_3", {Slot::kRotation, 3}}};
  std::vector<Target> targets;
  std::map<std::string, std::size_t> seen;  // name -> header line
  std::vector<std::size_t> rest_suffixes;
  for (const auto& property : vertex.properties) {
    if (seen.count(property.name)) {
      throw InputError(at_line(source, property.line,
                               "property '" + property.name + "' appears twice in element vertex"));
    }
    seen[property.name] = property.line;
    Target target;
    const auto fixed = kFixed.find(property.name);
    if (fixed != kFixed.end()) {
      target = fixed->second;
    } else if (property.name.rfind("f_rest_", 0) == 0) {
      const std::string digits = property.name.substr(7);
      std::size_t suffix = 0;
      const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), suffix);
      if (digits.empty() || result.ec != std::errc() ||
          result.ptr != digits.data() + digits.size()) {
        throw InputError(at_line(source, property.line,
                                 "expected f_rest_<number>, got '" + property.name + "'"));
      }
      target = {Slot::kRest, static_cast<int>(std::min<std::size_t>(suffix, 1000))};
      rest_suffixes.push_back(suffix);
    } else if (property.name != "nx" && property.name != "ny" && property.name != "nz") {
      spdlog::debug("{}: ignoring PLY vertex property '{}' (header line {})", source, property.name,
                    property.line);
    }
    if (target.slot != Slot::kIgnore && property.is_list) {
      throw InputError(at_line(source, property.line,
                               "property '" + property.name + "' must be a scalar, not a list"));
    }
    targets.push_back(target);
  }
  for (const auto& entry : kFixed) {
    if (!seen.count(entry.first)) {
      throw InputError(
          at_line(source, vertex.line,
                  "element vertex has no property '" + entry.first +
                      "'; a 3DGS .ply needs x y z f_dc_0..2 opacity scale_0..2 rot_0..3"));
    }
  }
  degree = degree_for_rest_count(rest_suffixes.size());
  if (degree < 0) {
    throw InputError(at_line(source, vertex.line,
                             "element vertex has " + std::to_string(rest_suffixes.size()) +
                                 " f_rest properties; expected 0, 9, 24 or 45 (SH degree 0..3)"));
  }
  std::vector<char> present(rest_suffixes.size(), 0);
  for (std::size_t suffix : rest_suffixes) {
    if (suffix >= present.size()) {
      throw InputError(at_line(source, vertex.line,
                               "f_rest_" + std::to_string(suffix) + " is out of range; with " +
                                   std::to_string(present.size()) +
                                   " f_rest properties expected f_rest_0..f_rest_" +
                                   std::to_string(present.size() - 1)));
    }
    present[suffix] = 1;
  }
  return targets;
}

// Where the values of one property land: base[i * stride] for vertex i (null: ignored).
struct Destination {
  float* base = nullptr;
  std::size_t stride = 0;
};

// Resolves each property's slot to a place in the (already sized) set.
std::vector<Destination> destinations(GaussianSet& set, const std::vector<Target>& targets) {
  // No vertices, nothing to place (and the empty arrays' data() may be null, which takes no
  // offset).
  if (set.size() == 0) return std::vector<Destination>(targets.size());
  const int k = set.sh_coeffs();
  std::vector<Destination> out;
  for (const Target& target : targets) {
    Destination d;
    switch (target.slot) {
      case Slot::kIgnore: break;
      case Slot::kPosition: d = {set.positions.data() + target.index, 3}; break;
      case Slot::kDc: d = {set.sh.data() + target.index, static_cast<std::size_t>(k) * 3}; break;
      case Slot::kRest: {
        // Channel-major: f_rest_r is channel r / (k-1), coefficient 1 + r % (k-1).
        const int channel = target.index / (k - 1);
        const int coeff = 1 + target.index % (k - 1);
        d = {set.sh.data() + coeff * 3 + channel, static_cast<std::size_t>(k) * 3};
        break;
      }
      case Slot::kOpacity: d = {set.opacity_logits.data(), 1}; break;
      case Slot::kScale: d = {set.log_scales.data() + target.index, 3}; break;
      case Slot::kRotation: d = {set.rotations.data() + target.index, 4}; break;
    }
    out.push_back(d);
  }
  return out;
}

// A list length read as a number: a whole number from 0 to the file's size (a list cannot hold more
// values than the file has bytes), so that it converts to an integer and bounds the loop over it.
bool is_list_length(double length, std::size_t file_bytes) {
  return length >= 0.0 && length <= static_cast<double>(file_bytes) && length == std::floor(length);
}

// Decodes one binary value of `type` at `p`, swapping bytes for big-endian files.
double binary_value(const unsigned char* p, PlyType type, bool big_endian) {
  if (type == PlyType::kFloat32 && !big_endian) return get_f32(p);  // the common case, kept fast
  unsigned char buffer[8];
  const std::size_t size = ply_type_size(type);
  for (std::size_t b = 0; b < size; ++b) buffer[b] = big_endian ? p[size - 1 - b] : p[b];
  switch (type) {
    case PlyType::kInt8: {
      std::int8_t v;
      std::memcpy(&v, buffer, 1);
      return v;
    }
    case PlyType::kUint8: return buffer[0];
    case PlyType::kInt16: {
      std::int16_t v;
      std::memcpy(&v, buffer, 2);
      return v;
    }
    case PlyType::kUint16: {
      std::uint16_t v;
      std::memcpy(&v, buffer, 2);
      return v;
    }
    case PlyType::kInt32: {
      std::int32_t v;
      std::memcpy(&v, buffer, 4);
      return v;
    }
    case PlyType::kUint32: {
      std::uint32_t v;
      std::memcpy(&v, buffer, 4);
      return v;
    }
    case PlyType::kFloat32: {
      float v;
      std::memcpy(&v, buffer, 4);
      return v;
    }
    case PlyType::kFloat64: {
      double v;
      std::memcpy(&v, buffer, 8);
      return v;
    }
  }
  return 0.0;
}

// Skips the binary body of `element`; returns the offset after it.
std::uint64_t skip_binary_element(const std::string& bytes, std::uint64_t offset,
                                  const PlyElement& element, bool big_endian,
                                  const std::string& source) {
  auto need = [&](std::uint64_t count) {
    if (count > bytes.size() - offset) {
      throw InputError(at_byte(source, bytes.size(),
                               "data ends inside element '" + element.name + "': expected " +
                                   std::to_string(count) + " more bytes from byte " +
                                   std::to_string(offset)));
    }
  };
  if (!element.has_lists()) {
    const std::uint64_t size = element.fixed_size();
    if (size != 0 && element.count > std::numeric_limits<std::uint64_t>::max() / size) {
      throw InputError(
          at_line(source, element.line, "element '" + element.name + "' count is too large"));
    }
    need(element.count * size);
    return offset + element.count * size;
  }
  for (std::uint64_t i = 0; i < element.count; ++i) {
    for (const auto& property : element.properties) {
      std::uint64_t items = 1;
      if (property.is_list) {
        need(ply_type_size(property.count_type));
        const double length =
            binary_value(reinterpret_cast<const unsigned char*>(bytes.data()) + offset,
                         property.count_type, big_endian);
        if (!is_list_length(length, bytes.size())) {
          throw InputError(at_byte(source, offset,
                                   "a list of element '" + element.name + "' has a bad length (" +
                                       std::to_string(length) + ")"));
        }
        items = static_cast<std::uint64_t>(length);
        offset += ply_type_size(property.count_type);
      }
      need(items * ply_type_size(property.type));
      offset += items * ply_type_size(property.type);
    }
  }
  return offset;
}

void read_binary_vertices(const std::string& bytes, const PlyHeader& header,
                          std::size_t vertex_index, const std::vector<Target>& targets, int degree,
                          GaussianSet& set, const std::string& source) {
  const bool big_endian = header.encoding == PlyEncoding::kBinaryBigEndian;
  std::uint64_t offset = header.body_offset;
  for (std::size_t e = 0; e < vertex_index; ++e) {
    offset = skip_binary_element(bytes, offset, header.elements[e], big_endian, source);
  }
  const PlyElement& vertex = header.elements[vertex_index];
  if (vertex.has_lists()) {
    throw InputError(
        at_line(source, vertex.line,
                "element vertex has a list property; 3DGS vertices hold scalars only"));
  }
  const std::uint64_t stride = vertex.fixed_size();
  const std::uint64_t available = bytes.size() - offset;
  if (vertex.count > std::numeric_limits<std::uint64_t>::max() / stride) {
    throw InputError(at_line(source, vertex.line,
                             "element vertex declares " + std::to_string(vertex.count) +
                                 " vertices of " + std::to_string(stride) +
                                 " bytes, more than any file can hold"));
  }
  const std::uint64_t expected = vertex.count * stride;
  if (expected > available) {
    throw InputError(at_byte(source, bytes.size(),
                             "vertex data ends here: " + std::to_string(vertex.count) +
                                 " vertices x " + std::to_string(stride) + " bytes = " +
                                 std::to_string(expected) + " bytes expected from byte " +
                                 std::to_string(offset) + ", found " + std::to_string(available)));
  }
  set.resize(static_cast<std::size_t>(vertex.count), degree);
  std::vector<std::size_t> offsets;
  std::size_t within = 0;
  for (const auto& property : vertex.properties) {
    offsets.push_back(within);
    within += ply_type_size(property.type);
  }
  const std::vector<Destination> dest = destinations(set, targets);
  const auto* base = reinterpret_cast<const unsigned char*>(bytes.data()) + offset;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const unsigned char* row = base + i * stride;
    for (std::size_t p = 0; p < dest.size(); ++p) {
      if (dest[p].base == nullptr) continue;
      dest[p].base[i * dest[p].stride] =
          static_cast<float>(binary_value(row + offsets[p], vertex.properties[p].type, big_endian));
    }
  }
}

// Whitespace-separated numbers of an ascii body.
class AsciiTokens {
 public:
  AsciiTokens(const std::string& bytes, std::size_t offset, const std::string& source)
      : bytes_(bytes), pos_(offset), source_(source) {}

  // Returns the next number; `what` says what was expected, for messages.
  double next(const std::string& what) {
    while (pos_ < bytes_.size() && std::isspace(static_cast<unsigned char>(bytes_[pos_]))) ++pos_;
    if (pos_ >= bytes_.size())
      throw InputError(at_byte(source_, bytes_.size(), "the file ends; expected " + what));
    std::size_t end = pos_;
    while (end < bytes_.size() && !std::isspace(static_cast<unsigned char>(bytes_[end]))) ++end;
    double value = 0.0;
    const char* first = bytes_.data() + pos_;
    const auto result = std::from_chars(first, bytes_.data() + end, value);
    if (result.ec != std::errc() || result.ptr != bytes_.data() + end) {
      throw InputError(at_byte(source_, pos_,
                               "expected " + what + ", got '" +
                                   bytes_.substr(pos_, std::min<std::size_t>(end - pos_, 40)) +
                                   "'"));
    }
    pos_ = end;
    return value;
  }

 private:
  const std::string& bytes_;
  std::size_t pos_;
  const std::string& source_;
};

void read_ascii_vertices(const std::string& bytes, const PlyHeader& header,
                         std::size_t vertex_index, const std::vector<Target>& targets, int degree,
                         GaussianSet& set, const std::string& source) {
  const PlyElement& vertex = header.elements[vertex_index];
  // Every value needs at least one character, so a count larger than the bytes after the header
  // allow cannot be real: refuse it before allocating memory for it.
  const std::uint64_t body = bytes.size() - header.body_offset;
  if (vertex.count > body / vertex.properties.size()) {
    throw InputError(at_byte(source, bytes.size(),
                             "element vertex declares " + std::to_string(vertex.count) +
                                 " vertices (header line " + std::to_string(vertex.line) + ") of " +
                                 std::to_string(vertex.properties.size()) + " values, but only " +
                                 std::to_string(body) + " bytes follow the header"));
  }
  set.resize(static_cast<std::size_t>(vertex.count), degree);
  const std::vector<Destination> dest = destinations(set, targets);
  AsciiTokens tokens(bytes, header.body_offset, source);
  for (std::size_t e = 0; e < vertex_index; ++e) {
    const PlyElement& element = header.elements[e];
    if (element.properties.empty()) continue;  // no values to skip, however large its count
    for (std::uint64_t i = 0; i < element.count; ++i) {
      for (const auto& property : element.properties) {
        const std::string what = "a value of element '" + element.name + "'";
        const double items = property.is_list ? tokens.next(what) : 1.0;
        if (!is_list_length(items, bytes.size())) {
          throw InputError(at_line(source, property.line,
                                   "a list of element '" + element.name + "' has a bad length"));
        }
        for (std::uint64_t item = 0; item < static_cast<std::uint64_t>(items); ++item)
          tokens.next(what);
      }
    }
  }
  for (std::size_t i = 0; i < set.size(); ++i) {
    for (std::size_t p = 0; p < targets.size(); ++p) {
      const auto& property = vertex.properties[p];
      const std::string what = "property '" + property.name + "' of vertex " + std::to_string(i) +
                               " of " + std::to_string(vertex.count);
      if (property.is_list) {
        const double items = tokens.next(what);
        if (!is_list_length(items, bytes.size())) {
          throw InputError(at_line(
              source, property.line,
              "list '" + property.name + "' of vertex " + std::to_string(i) + " has a bad length"));
        }
        for (std::uint64_t item = 0; item < static_cast<std::uint64_t>(items); ++item)
          tokens.next(what);
        continue;
      }
      const double value = tokens.next(what);
      if (dest[p].base != nullptr) dest[p].base[i * dest[p].stride] = static_cast<float>(value);
    }
  }
}

}  // namespace

GaussianSet decode_ply(const std::string& bytes, const std::string& source) {
  const PlyHeader header = parse_ply_header(bytes, source);
  std::size_t vertex_index = header.elements.size();
  for (std::size_t e = 0; e < header.elements.size(); ++e) {
    if (header.elements[e].name == "vertex") {
      vertex_index = e;
      break;
    }
  }
  if (vertex_index == header.elements.size()) {
    throw InputError(at_line(source, header.lines, "the header declares no 'element vertex'"));
  }
  for (std::size_t e = vertex_index + 1; e < header.elements.size(); ++e) {
    spdlog::debug("{}: ignoring PLY element '{}' ({} items) after the vertices", source,
                  header.elements[e].name, header.elements[e].count);
  }
  const PlyElement& vertex = header.elements[vertex_index];
  int degree = 0;
  const std::vector<Target> targets = map_vertex_properties(vertex, source, degree);

  GaussianSet set;
  if (header.encoding == PlyEncoding::kAscii) {
    read_ascii_vertices(bytes, header, vertex_index, targets, degree, set, source);
  } else {
    read_binary_vertices(bytes, header, vertex_index, targets, degree, set, source);
  }
  return set;
}

}  // namespace tera
