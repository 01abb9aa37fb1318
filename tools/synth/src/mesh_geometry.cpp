#include "mesh_geometry.h"

#include "obj_mesh.h"
#include "vec3.h"

namespace tera::synth {
namespace {

std::vector<std::uint32_t> split_quads(const std::vector<std::int32_t>& quads) {
  std::vector<std::uint32_t> out;
  out.reserve(quads.size() / 4 * 6);
  for (std::size_t f = 0; f < quads.size() / 4; ++f) {
    const auto* q = &quads[4 * f];
    for (int c : {0, 1, 2, 0, 2, 3}) out.push_back(static_cast<std::uint32_t>(q[c]));
  }
  return out;
}

}  // namespace

std::vector<std::uint32_t> body_triangles(const BodyMesh& body) { return split_quads(body.quads); }
std::vector<std::uint32_t> body_triangle_uvs(const BodyMesh& body) {
  return split_quads(body.quad_uvs);
}

std::vector<float> vertex_normals(const std::vector<float>& positions,
                                  const std::vector<std::uint32_t>& triangles) {
  std::vector<float> normals(positions.size(), 0.f);
  for (std::size_t t = 0; t < triangles.size() / 3; ++t) {
    const auto a = triangles[3 * t], b = triangles[3 * t + 1], c = triangles[3 * t + 2];
    const Vec3 pa = row3(positions.data(), a);
    const Vec3 n =
        cross(row3(positions.data(), b) - pa, row3(positions.data(), c) - pa);  // length = 2 * area
    for (auto v : {a, b, c})
      for (int k = 0; k < 3; ++k) normals[3 * v + k] += n[k];
  }
  for (std::size_t v = 0; v < normals.size() / 3; ++v) {
    const Vec3 n = normalized(row3(normals.data(), v));
    for (int k = 0; k < 3; ++k) normals[3 * v + k] = n[k];
  }
  return normals;
}

}  // namespace tera::synth
