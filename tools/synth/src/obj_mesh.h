// Wavefront OBJ reading for the MakeHuman base mesh and proxy meshes, and the body subset of the
// base mesh that the template is built on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tera::synth {

// MakeHuman meshes are in decimetres; the project works in metres.
constexpr float kDecimetresToMetres = 0.1f;

// An OBJ mesh of quads (triangles are stored with the last corner repeated).
struct ObjMesh {
  std::vector<float> positions;          // [V, 3] metres
  std::vector<float> uvs;                // [T, 2]
  std::vector<std::int32_t> face_verts;  // [F, 4] 0-based vertex indices
  std::vector<std::int32_t> face_uvs;    // [F, 4] 0-based uv indices (-1 when the file has none)
  std::vector<std::int32_t> face_group;  // [F] index into group_names
  std::vector<std::string> group_names;
  std::size_t vertex_count() const { return positions.size() / 3; }
  std::size_t face_count() const { return face_group.size(); }
};

// Parses an OBJ file; positions are scaled from decimetres to metres. Throws InputError naming the
// file and line on malformed input.
ObjMesh read_obj(const std::string& path);

// The `body` group of the base mesh together with the full vertex list (the helper vertices are
// needed to fit proxies).
struct BodyMesh {
  std::vector<float> rest_full;            // [N, 3] every base-mesh vertex, metres
  std::vector<std::int32_t> body_to_full;  // [Vb] full index of each body vertex
  std::vector<std::int32_t> full_to_body;  // [N] body index, or -1 for helper/joint vertices
  std::vector<std::int32_t> quads;         // [F, 4] body vertex indices
  std::vector<std::int32_t> quad_uvs;      // [F, 4] indices into uvs
  std::vector<float> uvs;                  // [T, 2] MakeHuman's default UV layout
  std::size_t full_count() const { return rest_full.size() / 3; }
  std::size_t body_count() const { return body_to_full.size(); }
  std::size_t quad_count() const { return quads.size() / 4; }
};

// Extracts group `body` from the parsed base mesh; throws InputError if the group is missing.
BodyMesh extract_body(const ObjMesh& base, const std::string& source);

// Gathers body-vertex positions [Vb, 3] from full-mesh positions [N, 3].
std::vector<float> body_positions(const BodyMesh& body, const std::vector<float>& full);

}  // namespace tera::synth
