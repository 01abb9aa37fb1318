// The web viewer page: one self-contained HTML file that shows a set of Gaussians in the browser
// with tera's own WebGL2 splat renderer (src/view/viewer.html), orbit and zoom with mouse or touch.
// No network, no third-party code: the page embeds the Gaussians (a .splat of the set in tera's
// y-up frame, base64) and starts at the camera of `tera render`'s view 0.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "tera/core/gaussian_set.h"
#include "tera/render/camera.h"

namespace tera {

struct ViewerPageOptions {
  std::string title = "tera avatar";    // the page's title (shown when there is no prompt)
  std::string prompt;                   // shown above the view when not empty
  std::optional<std::uint64_t> seed;    // shown beside the prompt
  std::string ply_name = "avatar.ply";  // file name offered by the page's "Download .ply" link
  std::array<float, 3> background{1.f, 1.f,
                                  1.f};  // behind the Gaussians, as `tera render --background`
  // The starting (and reset) view: view 0 of `tera render` with these orbit options (by default
  // those of `tera render`: 8 views, whose widest decides the distance; 512 x 512; 30 degrees).
  OrbitOptions orbit;
};

// The page's bytes. Deterministic: the same set and options give the same bytes.
std::string viewer_page(const GaussianSet& set, const ViewerPageOptions& options);

// Writes viewer_page() to `path` atomically (throws tera::Error naming the path on failure).
void write_viewer_page(const std::filesystem::path& path, const GaussianSet& set,
                       const ViewerPageOptions& options);

}  // namespace tera
