// The CUDA Renderer: uploads the Gaussians once, then renders the cameras in batches of views that
// share an image size. Per batch: project all views at once, scan the tile counts, read back one
// small array (where each view's pairs start), then key, sort, range and blend groups of views and
// copy the batch's images back. There is no host round trip per view.
#ifdef TERA_HAVE_CUDA  // libtera compiles this file only with the CUDA backend (tera_cuda: the
                       // kernels)
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "render/backends.h"
#include "render/cuda/cuda_check.h"
#include "render/cuda/cuda_device.h"
#include "render/cuda/device_buffer.h"
#include "render/cuda/device_sort.h"
#include "render/cuda/project.h"
#include "render/cuda/rasterize.h"
#include "render/cuda/tile_keys.h"
#include "tera/core/error.h"

namespace tera {
namespace cuda {
namespace {

// Projected (view, Gaussian) entries held at once: about 52 bytes each, so about 1.7 GB.
constexpr std::size_t kMaxEntriesPerBatch = std::size_t{1} << 25;
// Views projected together; bounds the kernels' grid and the key's view bits.
constexpr int kMaxViewsPerBatch = 64;
// Output images held on the device at once (float RGBA); 1 GiB is 32 views of 1920x1080.
constexpr std::size_t kMaxImageBytesPerBatch = std::size_t{1} << 30;
// (Gaussian, tile) pairs sorted together: 24 bytes each with the sort's second buffer (~1.6 GB).
// Views are grouped until this is reached; a view with more pairs is sorted on its own.
constexpr std::uint64_t kMaxPairsPerSort = std::uint64_t{1} << 26;

int bit_width(std::uint64_t value) {
  int bits = 0;
  while (value != 0) {
    ++bits;
    value >>= 1;
  }
  return bits;
}

class CudaRenderer final : public Renderer {
 public:
  Device device() const override { return Device::kCuda; }
  std::size_t max_gaussians() const override {
    return static_cast<std::size_t>(INT_MAX);
  }  // kernels index with int
  std::size_t views_per_call() const override { return SIZE_MAX; }

 protected:
  std::vector<Image> render_checked(const GaussianSet& set, const std::vector<Camera>& cameras,
                                    const RenderOptions& options) override {
    std::vector<Image> images;
    images.reserve(cameras.size());
    for (const Camera& camera : cameras) images.emplace_back(camera.width, camera.height);
    if (cameras.empty()) return images;
    if (set.empty()) {
      for (Image& image : images) fill_background(image, options);
      return images;
    }
    upload(set);
    const std::size_t n = set.size();
    const std::size_t views_by_entries = std::max<std::size_t>(1, kMaxEntriesPerBatch / n);
    std::size_t first = 0;
    while (first < cameras.size()) {
      const int width = cameras[first].width, height = cameras[first].height;
      const std::size_t image_bytes = static_cast<std::size_t>(width) * height * 4 * sizeof(float);
      const std::size_t views_by_images =
          std::max<std::size_t>(1, kMaxImageBytesPerBatch / image_bytes);
      const std::size_t limit =
          std::min({views_by_entries, views_by_images, std::size_t{kMaxViewsPerBatch}});
      std::size_t last = first + 1;  // the batch is [first, last): same size, within the limits
      while (last < cameras.size() && last - first < limit && cameras[last].width == width &&
             cameras[last].height == height) {
        ++last;
      }
      render_batch(cameras, first, last, options, images);
      first = last;
    }
    return images;
  }

 private:
  static void fill_background(Image& image, const RenderOptions& options) {
    for (std::size_t p = 0; p < image.rgba.size(); p += 4) {
      image.rgba[p + 0] = options.background[0];
      image.rgba[p + 1] = options.background[1];
      image.rgba[p + 2] = options.background[2];
      image.rgba[p + 3] = 0.f;
    }
  }

  // Uploads the Gaussians (once per render() call).
  void upload(const GaussianSet& set) {
    positions_.upload(set.positions.data(), set.positions.size());
    log_scales_.upload(set.log_scales.data(), set.log_scales.size());
    rotations_.upload(set.rotations.data(), set.rotations.size());
    opacity_logits_.upload(set.opacity_logits.data(), set.opacity_logits.size());
    sh_.upload(set.sh.data(), set.sh.size());
    splats_.positions = positions_.data();
    splats_.log_scales = log_scales_.data();
    splats_.rotations = rotations_.data();
    splats_.opacity_logits = opacity_logits_.data();
    splats_.sh = sh_.data();
    splats_.count = static_cast<int>(set.size());
    splats_.sh_degree = set.sh_degree;
    splats_.sh_coeffs = set.sh_coeffs();
  }

  // Renders cameras [first, last) (same image size) into images[first..last).
  void render_batch(const std::vector<Camera>& cameras, std::size_t first, std::size_t last,
                    const RenderOptions& options, std::vector<Image>& images) {
    const int view_count = static_cast<int>(last - first);
    const auto n = static_cast<std::size_t>(splats_.count);
    TileGrid grid;
    grid.width = cameras[first].width;
    grid.height = cameras[first].height;
    grid.tiles_x = (grid.width + render_constants::kTileSize - 1) / render_constants::kTileSize;
    grid.tiles_y = (grid.height + render_constants::kTileSize - 1) / render_constants::kTileSize;

    std::vector<splat::ViewParams> views;
    for (std::size_t c = first; c < last; ++c) views.push_back(splat::make_view_params(cameras[c]));
    views_.upload(views.data(), views.size());

    const std::size_t entries = n * view_count;
    radius_.resize(entries);
    mean_.resize(entries);
    depth_.resize(entries);
    conic_opacity_.resize(entries);
    rgb_.resize(entries * 3);
    tile_offsets_.resize(entries);
    const ProjectedSplats projected{radius_.data(),        mean_.data(), depth_.data(),
                                    conic_opacity_.data(), rgb_.data(),  tile_offsets_.data()};
    launch_project(splats_, views_.data(), view_count, grid, projected);
    inclusive_scan(tile_offsets_.data(), entries, workspace_);

    // The one read-back of the batch: the scanned offset at the last entry of every view.
    std::vector<std::uint64_t> view_end(view_count);
    TERA_CUDA_CHECK(cudaMemcpy2D(view_end.data(), sizeof(std::uint64_t),
                                 tile_offsets_.data() + (n - 1), n * sizeof(std::uint64_t),
                                 sizeof(std::uint64_t), view_count, cudaMemcpyDeviceToHost));

    const std::size_t pixels = static_cast<std::size_t>(grid.width) * grid.height;
    images_.resize(pixels * 4 * view_count);
    int group_first = 0;
    while (group_first < view_count) {
      const std::uint64_t base = group_first == 0 ? 0 : view_end[group_first - 1];
      int group_last = group_first + 1;
      while (group_last < view_count && view_end[group_last] - base <= kMaxPairsPerSort)
        ++group_last;
      render_group(projected, grid, group_first, group_last - group_first, base,
                   view_end[group_last - 1] - base, options,
                   images_.data() + pixels * 4 * group_first);
      group_first = group_last;
    }
    for (int v = 0; v < view_count; ++v) {
      Image& image = images[first + v];
      images_.download(image.rgba.data(), image.rgba.size(), pixels * 4 * v);
    }
  }

  // Keys, sorts, ranges and blends views [group_first, group_first + group_views) of a batch, whose
  // pairs occupy scanned offsets [base, base + pairs). rgba: [group_views, H, W, 4] device memory.
  void render_group(const ProjectedSplats& projected, const TileGrid& grid, int group_first,
                    int group_views, std::uint64_t base, std::uint64_t pairs,
                    const RenderOptions& options, float* rgba) {
    if (pairs >= (std::uint64_t{1} << 32)) {
      throw Error("CUDA renderer: one view needs " + std::to_string(pairs) +
                  " Gaussian-tile pairs, more than the 2^32 this renderer indexes; render at a "
                  "smaller size");
    }
    const std::uint64_t cells = static_cast<std::uint64_t>(group_views) * grid.tile_count();
    keys_.resize(pairs);
    keys_alt_.resize(pairs);
    entries_.resize(pairs);
    entries_alt_.resize(pairs);
    launch_duplicate_keys(projected, splats_.count, group_first, group_views, base, grid,
                          keys_.data(), entries_.data());
    const bool in_alt =
        sort_pairs(keys_.data(), keys_alt_.data(), entries_.data(), entries_alt_.data(), pairs,
                   32 + bit_width(cells - 1), workspace_);
    const std::uint64_t* sorted_keys = in_alt ? keys_alt_.data() : keys_.data();
    const std::uint32_t* sorted_entries = in_alt ? entries_alt_.data() : entries_.data();
    ranges_.resize(cells);
    ranges_.zero();
    launch_tile_ranges(sorted_keys, pairs, ranges_.data());
    launch_rasterize(projected, ranges_.data(), sorted_entries, group_views, grid,
                     options.background.data(), rgba);
  }

  SplatInputs splats_;
  DeviceBuffer<float> positions_, log_scales_;         // [N, 3], [N, 3]
  DeviceBuffer<float> rotations_, opacity_logits_;     // [N, 4], [N]
  DeviceBuffer<float> sh_;                             // [N, K, 3]
  DeviceBuffer<splat::ViewParams> views_;              // [V]
  DeviceBuffer<float> radius_;                         // [V, N]
  DeviceBuffer<Float2> mean_;                          // [V, N]
  DeviceBuffer<float> depth_;                          // [V, N]
  DeviceBuffer<Float4> conic_opacity_;                 // [V, N]
  DeviceBuffer<float> rgb_;                            // [V, N, 3]
  DeviceBuffer<std::uint64_t> tile_offsets_;           // [V, N]
  DeviceBuffer<std::uint64_t> keys_, keys_alt_;        // [pairs]
  DeviceBuffer<std::uint32_t> entries_, entries_alt_;  // [pairs]
  DeviceBuffer<TileRange> ranges_;                     // [views in group, tiles]
  DeviceBuffer<float> images_;                         // [V, H, W, 4]
  DeviceBuffer<char> workspace_;                       // CUB temporary storage
};

}  // namespace
}  // namespace cuda

std::unique_ptr<Renderer> make_cuda_renderer() {
  if (!cuda_device_present()) {
    throw Error("CUDA renderer: no usable CUDA device (no driver, an old driver, or no GPU)");
  }
  return std::make_unique<cuda::CudaRenderer>();
}

}  // namespace tera

#endif  // TERA_HAVE_CUDA
