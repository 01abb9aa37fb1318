// Turntable files; see include/tera/render/turntable.h.
#include "tera/render/turntable.h"

#include <algorithm>
#include <cstdio>

namespace tera {

TurntableFiles write_turntable(Renderer& renderer, const GaussianSet& set,
                               const std::vector<Camera>& cameras, const RenderOptions& options,
                               const std::filesystem::path& dir, int sheet_columns,
                               const std::function<void(std::size_t)>& on_views) {
  std::filesystem::create_directories(dir);
  const std::size_t chunk = std::max<std::size_t>(renderer.views_per_call(), 1);
  TurntableFiles files;
  std::vector<Image> images;
  for (std::size_t first = 0; first < cameras.size(); first += chunk) {
    const std::vector<Camera> batch(
        cameras.begin() + static_cast<std::ptrdiff_t>(first),
        cameras.begin() + static_cast<std::ptrdiff_t>(std::min(cameras.size(), first + chunk)));
    for (Image& image : renderer.render(set, batch, options)) {
      char name[32];
      std::snprintf(name, sizeof name, "view_%03zu.png", images.size());
      write_png(dir / name, image);
      files.views.push_back(dir / name);
      images.push_back(std::move(image));
    }
    if (on_views) on_views(images.size());
  }
  const float background[4] = {options.background[0], options.background[1], options.background[2],
                               1.f};
  files.sheet = dir / "contact_sheet.png";
  write_png(files.sheet, contact_sheet(images, sheet_columns, kSheetGap, background));
  return files;
}

}  // namespace tera
