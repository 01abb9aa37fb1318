// The tile-based multithreaded CPU renderer.
//
// Per camera, in three parallel passes:
//  1. project every Gaussian (static ranges of Gaussians per worker) into a packed Splat and the
//     rectangle of 16x16 tiles it touches, counting the tiles' entries per worker;
//  2. counting sort: each worker writes the keys (depth bits << 32 | Gaussian index) of its range
//     into the tiles' slots of one flat array;
//  3. per tile (tiles handed out dynamically): sort the tile's keys, which orders its splats by
//     camera depth with ties broken by index, then blend front to back.
// Keys are unique, so the order inside every tile, and hence every pixel, is the same whatever the
// number of threads.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "render/backends.h"
#include "render/cpu/parallel.h"
#include "render/cpu/project.h"
#include "render/cpu/splat.h"
#include "render/cpu/tile_raster.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr int kTile = render_constants::kTileSize;

// Scratch memory of one frame, kept across the cameras of one render() call.
struct FrameScratch {
  std::vector<cpu::Splat> splats;             // [N]
  std::vector<splat::TileRect> rects;         // [N] empty when the Gaussian is culled
  std::vector<std::uint32_t> depth_bits;      // [N] bit pattern of the (positive) camera depth
  std::vector<std::uint32_t> worker_counts;   // [workers, tiles] entries per worker and tile
  std::vector<std::size_t> worker_cursor;     // [workers, tiles] next write slot
  std::vector<std::size_t> tile_start;        // [tiles + 1] first slot of each tile in keys
  std::vector<std::uint64_t> keys;            // [entries] depth bits << 32 | Gaussian index
};

void check_camera(const Camera& camera, std::size_t index) {
  const std::string name = "camera " + std::to_string(index) + ": ";
  if (camera.width <= 0 || camera.height <= 0) {
    throw Error(name + "image size must be positive, got " + std::to_string(camera.width) + "x" +
                std::to_string(camera.height));
  }
  if (!(camera.fx > 0.f) || !(camera.fy > 0.f)) {
    throw Error(name + "focal lengths fx, fy must be positive, got " + std::to_string(camera.fx) +
                ", " + std::to_string(camera.fy));
  }
  if (!(camera.near_plane > 0.f) || !(camera.far_plane > camera.near_plane)) {
    throw Error(name + "expected 0 < near_plane < far_plane, got near " + std::to_string(camera.near_plane) +
                ", far " + std::to_string(camera.far_plane));
  }
}

int resolve_threads(int requested) {
  if (requested < 0) {
    throw UsageError("renderer threads must be 0 (all cores) or positive, got " + std::to_string(requested));
  }
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Tiles touched by the pixel box mean +- half (continuous coordinates), clipped to the image.
splat::TileRect box_tiles(float mean_x, float mean_y, float half_x, float half_y, int tiles_x, int tiles_y) {
  const float tile = static_cast<float>(kTile);
  auto clamp_tile = [](float value, int count) {
    return static_cast<int>(std::min(static_cast<float>(count), std::max(0.f, value)));
  };
  return splat::TileRect{clamp_tile(std::floor((mean_x - half_x) / tile), tiles_x),
                         clamp_tile(std::floor((mean_y - half_y) / tile), tiles_y),
                         clamp_tile(std::floor((mean_x + half_x) / tile) + 1.f, tiles_x),
                         clamp_tile(std::floor((mean_y + half_y) / tile) + 1.f, tiles_y)};
}

splat::TileRect intersect(const splat::TileRect& a, const splat::TileRect& b) {
  return splat::TileRect{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

bool is_empty(const splat::TileRect& r) { return r.x0 >= r.x1 || r.y0 >= r.y1; }

// Pass 1 for Gaussians [begin, end): projection and per-tile counts of this worker.
void project_range(const GaussianSet& set, const splat::ViewParams& view, int tiles_x, int tiles_y,
                   std::size_t begin, std::size_t end, FrameScratch& frame, std::uint32_t* counts /*[tiles]*/) {
  const int k3 = set.sh_coeffs() * 3;
  for (std::size_t i = begin; i < end; ++i) {
    splat::TileRect& rect = frame.rects[i];
    rect = splat::TileRect{0, 0, 0, 0};
    splat::Projected p;
    if (!splat::project_gaussian(view, &set.positions[i * 3], &set.log_scales[i * 3], &set.rotations[i * 4],
                                 set.opacity_logits[i], set.sh_degree, &set.sh[i * k3], &p)) {
      continue;
    }
    cpu::Splat& s = frame.splats[i];
    if (!cpu::make_splat(p, &s)) continue;
    // The 3-sigma footprint, narrowed to where alpha can reach kMinAlpha (one pixel spare, as in
    // the blending loop): tiles outside the latter would receive nothing anyway.
    rect = intersect(splat::tile_rect(p.mean_x, p.mean_y, p.radius, tiles_x, tiles_y),
                     box_tiles(s.mean_x, s.mean_y, s.half_width + 1.f, s.half_height + 1.f, tiles_x, tiles_y));
    if (is_empty(rect)) continue;
    std::memcpy(&frame.depth_bits[i], &p.depth, sizeof(float));
    for (int ty = rect.y0; ty < rect.y1; ++ty) {
      for (int tx = rect.x0; tx < rect.x1; ++tx) ++counts[ty * tiles_x + tx];
    }
  }
}

// Pass 2 for Gaussians [begin, end): writes this worker's keys into the tiles' slots.
void emit_keys(std::size_t begin, std::size_t end, int tiles_x, FrameScratch& frame, std::size_t* cursor /*[tiles]*/) {
  for (std::size_t i = begin; i < end; ++i) {
    const splat::TileRect& rect = frame.rects[i];
    if (is_empty(rect)) continue;
    const std::uint64_t key = (static_cast<std::uint64_t>(frame.depth_bits[i]) << 32) | static_cast<std::uint64_t>(i);
    for (int ty = rect.y0; ty < rect.y1; ++ty) {
      for (int tx = rect.x0; tx < rect.x1; ++tx) frame.keys[cursor[ty * tiles_x + tx]++] = key;
    }
  }
}

Image render_frame(const GaussianSet& set, const Camera& camera, const float* background /*[3]*/, int workers,
                   FrameScratch& frame) {
  const splat::ViewParams view = splat::make_view_params(camera);
  const int tiles_x = (camera.width + kTile - 1) / kTile;
  const int tiles_y = (camera.height + kTile - 1) / kTile;
  const std::size_t tiles = static_cast<std::size_t>(tiles_x) * static_cast<std::size_t>(tiles_y);
  const std::size_t n = set.size();
  const auto range_begin = [&](int worker) { return n * static_cast<std::size_t>(worker) / static_cast<std::size_t>(workers); };

  frame.splats.resize(n);
  frame.rects.resize(n);
  frame.depth_bits.resize(n);
  frame.worker_counts.assign(static_cast<std::size_t>(workers) * tiles, 0u);
  cpu::run_workers(workers, [&](int worker) {
    project_range(set, view, tiles_x, tiles_y, range_begin(worker), range_begin(worker + 1), frame,
                  &frame.worker_counts[static_cast<std::size_t>(worker) * tiles]);
  });

  // Exclusive prefix sums: tiles in order, and inside a tile, workers in order.
  frame.tile_start.assign(tiles + 1, 0);
  frame.worker_cursor.resize(static_cast<std::size_t>(workers) * tiles);
  std::size_t total = 0;
  for (std::size_t t = 0; t < tiles; ++t) {
    frame.tile_start[t] = total;
    for (int w = 0; w < workers; ++w) {
      frame.worker_cursor[static_cast<std::size_t>(w) * tiles + t] = total;
      total += frame.worker_counts[static_cast<std::size_t>(w) * tiles + t];
    }
  }
  frame.tile_start[tiles] = total;
  frame.keys.resize(total);
  cpu::run_workers(workers, [&](int worker) {
    emit_keys(range_begin(worker), range_begin(worker + 1), tiles_x, frame,
              &frame.worker_cursor[static_cast<std::size_t>(worker) * tiles]);
  });

  Image image(camera.width, camera.height);
  std::atomic<std::size_t> next_tile{0};
  cpu::run_workers(workers, [&](int) {
    for (std::size_t t = next_tile++; t < tiles; t = next_tile++) {
      std::uint64_t* first = frame.keys.data() + frame.tile_start[t];
      std::uint64_t* last = frame.keys.data() + frame.tile_start[t + 1];
      std::sort(first, last);
      const int tx = static_cast<int>(t % static_cast<std::size_t>(tiles_x));
      const int ty = static_cast<int>(t / static_cast<std::size_t>(tiles_x));
      const cpu::TilePixels pixels{tx * kTile, ty * kTile, std::min(camera.width, (tx + 1) * kTile),
                                   std::min(camera.height, (ty + 1) * kTile)};
      cpu::rasterize_tile(pixels, frame.splats.data(), first, static_cast<std::size_t>(last - first), background,
                          image);
    }
  });
  return image;
}

class CpuRenderer final : public Renderer {
 public:
  std::vector<Image> render(const GaussianSet& set, const std::vector<Camera>& cameras,
                            const RenderOptions& options) override {
    set.check_consistent();
    if (set.size() > std::size_t{0xffffffffu}) {
      throw Error("the CPU renderer handles at most 2^32 - 1 Gaussians, got " + std::to_string(set.size()));
    }
    for (std::size_t c = 0; c < cameras.size(); ++c) check_camera(cameras[c], c);
    const int workers = resolve_threads(options.threads);
    FrameScratch frame;
    std::vector<Image> images;
    images.reserve(cameras.size());
    for (const Camera& camera : cameras) {
      images.push_back(render_frame(set, camera, options.background.data(), workers, frame));
    }
    return images;
  }

  Device device() const override { return Device::kCpu; }
};

}  // namespace

std::unique_ptr<Renderer> make_cpu_renderer() { return std::make_unique<CpuRenderer>(); }

}  // namespace tera
