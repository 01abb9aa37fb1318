// Template file reader and writer (layout: docs/template-format.md).
#include <cstring>
#include <zlib.h>

#include "binary_io.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "template.h"

namespace tera::synth {
namespace {

constexpr char kMagic[8] = {'T', 'E', 'R', 'A', 'T', 'M', 'P', 'L'};  // identifies the file type
constexpr std::size_t kHeaderBytes = 48;  // magic 8 + 10 u32 fields

template <typename T>
void put_raw(ByteWriter& w, const std::vector<T>& v) {
  for (const auto& x : v) w.put<T>(x);
}

template <typename T>
std::vector<T> get_raw(ByteReader& r, std::size_t count, const char* what) {
  std::vector<T> v(count);
  for (auto& x : v) x = r.get<T>(what);
  return v;
}

}  // namespace

void Template::frame(std::size_t i, float out[9]) const {
  for (int k = 0; k < 3; ++k) {
    out[k] = tangent[3 * i + k];
    out[3 + k] = bitangent[3 * i + k];
    out[6 + k] = normal[3 * i + k];
  }
}

void write_template(const Template& t, const std::string& path) {
  ByteWriter body;
  put_raw(body, t.texel);
  put_raw(body, t.triangle);
  put_raw(body, t.barycentric);
  put_raw(body, t.position);
  put_raw(body, t.normal);
  put_raw(body, t.tangent);
  put_raw(body, t.bitangent);
  put_raw(body, t.region);
  put_raw(body, t.bones);
  put_raw(body, t.weights);
  put_raw(body, t.vertices);
  put_raw(body, t.triangles);
  for (const auto& name : t.bone_names) body.put_string(name);
  put_raw(body, t.bone_parents);
  put_raw(body, t.bone_heads);
  put_raw(body, t.bone_tails);
  const auto& payload = body.bytes();
  ByteWriter head;
  for (char c : kMagic) head.put<char>(c);
  const std::uint32_t fields[10] = {kTemplateVersion,
                                    static_cast<std::uint32_t>(t.resolution),
                                    static_cast<std::uint32_t>(t.texel_count()),
                                    static_cast<std::uint32_t>(t.vertices.size() / 3),
                                    static_cast<std::uint32_t>(t.triangles.size() / 3),
                                    static_cast<std::uint32_t>(t.bone_names.size()),
                                    static_cast<std::uint32_t>(kRegionCount),
                                    static_cast<std::uint32_t>(kTemplateInfluences),
                                    static_cast<std::uint32_t>(payload.size()),
                                    static_cast<std::uint32_t>(crc32(0L, payload.data(), static_cast<uInt>(payload.size())))};
  for (auto f : fields) head.put<std::uint32_t>(f);
  auto& bytes = head.bytes();
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  write_file_atomic(path, bytes.data(), bytes.size());
}

Template read_template(const std::string& path) {
  const auto file = read_file_bytes(path);
  ByteReader h(file.data(), std::min(file.size(), kHeaderBytes), path);
  char magic[8];
  for (char& c : magic) c = h.get<char>("magic");
  if (std::memcmp(magic, kMagic, 8) != 0) throw InputError(at_byte(path, 0, "not a tera template (magic 'TERATMPL' expected)"));
  std::uint32_t f[10];
  const char* names[10] = {"version", "resolution", "texel count", "vertex count", "triangle count",
                           "bone count", "region count", "influences", "payload size", "checksum"};
  for (int i = 0; i < 10; ++i) f[i] = h.get<std::uint32_t>(names[i]);
  if (f[0] != kTemplateVersion) throw InputError(at_byte(path, 8, "template version " + std::to_string(f[0]) + ", expected " + std::to_string(kTemplateVersion)));
  if (f[6] != kRegionCount || f[7] != kTemplateInfluences) throw InputError(at_byte(path, 32, "unexpected region count or influence count"));
  if (f[2] > static_cast<std::uint64_t>(f[1]) * f[1]) throw InputError(at_byte(path, 16, "more texels than R*R"));
  if (file.size() - kHeaderBytes != f[8]) throw InputError(at_byte(path, 40, "payload size " + std::to_string(f[8]) + " but " + std::to_string(file.size() - kHeaderBytes) + " bytes follow the header (truncated?)"));
  const std::uint8_t* payload = file.data() + kHeaderBytes;
  if (crc32(0L, payload, f[8]) != f[9]) throw InputError(at_byte(path, 44, "CRC-32 mismatch: the template is corrupt"));
  ByteReader r(payload, f[8], path, kHeaderBytes);
  Template t;
  t.resolution = static_cast<int>(f[1]);
  const std::size_t m = f[2], v = f[3], tris = f[4], b = f[5];
  t.texel = get_raw<std::uint32_t>(r, m, "texel");
  t.triangle = get_raw<std::uint32_t>(r, m, "triangle");
  t.barycentric = get_raw<float>(r, 3 * m, "barycentric");
  t.position = get_raw<float>(r, 3 * m, "position");
  t.normal = get_raw<float>(r, 3 * m, "normal");
  t.tangent = get_raw<float>(r, 3 * m, "tangent");
  t.bitangent = get_raw<float>(r, 3 * m, "bitangent");
  t.region = get_raw<std::uint8_t>(r, m, "region");
  t.bones = get_raw<std::uint16_t>(r, kTemplateInfluences * m, "bones");
  t.weights = get_raw<float>(r, kTemplateInfluences * m, "weights");
  t.vertices = get_raw<float>(r, 3 * v, "vertices");
  t.triangles = get_raw<std::uint32_t>(r, 3 * tris, "triangles");
  for (std::size_t i = 0; i < b; ++i) t.bone_names.push_back(r.get_string("bone name"));
  t.bone_parents = get_raw<std::int32_t>(r, b, "bone parents");
  t.bone_heads = get_raw<float>(r, 3 * b, "bone heads");
  t.bone_tails = get_raw<float>(r, 3 * b, "bone tails");
  if (!r.at_end()) r.fail("unexpected bytes after the bone tails");
  const std::uint64_t cells = static_cast<std::uint64_t>(t.resolution) * t.resolution;
  for (std::size_t i = 0; i < m; ++i) {
    if (t.texel[i] >= cells || (i > 0 && t.texel[i] <= t.texel[i - 1])) throw InputError(path + ": texel " + std::to_string(i) + " is out of range or out of order");
    if (t.triangle[i] >= tris) throw InputError(path + ": texel " + std::to_string(i) + " names triangle " + std::to_string(t.triangle[i]));
    if (t.region[i] >= kRegionCount) throw InputError(path + ": texel " + std::to_string(i) + " has region " + std::to_string(t.region[i]));
  }
  for (auto idx : t.triangles) if (idx >= v) throw InputError(path + ": a triangle names vertex " + std::to_string(idx));
  for (auto bone : t.bones) if (bone >= std::max<std::size_t>(1, b)) throw InputError(path + ": a texel names bone " + std::to_string(bone));
  return t;
}

}  // namespace tera::synth
