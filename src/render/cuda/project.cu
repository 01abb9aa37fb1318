// The projection math is tera::splat::project_gaussian, the very function the CPU renderer calls
// (src/render/splat_math.h is __host__ __device__ under nvcc), so both backends agree bit for bit
// up to the last-place differences of expf.
#include "render/cuda/project.h"

#include "render/cuda/cuda_check.h"

namespace tera::cuda {
namespace {

constexpr int kThreads = 256;  // one (view, Gaussian) entry per thread

// grid: (ceil(N / kThreads), V); entry e = v * N + i.
__global__ void project_kernel(SplatInputs splats, const splat::ViewParams* __restrict__ views,
                               int tiles_x, int tiles_y, ProjectedSplats out) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= splats.count) return;
  const int v = blockIdx.y;
  const std::size_t e = static_cast<std::size_t>(v) * splats.count + i;

  splat::Projected p;
  const bool projected =
      splat::project_gaussian(views[v], splats.positions + 3 * i, splats.log_scales + 3 * i,
                              splats.rotations + 4 * i, splats.opacity_logits[i], splats.sh_degree,
                              splats.sh + static_cast<std::size_t>(i) * splats.sh_coeffs * 3, &p);
  // Below kMinAlpha opacity no pixel can reach kMinAlpha (exp(power) <= 1): drop it here, as the
  // CPU does.
  if (!projected || !(p.opacity >= render_constants::kMinAlpha)) {
    out.radius[e] = 0.f;
    out.tile_offsets[e] = 0;
    return;
  }
  const splat::TileRect rect = splat::tile_rect(p.mean_x, p.mean_y, p.radius, tiles_x, tiles_y);
  out.radius[e] = p.radius;
  out.mean[e] = Float2{p.mean_x, p.mean_y};
  out.depth[e] = p.depth;
  out.conic_opacity[e] = Float4{p.conic.a, p.conic.b, p.conic.c, p.opacity};
  out.rgb[3 * e + 0] = p.color[0];
  out.rgb[3 * e + 1] = p.color[1];
  out.rgb[3 * e + 2] = p.color[2];
  // project_gaussian() has already culled footprints that touch no tile, so the area is positive.
  out.tile_offsets[e] =
      static_cast<std::uint64_t>(rect.x1 - rect.x0) * static_cast<std::uint64_t>(rect.y1 - rect.y0);
}

}  // namespace

void launch_project(const SplatInputs& splats, const splat::ViewParams* views, int view_count,
                    const TileGrid& grid, const ProjectedSplats& out) {
  if (splats.count <= 0 || view_count <= 0) return;
  const dim3 blocks((splats.count + kThreads - 1) / kThreads, view_count);
  project_kernel<<<blocks, kThreads>>>(splats, views, grid.tiles_x, grid.tiles_y, out);
  TERA_CUDA_CHECK_LAUNCH("project_kernel");
}

}  // namespace tera::cuda
