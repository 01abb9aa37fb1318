// The UV template of a model package: the body's UV layout rasterised into an R x R grid, every
// covered texel an anchor on the rest-pose body with a tangent frame, a region and skin weights.
// Same file format as the avatar teacher's template (docs/template-format.md): magic "TERATMPL",
// ten little-endian uint32 header fields, a CRC-32-checked payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tera {

constexpr std::uint32_t kAvatarTemplateVersion = 1;  // file version this build reads and writes
constexpr int kTemplateInfluences = 4;               // skin weights kept per texel
constexpr int kTemplateRegionCount = 6;  // scalp, face, upper body, arms, lower body, feet

enum class TemplateRegion : std::uint8_t {
  kScalp = 0,
  kFace = 1,
  kUpperBody = 2,
  kArms = 3,
  kLowerBody = 4,
  kFeet = 5
};
const char* template_region_name(TemplateRegion region);

struct AvatarTemplate {
  int resolution = 0;  // R
  // Per valid texel, in increasing texel order:
  std::vector<std::uint32_t> texel;     // [M] y * R + x (row 0 is the top of the UV square, v = 1)
  std::vector<std::uint32_t> triangle;  // [M] index into triangles
  std::vector<float> barycentric;       // [M, 3] weights of the triangle's corners
  std::vector<float> position;          // [M, 3] rest position, metres
  std::vector<float> normal;            // [M, 3] unit outward normal
  std::vector<float> tangent;           // [M, 3] unit, along +u, orthogonal to the normal
  std::vector<float> bitangent;         // [M, 3] normal x tangent
  std::vector<std::uint8_t> region;     // [M] TemplateRegion
  std::vector<std::uint16_t> bones;     // [M, 4] bone indices
  std::vector<float> weights;           // [M, 4] skin weights, sum 1
  // Mesh and rig:
  std::vector<float> vertices;             // [V, 3] rest body vertices, metres
  std::vector<std::uint32_t> triangles;    // [T, 3] body vertex indices
  std::vector<std::string> bone_names;     // [B]
  std::vector<std::int32_t> bone_parents;  // [B] -1 for the root
  std::vector<float> bone_heads;           // [B, 3] rest joint positions, metres
  std::vector<float> bone_tails;           // [B, 3]

  std::size_t texel_count() const { return texel.size(); }
  // Frame of texel i as rows: tangent, bitangent, normal. out: [9] row-major 3x3.
  void frame(std::size_t i, float out[9]) const;
};

// Writes through a temporary file and an atomic rename.
void write_avatar_template(const AvatarTemplate& t, const std::filesystem::path& path);
// Throws InputError naming the file, byte offset and field.
AvatarTemplate read_avatar_template(const std::filesystem::path& path);

}  // namespace tera
