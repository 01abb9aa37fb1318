// Geometry of the body mesh: triangulation of the quads and area-weighted vertex normals.
#pragma once

#include <cstdint>
#include <vector>

namespace tera::synth {

struct BodyMesh;

// Quad f becomes triangles 2f = (0, 1, 2) and 2f + 1 = (0, 2, 3). [T, 3] body vertex indices.
std::vector<std::uint32_t> body_triangles(const BodyMesh& body);
// Matching uv indices [T, 3].
std::vector<std::uint32_t> body_triangle_uvs(const BodyMesh& body);
// Unit vertex normals [V, 3] of triangles [T, 3] over positions [V, 3] (area-weighted).
std::vector<float> vertex_normals(const std::vector<float>& positions,
                                  const std::vector<std::uint32_t>& triangles);

}  // namespace tera::synth
