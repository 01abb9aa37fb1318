// Turntable files: a set rendered from a ring of cameras, written as view_000.png ... and one
// contact sheet. `tera render` and every generated avatar's renders use this one writer.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <vector>

#include "tera/render/renderer.h"

namespace tera {

struct TurntableFiles {
  std::vector<std::filesystem::path> views;  // <dir>/view_000.png ...
  std::filesystem::path sheet;               // <dir>/contact_sheet.png
};

// Renders `set` from `cameras` into `dir` (created if missing): one PNG per view and a contact
// sheet with `sheet_columns` columns (0: near-square) on the render background. The CPU renders
// view by view, so `on_views` (views written so far) can show progress; a GPU renders them at once.
TurntableFiles write_turntable(Renderer& renderer, const GaussianSet& set,
                               const std::vector<Camera>& cameras, const RenderOptions& options,
                               const std::filesystem::path& dir, int sheet_columns,
                               const std::function<void(std::size_t)>& on_views = {});

}  // namespace tera
