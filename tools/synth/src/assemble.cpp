// Maps -> Gaussians (the library's assembly, through the teacher's channel layout), dense sampling
// of the dressed surface, and the coverage measure (share of surface samples near a Gaussian
// centre).
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "bake.h"
#include "human.h"
#include "tera/core/rng.h"
#include "tera/decode/assembly.h"
#include "vec3.h"

namespace tera::synth {
namespace {

std::int64_t cell_key(std::int64_t x, std::int64_t y, std::int64_t z) {
  return (x & 0x1fffff) | ((y & 0x1fffff) << 21) | ((z & 0x1fffff) << 42);  // 21 bits per axis
}

void sample_triangles(const std::vector<float>& positions, const std::vector<std::int32_t>& quads,
                      const std::vector<char>* skip_quad, Rng& rng, std::vector<float>& out) {
  constexpr float kSampleArea = 0.005f * 0.005f;  // one sample per 5 mm square
  for (std::size_t q = 0; q < quads.size() / 4; ++q) {
    if (skip_quad && (*skip_quad)[q]) continue;
    const std::int32_t* c = &quads[4 * q];
    for (int half = 0; half < 2; ++half) {
      const Vec3 a = row3(positions.data(), c[0]);
      const Vec3 b = row3(positions.data(), c[half ? 2 : 1]);
      const Vec3 d = row3(positions.data(), c[half ? 3 : 2]);
      const float area = 0.5f * length(cross(b - a, d - a));
      const float expected = area / kSampleArea;
      int count = static_cast<int>(expected);
      if (rng.uniform() < expected - count) ++count;
      for (int s = 0; s < count; ++s) {
        float u = rng.uniform(), v = rng.uniform();
        if (u + v > 1.f) {
          u = 1.f - u;
          v = 1.f - v;
        }
        const Vec3 p = a + (b - a) * u + (d - a) * v;
        out.insert(out.end(), p.begin(), p.end());
      }
    }
  }
}

}  // namespace

std::vector<LayerChannels> teacher_layer_channels() {
  std::vector<LayerChannels> layers;
  for (int l = 0; l < kMapLayers; ++l) {
    LayerChannels layer;
    layer.name = "layer" + std::to_string(l);
    const int base = l * kMapChannels;
    layer.offset = base + kOffset;
    layer.color = base + kColour;
    layer.opacity = base + kOpacity;
    layer.log_scale = base + kLogScale;
    layer.rotation = base + kAngle;
    layer.opacity_is_alpha = true;
    layers.push_back(layer);
  }
  return layers;
}

std::vector<float> dense_maps(const Template& t, const BakedMaps& maps) {
  const std::size_t plane = static_cast<std::size_t>(t.resolution) * t.resolution,
                    m = t.texel_count();
  std::vector<float> grid(static_cast<std::size_t>(kMapLayers) * kMapChannels * plane, 0.f);
  for (int l = 0; l < kMapLayers; ++l) {
    for (std::size_t i = 0; i < m; ++i) {
      const float* v = maps.at(l, i, m);
      for (int c = 0; c < kMapChannels; ++c)
        grid[(static_cast<std::size_t>(l) * kMapChannels + c) * plane + t.texel[i]] = v[c];
    }
  }
  return grid;
}

GaussianSet assemble_gaussians(const Template& t, const BakedMaps& maps) {
  return tera::assemble_gaussians(dense_maps(t, maps), kMapLayers * kMapChannels, t.resolution,
                                  teacher_layer_channels(), t, AssemblyOptions{});
}

std::vector<float> sample_dressed_surface(const AssetPack& pack, const Human& human,
                                          const std::vector<float>& shaped_body,
                                          const std::vector<char>& hidden,
                                          std::vector<std::uint8_t>& part) {
  Rng rng(0x5EED5A3D1Eull);  // fixed: the same avatar always gets the same samples
  std::vector<float> out;
  std::vector<char> skip(pack.body.quad_count(), 0);
  for (std::size_t q = 0; q < skip.size(); ++q) {
    bool all = true;
    for (int c = 0; c < 4; ++c)
      all = all && hidden[pack.body.body_to_full[pack.body.quads[4 * q + c]]];
    skip[q] = all;
  }
  sample_triangles(shaped_body, pack.body.quads, &skip, rng, out);
  part.assign(out.size() / 3, 0);
  for (const auto& fitted : human.proxies) {
    const auto& kind = fitted.proxy->kind;
    const bool garment = kind == "clothes" || kind == "shoes";
    if (garment || kind == "hat" || kind == "hair") {
      sample_triangles(fitted.positions, fitted.proxy->quads, nullptr, rng, out);
      part.resize(out.size() / 3, garment ? 1 : 2);
    }
  }
  return out;
}

std::vector<char> covered_points(const std::vector<float>& points, const GaussianSet& set,
                                 float radius, bool use_extent) {
  std::vector<float> extent(set.size(), 0.f);
  float max_extent = 0.f;
  for (std::size_t g = 0; g < set.size() && use_extent; ++g) {
    const float* s = &set.log_scales[3 * g];
    extent[g] = std::min(std::exp(std::max({s[0], s[1], s[2]})), kCoverageExtentCap);
    max_extent = std::max(max_extent, extent[g]);
  }
  const float cell_size = radius + max_extent;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid;
  const auto cell = [&](float x) { return static_cast<std::int64_t>(std::floor(x / cell_size)); };
  for (std::size_t g = 0; g < set.size(); ++g) {
    const float* p = &set.positions[3 * g];
    grid[cell_key(cell(p[0]), cell(p[1]), cell(p[2]))].push_back(static_cast<std::uint32_t>(g));
  }
  std::vector<char> covered(points.size() / 3, 0);
  for (std::size_t s = 0; s < covered.size(); ++s) {
    const float* p = &points[3 * s];
    bool found = false;
    const auto cx = cell(p[0]), cy = cell(p[1]), cz = cell(p[2]);
    for (int dx = -1; dx <= 1 && !found; ++dx)
      for (int dy = -1; dy <= 1 && !found; ++dy)
        for (int dz = -1; dz <= 1 && !found; ++dz) {
          const auto it = grid.find(cell_key(cx + dx, cy + dy, cz + dz));
          if (it == grid.end()) continue;
          for (auto g : it->second) {
            const float* q = &set.positions[3 * g];
            const float reach = radius + extent[g];
            const float d2 = (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                             (p[2] - q[2]) * (p[2] - q[2]);
            if (d2 <= reach * reach) {
              found = true;
              break;
            }
          }
        }
    covered[s] = found;
  }
  return covered;
}

double coverage_share(const std::vector<char>& covered, const std::vector<std::uint8_t>& part,
                      int only_part) {
  std::size_t total = 0, near = 0;
  for (std::size_t i = 0; i < covered.size(); ++i) {
    if (only_part >= 0 && part[i] != only_part) continue;
    ++total;
    near += covered[i] != 0;
  }
  return total ? static_cast<double>(near) / static_cast<double>(total) : 1.0;
}

}  // namespace tera::synth
