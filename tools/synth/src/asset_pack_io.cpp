// Binary layout of the asset pack (docs/teacher.md): a 32-byte header (magic, version, payload
// size, CRC-32 of the payload) followed by the payload sections in a fixed order.
#include <cstring>
#include <type_traits>
#include <zlib.h>

#include "asset_pack.h"
#include "binary_io.h"
#include "half.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"

namespace tera::synth {
namespace {

constexpr char kMagic[8] = {'T', 'E', 'R', 'A', 'P', 'A', 'C', 'K'};  // identifies the file type
constexpr std::size_t kHeaderBytes = 32;  // magic 8, version 4, reserved 4, size 8, crc 4, pad 4

void put_target(ByteWriter& w, const Target& t) {
  w.put_string(t.name);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(t.indices.size()));
  std::uint32_t previous = 0;
  for (auto index : t.indices) {  // increasing indices: store the gaps as varints
    w.put_varint(index - previous);
    previous = index;
  }
  for (float v : t.offsets) w.put<std::uint16_t>(float_to_half(v));
}

Target get_target(ByteReader& r, std::size_t vertex_count) {
  Target t;
  t.name = r.get_string("target name");
  const auto n = r.get<std::uint32_t>("target size");
  if (n > vertex_count)
    r.fail("target '" + t.name + "' has more entries than the mesh has vertices");
  t.indices.resize(n);
  std::uint64_t index = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    index += r.get_varint("target index gap");
    if (index >= vertex_count)
      r.fail("target '" + t.name + "' names vertex " + std::to_string(index));
    t.indices[i] = static_cast<std::uint32_t>(index);
  }
  t.offsets.resize(3 * static_cast<std::size_t>(n));
  for (auto& v : t.offsets) v = half_to_float(r.get<std::uint16_t>("target offset"));
  return t;
}

template <typename T>
void check_indices(ByteReader& r, const std::vector<T>& values, std::size_t limit,
                   const char* what) {
  for (auto v : values) {
    const bool negative = std::is_signed_v<T> && v < T{0};
    if (negative || static_cast<std::size_t>(v) >= limit)
      r.fail(std::string(what) + " holds index " + std::to_string(v) + " (limit " +
             std::to_string(limit) + ")");
  }
}

}  // namespace

void write_pack(const AssetPack& pack, const std::string& path) {
  ByteWriter w;
  const BodyMesh& b = pack.body;
  w.put_array(b.rest_full);
  w.put_array(b.body_to_full);
  w.put_array(b.quads);
  w.put_array(b.quad_uvs);
  w.put_array(b.uvs);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(pack.targets.size()));
  for (const auto& t : pack.targets) put_target(w, t);
  w.put<std::uint32_t>(static_cast<std::uint32_t>(pack.modifiers.size()));
  for (const auto& m : pack.modifiers) {
    w.put_string(m.name);
    w.put_array(m.min_targets);
    w.put_array(m.max_targets);
  }
  w.put<std::uint32_t>(static_cast<std::uint32_t>(pack.proxies.size()));
  for (const auto& p : pack.proxies) {
    w.put_string(p.name);
    w.put_string(p.kind);
    w.put_array(p.ref);
    w.put_array(p.weights);
    w.put_array(p.offsets);
    for (auto v : p.scale_refs) w.put<std::int32_t>(v);
    for (auto v : p.scale_div) w.put<float>(v);
    w.put_array(p.quads);
    w.put_array(p.uvs);
    w.put_array(p.delete_verts);
  }
  w.put<std::uint32_t>(static_cast<std::uint32_t>(pack.skeleton.bones.size()));
  for (const auto& bone : pack.skeleton.bones) {
    w.put_string(bone.name);
    w.put<std::int32_t>(bone.parent);
    w.put_array(bone.head_verts);
    w.put_array(bone.tail_verts);
  }
  w.put_array(pack.weights.bones);
  w.put_array(pack.weights.weights);

  const auto& payload = w.bytes();
  std::vector<std::uint8_t> file(kHeaderBytes);
  std::memcpy(file.data(), kMagic, 8);
  const std::uint32_t version = kPackVersion;
  const std::uint64_t size = payload.size();
  const auto crc =
      static_cast<std::uint32_t>(crc32(0L, payload.data(), static_cast<uInt>(payload.size())));
  std::memcpy(file.data() + 8, &version, 4);
  std::memcpy(file.data() + 16, &size, 8);
  std::memcpy(file.data() + 24, &crc, 4);
  file.insert(file.end(), payload.begin(), payload.end());
  write_file_atomic(path, file.data(), file.size());
}

AssetPack read_pack(const std::string& path) {
  const auto file = read_file_bytes(path);
  if (file.size() < kHeaderBytes) {
    throw InputError(at_byte(path, file.size(),
                             "the file ends inside the " + std::to_string(kHeaderBytes) +
                                 "-byte header (" + std::to_string(file.size()) + " bytes)"));
  }
  ByteReader header(file.data(), kHeaderBytes, path);
  char magic[8];
  for (char& c : magic) c = static_cast<char>(header.get<std::uint8_t>("magic"));
  if (std::memcmp(magic, kMagic, 8) != 0)
    throw InputError(at_byte(path, 0, "not a tera asset pack (magic 'TERAPACK' expected)"));
  const auto version = header.get<std::uint32_t>("version");
  if (version != kPackVersion) {
    throw InputError(at_byte(path, 8,
                             "pack version " + std::to_string(version) +
                                 ", this build reads version " + std::to_string(kPackVersion) +
                                 "; rebuild it with 'tera-synth pack'"));
  }
  header.get<std::uint32_t>("reserved");
  const auto size = header.get<std::uint64_t>("payload size");
  const auto crc = header.get<std::uint32_t>("checksum");
  if (size != file.size() - kHeaderBytes) {
    throw InputError(at_byte(path, 16,
                             "payload size " + std::to_string(size) + " but the file holds " +
                                 std::to_string(file.size() - kHeaderBytes) +
                                 " bytes after the header (truncated?)"));
  }
  const std::uint8_t* payload = file.data() + kHeaderBytes;
  if (crc32(0L, payload, static_cast<uInt>(size)) != crc)
    throw InputError(at_byte(path, 24, "CRC-32 mismatch: the pack is corrupt"));

  ByteReader r(payload, size, path, kHeaderBytes);
  AssetPack pack;
  BodyMesh& b = pack.body;
  b.rest_full = r.get_array<float>("base vertices");
  const std::size_t n = b.rest_full.size() / 3;
  b.body_to_full = r.get_array<std::int32_t>("body vertex map");
  check_indices(r, b.body_to_full, n, "body vertex map");
  b.full_to_body.assign(n, -1);
  for (std::size_t i = 0; i < b.body_to_full.size(); ++i)
    b.full_to_body[b.body_to_full[i]] = static_cast<std::int32_t>(i);
  b.quads = r.get_array<std::int32_t>("body quads");
  check_indices(r, b.quads, b.body_to_full.size(), "body quads");
  b.quad_uvs = r.get_array<std::int32_t>("body quad uvs");
  b.uvs = r.get_array<float>("uvs");
  check_indices(r, b.quad_uvs, b.uvs.size() / 2, "body quad uvs");
  if (b.quad_uvs.size() != b.quads.size()) r.fail("body quads and quad uvs differ in length");
  const auto target_count = r.get<std::uint32_t>("target count");
  for (std::uint32_t i = 0; i < target_count; ++i) pack.targets.push_back(get_target(r, n));
  const auto modifier_count = r.get<std::uint32_t>("modifier count");
  for (std::uint32_t i = 0; i < modifier_count; ++i) {
    DetailModifier m;
    m.name = r.get_string("modifier name");
    m.min_targets = r.get_array<std::int32_t>("modifier min targets");
    m.max_targets = r.get_array<std::int32_t>("modifier max targets");
    check_indices(r, m.min_targets, pack.targets.size(), "modifier min targets");
    check_indices(r, m.max_targets, pack.targets.size(), "modifier max targets");
    pack.modifiers.push_back(m);
  }
  const auto proxy_count = r.get<std::uint32_t>("proxy count");
  for (std::uint32_t i = 0; i < proxy_count; ++i) {
    Proxy p;
    p.name = r.get_string("proxy name");
    p.kind = r.get_string("proxy kind");
    p.ref = r.get_array<std::int32_t>("proxy refs");
    check_indices(r, p.ref, n, "proxy refs");
    p.weights = r.get_array<float>("proxy weights");
    p.offsets = r.get_array<float>("proxy offsets");
    for (auto& v : p.scale_refs) v = r.get<std::int32_t>("proxy scale refs");
    for (auto v : p.scale_refs)
      if (v < 0 || static_cast<std::size_t>(v) >= n) r.fail("proxy scale ref out of range");
    for (auto& v : p.scale_div) v = r.get<float>("proxy scale distances");
    p.quads = r.get_array<std::int32_t>("proxy quads");
    check_indices(r, p.quads, p.ref.size() / 3, "proxy quads");
    p.uvs = r.get_array<float>("proxy uvs");
    p.delete_verts = r.get_array<std::int32_t>("proxy delete_verts");
    check_indices(r, p.delete_verts, n, "proxy delete_verts");
    if (p.weights.size() != p.ref.size() || p.offsets.size() != p.ref.size())
      r.fail("proxy '" + p.name + "' arrays disagree in length");
    pack.proxies.push_back(std::move(p));
  }
  const auto bone_count = r.get<std::uint32_t>("bone count");
  for (std::uint32_t i = 0; i < bone_count; ++i) {
    Bone bone;
    bone.name = r.get_string("bone name");
    bone.parent = r.get<std::int32_t>("bone parent");
    if (bone.parent >= static_cast<std::int32_t>(i))
      r.fail("bone '" + bone.name + "' has a parent that does not precede it");
    bone.head_verts = r.get_array<std::int32_t>("bone head vertices");
    bone.tail_verts = r.get_array<std::int32_t>("bone tail vertices");
    check_indices(r, bone.head_verts, n, "bone head vertices");
    check_indices(r, bone.tail_verts, n, "bone tail vertices");
    pack.skeleton.bones.push_back(bone);
  }
  pack.weights.bones = r.get_array<std::uint16_t>("skin weight bones");
  check_indices(r, pack.weights.bones, std::max<std::size_t>(1, bone_count), "skin weight bones");
  pack.weights.weights = r.get_array<float>("skin weights");
  if (pack.weights.bones.size() != n * kSkinInfluences ||
      pack.weights.weights.size() != n * kSkinInfluences) {
    r.fail("skin weights do not cover every base vertex");
  }
  if (!r.at_end()) r.fail("unexpected bytes after the last section");
  return pack;
}

}  // namespace tera::synth
