// Reader and writer of the UV template file (layout: docs/template-format.md). Header: magic
// "TERATMPL", then uint32 version, R, texels M, vertices V, triangles T, bones B, regions,
// influences, payload bytes, CRC-32 of the payload. Payload, all little-endian: texel u32[M],
// triangle u32[M], barycentric f32[M,3], position, normal, tangent, bitangent f32[M,3] each,
// region u8[M], bones u16[M,4], weights f32[M,4], vertices f32[V,3], triangles u32[T,3],
// B bone names (u32 length + bytes), parents i32[B], heads f32[B,3], tails f32[B,3].
#include <cstring>
#include <zlib.h>

#include "tera/core/atomic_file.h"
#include "tera/core/byte_order.h"
#include "tera/core/error.h"
#include "tera/decode/avatar_template.h"

namespace tera {
namespace {

constexpr char kMagic[8] = {'T', 'E', 'R', 'A', 'T', 'M', 'P', 'L'};  // identifies the file type
constexpr std::size_t kHeaderFields = 10;                    // uint32 fields after the magic
constexpr std::size_t kHeaderBytes = 8 + 4 * kHeaderFields;  // 48

static_assert(sizeof(float) == 4, "the template stores IEEE float32");

class Writer {
 public:
  template <typename T>
  void put(const T& v) {
    append_le(bytes, v);
  }
  template <typename T>
  void put_all(const std::vector<T>& values) {
    append_le(bytes, values.data(), values.size());
  }
  std::string bytes;
};

class Reader {
 public:
  Reader(const std::string& data, std::size_t begin, std::string file)
      : data_(data), pos_(begin), file_(std::move(file)) {}
  template <typename T>
  T get(const char* what) {
    if (sizeof(T) > data_.size() - pos_) {
      throw InputError(at_byte(file_, pos_, std::string("truncated while reading ") + what));
    }
    const T v = load_le<T>(reinterpret_cast<const unsigned char*>(data_.data()) + pos_);
    pos_ += sizeof(T);
    return v;
  }
  template <typename T>
  std::vector<T> get_all(std::size_t count, const char* what) {
    if (count > (data_.size() - pos_) / sizeof(T)) {
      throw InputError(at_byte(file_, pos_,
                               std::string("truncated while reading ") + what + " (" +
                                   std::to_string(count) + " values)"));
    }
    std::vector<T> v(count);
    load_le(v.data(), reinterpret_cast<const unsigned char*>(data_.data()) + pos_, count);
    pos_ += count * sizeof(T);
    return v;
  }
  std::string get_string(const char* what) {
    const auto n = get<std::uint32_t>(what);
    const auto chars = get_all<char>(n, what);
    return std::string(chars.begin(), chars.end());
  }
  std::size_t position() const { return pos_; }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  const std::string& data_;
  std::size_t pos_;
  std::string file_;
};

}  // namespace

const char* template_region_name(TemplateRegion region) {
  switch (region) {
    case TemplateRegion::kScalp: return "scalp";
    case TemplateRegion::kFace: return "face";
    case TemplateRegion::kUpperBody: return "upper_body";
    case TemplateRegion::kArms: return "arms";
    case TemplateRegion::kLowerBody: return "lower_body";
    case TemplateRegion::kFeet: return "feet";
  }
  return "?";
}

void AvatarTemplate::frame(std::size_t i, float out[9]) const {
  for (int k = 0; k < 3; ++k) {
    out[k] = tangent[3 * i + k];
    out[3 + k] = bitangent[3 * i + k];
    out[6 + k] = normal[3 * i + k];
  }
}

void write_avatar_template(const AvatarTemplate& t, const std::filesystem::path& path) {
  Writer body;
  body.put_all(t.texel);
  body.put_all(t.triangle);
  body.put_all(t.barycentric);
  body.put_all(t.position);
  body.put_all(t.normal);
  body.put_all(t.tangent);
  body.put_all(t.bitangent);
  body.put_all(t.region);
  body.put_all(t.bones);
  body.put_all(t.weights);
  body.put_all(t.vertices);
  body.put_all(t.triangles);
  for (const auto& name : t.bone_names) {
    body.put(static_cast<std::uint32_t>(name.size()));
    body.bytes += name;
  }
  body.put_all(t.bone_parents);
  body.put_all(t.bone_heads);
  body.put_all(t.bone_tails);
  Writer head;
  head.bytes.assign(kMagic, kMagic + 8);
  const auto& payload = body.bytes;
  const std::uint32_t fields[kHeaderFields] = {
      kAvatarTemplateVersion,
      static_cast<std::uint32_t>(t.resolution),
      static_cast<std::uint32_t>(t.texel_count()),
      static_cast<std::uint32_t>(t.vertices.size() / 3),
      static_cast<std::uint32_t>(t.triangles.size() / 3),
      static_cast<std::uint32_t>(t.bone_names.size()),
      static_cast<std::uint32_t>(kTemplateRegionCount),
      static_cast<std::uint32_t>(kTemplateInfluences),
      static_cast<std::uint32_t>(payload.size()),
      static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(payload.data()),
                                       static_cast<uInt>(payload.size())))};
  for (auto f : fields) head.put(f);
  head.bytes += payload;
  write_file_atomic(path, head.bytes.data(), head.bytes.size());
}

AvatarTemplate read_avatar_template(const std::filesystem::path& path_in) {
  const std::string path = path_in.string();
  const std::string file = read_file(path_in);
  Reader h(file, 0, path);
  if (file.size() < kHeaderBytes || std::memcmp(file.data(), kMagic, 8) != 0) {
    throw InputError(
        at_byte(path, 0, "not a tera template (magic 'TERATMPL' and a 48-byte header expected)"));
  }
  h.get_all<char>(8, "magic");
  std::uint32_t f[kHeaderFields];
  const char* names[kHeaderFields] = {
      "version",    "resolution",   "texel count", "vertex count", "triangle count",
      "bone count", "region count", "influences",  "payload size", "checksum"};
  for (std::size_t i = 0; i < kHeaderFields; ++i) f[i] = h.get<std::uint32_t>(names[i]);
  if (f[0] != kAvatarTemplateVersion)
    throw InputError(at_byte(path, 8,
                             "template version " + std::to_string(f[0]) + ", expected " +
                                 std::to_string(kAvatarTemplateVersion)));
  if (f[1] == 0) throw InputError(at_byte(path, 12, "resolution 0"));
  if (f[6] != kTemplateRegionCount || f[7] != kTemplateInfluences)
    throw InputError(at_byte(path, 32,
                             "region count " + std::to_string(f[6]) + " and influences " +
                                 std::to_string(f[7]) + ", expected 6 and 4"));
  if (f[2] > static_cast<std::uint64_t>(f[1]) * f[1])
    throw InputError(at_byte(path, 16, "more texels than R*R"));
  if (file.size() - kHeaderBytes != f[8])
    throw InputError(at_byte(path, 40,
                             "payload size " + std::to_string(f[8]) + " but " +
                                 std::to_string(file.size() - kHeaderBytes) +
                                 " bytes follow the header (truncated?)"));
  if (crc32(0L, reinterpret_cast<const Bytef*>(file.data() + kHeaderBytes), f[8]) != f[9])
    throw InputError(at_byte(path, 44, "CRC-32 mismatch: the template is corrupt"));
  Reader r(file, kHeaderBytes, path);
  AvatarTemplate t;
  t.resolution = static_cast<int>(f[1]);
  const std::size_t m = f[2], v = f[3], tris = f[4], b = f[5];
  t.texel = r.get_all<std::uint32_t>(m, "texel");
  t.triangle = r.get_all<std::uint32_t>(m, "triangle");
  t.barycentric = r.get_all<float>(3 * m, "barycentric");
  t.position = r.get_all<float>(3 * m, "position");
  t.normal = r.get_all<float>(3 * m, "normal");
  t.tangent = r.get_all<float>(3 * m, "tangent");
  t.bitangent = r.get_all<float>(3 * m, "bitangent");
  t.region = r.get_all<std::uint8_t>(m, "region");
  t.bones = r.get_all<std::uint16_t>(kTemplateInfluences * m, "bones");
  t.weights = r.get_all<float>(kTemplateInfluences * m, "weights");
  t.vertices = r.get_all<float>(3 * v, "vertices");
  t.triangles = r.get_all<std::uint32_t>(3 * tris, "triangles");
  for (std::size_t i = 0; i < b; ++i) t.bone_names.push_back(r.get_string("bone name"));
  t.bone_parents = r.get_all<std::int32_t>(b, "bone parents");
  t.bone_heads = r.get_all<float>(3 * b, "bone heads");
  t.bone_tails = r.get_all<float>(3 * b, "bone tails");
  if (!r.at_end())
    throw InputError(at_byte(path, r.position(), "unexpected bytes after the bone tails"));
  const std::uint64_t cells = static_cast<std::uint64_t>(t.resolution) * t.resolution;
  for (std::size_t i = 0; i < m; ++i) {
    if (t.texel[i] >= cells || (i > 0 && t.texel[i] <= t.texel[i - 1]))
      throw InputError(path + ": texel " + std::to_string(i) + " is out of range or out of order");
    if (t.triangle[i] >= tris)
      throw InputError(path + ": texel " + std::to_string(i) + " names triangle " +
                       std::to_string(t.triangle[i]) + " of " + std::to_string(tris));
    if (t.region[i] >= kTemplateRegionCount)
      throw InputError(path + ": texel " + std::to_string(i) + " has region " +
                       std::to_string(t.region[i]));
  }
  for (auto idx : t.triangles) {
    if (idx >= v)
      throw InputError(path + ": a triangle names vertex " + std::to_string(idx) + " of " +
                       std::to_string(v));
  }
  for (auto bone : t.bones) {
    if (bone >= std::max<std::size_t>(1, b))
      throw InputError(path + ": a texel names bone " + std::to_string(bone) + " of " +
                       std::to_string(b));
  }
  return t;
}

}  // namespace tera
