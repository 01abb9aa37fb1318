// MakeHuman proxies (.mhclo): each proxy vertex is a weighted triangle of base-mesh vertices plus
// an offset scaled by reference distances, so the proxy follows any shape of the body.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "obj_mesh.h"

namespace tera::synth {

struct Proxy {
  std::string name;                          // e.g. "long01"
  std::string kind;                          // hair, clothes, shoes, hat, eyebrows, eyelashes, eyes
  std::vector<std::int32_t> ref;             // [P, 3] full base-mesh vertex indices
  std::vector<float> weights;                // [P, 3] barycentric-like weights
  std::vector<float> offsets;                // [P, 3] offsets as in the file (scaled at fit time)
  std::array<std::int32_t, 6> scale_refs{};  // x, y, z: pairs of base vertices (a, b)
  std::array<float, 3> scale_div{1.f, 1.f,
                                 1.f};     // x, y, z: reference distances in the file's units
  std::vector<std::int32_t> quads;         // [F, 4] proxy vertex indices (from the proxy's .obj)
  std::vector<float> uvs;                  // [P, 2] per proxy vertex (first uv seen), for patterns
  std::vector<std::int32_t> delete_verts;  // full base-mesh vertices hidden under the proxy
  std::size_t vertex_count() const { return ref.size() / 3; }
};

// Reads `mhclo_path` and the .obj it names (in the same folder). Checks indices against
// `base_vertex_count` and that both files agree on the vertex count; throws InputError otherwise.
Proxy read_proxy(const std::string& mhclo_path, const std::string& kind,
                 std::size_t base_vertex_count);

// Proxy vertex positions [P, 3] in metres fitted to full base-mesh positions `full` [N, 3]
// (metres).
std::vector<float> fit_proxy(const Proxy& proxy, const std::vector<float>& full);

}  // namespace tera::synth
