// The UV template: the body's UV layout rasterised into an R x R grid. Every covered texel is an
// anchor on the rest-pose body with a tangent frame, a region and skin weights. The file format is
// in docs/template-format.md; the runtime reads the same file.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tera::synth {

// Template file version; bump on any layout change.
constexpr std::uint32_t kTemplateVersion = 1;
constexpr int kTemplateInfluences = 4;  // skin weights kept per texel

enum class Region : std::uint8_t { kScalp = 0, kFace = 1, kUpperBody = 2, kArms = 3, kLowerBody = 4, kFeet = 5 };
constexpr int kRegionCount = 6;
const char* region_name(Region region);

struct Template {
  int resolution = 0;                    // R
  // Per valid texel, in increasing texel order:
  std::vector<std::uint32_t> texel;      // [M] y * R + x (row 0 is the top of the UV square, v = 1)
  std::vector<std::uint32_t> triangle;   // [M] index into triangles
  std::vector<float> barycentric;        // [M, 3] weights of the triangle's corners
  std::vector<float> position;           // [M, 3] rest position, metres
  std::vector<float> normal;             // [M, 3] unit outward normal
  std::vector<float> tangent;            // [M, 3] unit, along +u, orthogonal to the normal
  std::vector<float> bitangent;          // [M, 3] normal x tangent
  std::vector<std::uint8_t> region;      // [M] Region
  std::vector<std::uint16_t> bones;      // [M, 4] bone indices
  std::vector<float> weights;            // [M, 4] skin weights, sum 1
  // Mesh and rig:
  std::vector<float> vertices;           // [V, 3] rest body vertices, metres
  std::vector<std::uint32_t> triangles;  // [T, 3] body vertex indices
  std::vector<std::string> bone_names;   // [B]
  std::vector<std::int32_t> bone_parents;// [B] -1 for the root
  std::vector<float> bone_heads;         // [B, 3] rest joint positions, metres
  std::vector<float> bone_tails;         // [B, 3]

  std::size_t texel_count() const { return texel.size(); }
  // Frame of texel i as rows: tangent, bitangent, normal.
  void frame(std::size_t i, float out[9]) const;
};

struct AssetPack;
// Rasterises the body's UV layout at resolution R (>= 16) and fills every field.
Template build_template(const AssetPack& pack, int resolution);

// Per body vertex region (used by the template and by colouring).
std::vector<std::uint8_t> body_vertex_regions(const AssetPack& pack);

// Binary I/O; the reader throws InputError naming the file, byte offset and field.
void write_template(const Template& t, const std::string& path);
Template read_template(const std::string& path);

}  // namespace tera::synth
