// The tile-based multithreaded CPU renderer.
//
// Per camera:
//  1. project every Gaussian (static ranges per worker) into a packed Splat and the rectangle of
//     16x16 tiles it can reach; keep the visible ones with their depth;
//  2. sort the visible Gaussians by depth once (stable radix sort: ties keep index order) and
//     gather their splats in that order, so a splat's rank is its depth order;
//  3. counting sort into tiles: each worker counts, then writes, the ranks of a static range of
//     ranks into every tile it reaches, after the lower ranges; each tile's list is thus sorted
//     by rank, i.e. by depth, with no per-tile sort and whatever the number of workers;
//  4. blend the tiles front to back, tiles handed out to workers dynamically.
// Every pixel sees the same splats in the same order for any thread count, so the output is
// bit-for-bit independent of it.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>

#include "core/parallel.h"
#include "render/backends.h"
#include "render/cpu/depth_sort.h"
#include "render/cpu/splat.h"
#include "render/cpu/tile_raster.h"
#include "render/splat_math.h"
#include "tera/core/error.h"

namespace tera {
namespace {

constexpr int kTile = render_constants::kTileSize;
// How far ahead (in Gaussians) the depth-order gather prefetches: covers a memory latency.
constexpr std::size_t kGatherPrefetch = 16;

// Scratch memory of one frame, kept across frames.
struct FrameScratch {
  std::vector<cpu::Splat> splat_of;          // [N] by Gaussian index (valid where visible)
  std::vector<splat::TileRect> rect_of;      // [N] by Gaussian index, empty when culled
  std::vector<std::uint32_t> depth_of;       // [N] bit pattern of the positive camera depth
  std::vector<std::size_t> visible_before;   // [workers + 1] visible Gaussians in lower ranges
  cpu::DepthSortBuffers sorted;              // [M] visible Gaussians, then sorted by depth
  std::vector<cpu::Splat> splats;            // [M] by depth rank
  std::vector<splat::TileRect> rects;        // [M] by depth rank
  std::vector<std::uint32_t> worker_counts;  // [workers, tiles] entries per worker and tile
  std::vector<std::size_t> worker_cursor;    // [workers, tiles] next write slot
  std::vector<std::size_t> tile_start;       // [tiles + 1] first slot of each tile in entries
  std::vector<std::uint32_t> entries;        // [E] depth ranks, grouped by tile
};

// Tiles touched by the pixel box mean +- half (continuous coordinates), clipped to the image.
splat::TileRect box_tiles(float mean_x, float mean_y, float half_x, float half_y, int tiles_x,
                          int tiles_y) {
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
  return splat::TileRect{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1),
                         std::min(a.y1, b.y1)};
}

bool is_empty(const splat::TileRect& r) { return r.x0 >= r.x1 || r.y0 >= r.y1; }

// Static range [begin, end) of `n` items for `worker` of `workers`.
struct Range {
  std::size_t begin, end;
};
Range worker_range(std::size_t n, int worker, int workers) {
  const auto w = static_cast<std::size_t>(worker), count = static_cast<std::size_t>(workers);
  return Range{n * w / count, n * (w + 1) / count};
}

// Calls visit(tile index) for every tile of `rect` that the splat can reach.
template <class Visit>
void for_each_reached_tile(const cpu::Splat& s, const splat::TileRect& rect, int tiles_x,
                           const Visit& visit) {
  const bool single = rect.x1 - rect.x0 == 1 && rect.y1 - rect.y0 == 1;
  for (int ty = rect.y0; ty < rect.y1; ++ty) {
    for (int tx = rect.x0; tx < rect.x1; ++tx) {
      if (single ||
          cpu::reaches_rect(s, tx * kTile, ty * kTile, (tx + 1) * kTile, (ty + 1) * kTile)) {
        visit(ty * tiles_x + tx);
      }
    }
  }
}

// Pass 1 for the Gaussians of `range`: projection; returns how many are visible.
std::size_t project_range(const GaussianSet& set, const splat::ViewParams& view, int tiles_x,
                          int tiles_y, Range range, FrameScratch& frame) {
  const int k3 = set.sh_coeffs() * 3;
  std::size_t visible = 0;
  for (std::size_t i = range.begin; i < range.end; ++i) {
    splat::TileRect& rect = frame.rect_of[i];
    rect = splat::TileRect{0, 0, 0, 0};
    splat::Projected p;
    if (!splat::project_gaussian(view, &set.positions[i * 3], &set.log_scales[i * 3],
                                 &set.rotations[i * 4], set.opacity_logits[i], set.sh_degree,
                                 &set.sh[i * k3], &p)) {
      continue;
    }
    cpu::Splat& s = frame.splat_of[i];
    if (!cpu::make_splat(p, &s)) continue;
    // The 3-sigma footprint, narrowed to where alpha can reach kMinAlpha (one pixel spare, as in
    // the blending loop): tiles outside the latter would receive nothing anyway.
    rect = intersect(
        splat::tile_rect(p.mean_x, p.mean_y, p.radius, tiles_x, tiles_y),
        box_tiles(s.mean_x, s.mean_y, s.half_width + 1.f, s.half_height + 1.f, tiles_x, tiles_y));
    if (is_empty(rect)) continue;
    std::memcpy(&frame.depth_of[i], &p.depth, sizeof(float));
    ++visible;
  }
  return visible;
}

Image render_frame(const GaussianSet& set, const Camera& camera, const float* background /*[3]*/,
                   int workers, FrameScratch& frame) {
  const splat::ViewParams view = splat::make_view_params(camera);
  const int tiles_x = (camera.width + kTile - 1) / kTile;
  const int tiles_y = (camera.height + kTile - 1) / kTile;
  const std::size_t tiles = static_cast<std::size_t>(tiles_x) * static_cast<std::size_t>(tiles_y);
  const std::size_t n = set.size();

  // 1. Projection.
  frame.splat_of.resize(n);
  frame.rect_of.resize(n);
  frame.depth_of.resize(n);
  frame.visible_before.assign(static_cast<std::size_t>(workers) + 1, 0);
  run_workers(workers, [&](int worker) {
    frame.visible_before[static_cast<std::size_t>(worker) + 1] =
        project_range(set, view, tiles_x, tiles_y, worker_range(n, worker, workers), frame);
  });
  for (int w = 0; w < workers; ++w) frame.visible_before[w + 1] += frame.visible_before[w];
  const std::size_t m = frame.visible_before[static_cast<std::size_t>(workers)];

  // 2. Visible Gaussians in index order, sorted by depth, then gathered in that order.
  frame.sorted.keys.resize(m);
  frame.sorted.ids.resize(m);
  run_workers(workers, [&](int worker) {
    const Range range = worker_range(n, worker, workers);
    std::size_t out = frame.visible_before[static_cast<std::size_t>(worker)];
    for (std::size_t i = range.begin; i < range.end; ++i) {
      if (is_empty(frame.rect_of[i])) continue;
      frame.sorted.keys[out] = frame.depth_of[i];
      frame.sorted.ids[out] = static_cast<std::uint32_t>(i);
      ++out;
    }
  });
  cpu::sort_by_depth(frame.sorted);

  // 3. Counting sort of depth ranks into tiles.
  frame.splats.resize(m);
  frame.rects.resize(m);
  frame.worker_counts.assign(static_cast<std::size_t>(workers) * tiles, 0u);
  run_workers(workers, [&](int worker) {
    const Range range = worker_range(m, worker, workers);
    std::uint32_t* counts = &frame.worker_counts[static_cast<std::size_t>(worker) * tiles];
    for (std::size_t r = range.begin; r < range.end; ++r) {
#if defined(__GNUC__)
      // The gather reads at random: start the loads well ahead.
      if (r + kGatherPrefetch < range.end) {
        const std::uint32_t ahead = frame.sorted.ids[r + kGatherPrefetch];
        __builtin_prefetch(&frame.splat_of[ahead]);
        __builtin_prefetch(reinterpret_cast<const char*>(&frame.splat_of[ahead]) +
                           sizeof(cpu::Splat) - 1);
        __builtin_prefetch(&frame.rect_of[ahead]);
      }
#endif
      const std::uint32_t id = frame.sorted.ids[r];
      frame.splats[r] = frame.splat_of[id];
      frame.rects[r] = frame.rect_of[id];
      for_each_reached_tile(frame.splats[r], frame.rects[r], tiles_x,
                            [&](int tile) { ++counts[tile]; });
    }
  });
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
  frame.entries.resize(total);
  run_workers(workers, [&](int worker) {
    const Range range = worker_range(m, worker, workers);
    std::size_t* cursor = &frame.worker_cursor[static_cast<std::size_t>(worker) * tiles];
    for (std::size_t r = range.begin; r < range.end; ++r) {
      for_each_reached_tile(frame.splats[r], frame.rects[r], tiles_x, [&](int tile) {
        frame.entries[cursor[tile]++] = static_cast<std::uint32_t>(r);
      });
    }
  });

  // 4. Blending, tile by tile.
  Image image(camera.width, camera.height);
  std::atomic<std::size_t> next_tile{0};
  run_workers(workers, [&](int) {
    for (std::size_t t = next_tile++; t < tiles; t = next_tile++) {
      const int tx = static_cast<int>(t % static_cast<std::size_t>(tiles_x));
      const int ty = static_cast<int>(t / static_cast<std::size_t>(tiles_x));
      const cpu::TilePixels pixels{tx * kTile, ty * kTile, std::min(camera.width, (tx + 1) * kTile),
                                   std::min(camera.height, (ty + 1) * kTile)};
      cpu::rasterize_tile(pixels, frame.splats.data(), frame.entries.data() + frame.tile_start[t],
                          frame.tile_start[t + 1] - frame.tile_start[t], background, image);
    }
  });
  return image;
}

class CpuRenderer final : public Renderer {
 public:
  Device device() const override { return Device::kCpu; }
  std::size_t max_gaussians() const override { return 0xffffffffu; }  // depth ranks are uint32
  std::size_t views_per_call() const override { return 1; }

 protected:
  std::vector<Image> render_checked(const GaussianSet& set, const std::vector<Camera>& cameras,
                                    const RenderOptions& options) override {
    const int workers = thread_count(options.threads);  // >= 0: Renderer::render checked it
    std::vector<Image> images;
    images.reserve(cameras.size());
    for (const Camera& camera : cameras) {
      images.push_back(render_frame(set, camera, options.background.data(), workers, scratch_));
    }
    return images;
  }

 private:
  FrameScratch scratch_;  // kept between calls: allocating it is a good part of a frame's time
};

}  // namespace

std::unique_ptr<Renderer> make_cpu_renderer() { return std::make_unique<CpuRenderer>(); }

}  // namespace tera
