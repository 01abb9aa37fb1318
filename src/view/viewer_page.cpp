// Fills the viewer page template (src/view/viewer.html, built into the binary) with a set of
// Gaussians and what the page shows about them; see include/tera/view/viewer_page.h.
#include "tera/view/viewer_page.h"

#include <nlohmann/json.hpp>

#include "io/formats.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "view/base64.h"
#include "viewer_html.h"  // generated from src/view/viewer.html: kViewerHtml, kViewerHtmlSize

namespace tera {
namespace {

// The template's two slots, each present exactly once.
constexpr const char* kInfoSlot = "@TERA_INFO_JSON@";
constexpr const char* kSplatSlot = "@TERA_SPLAT_BASE64@";

std::size_t find_slot(const std::string& page, const char* slot) {
  const std::size_t at = page.find(slot);
  if (at == std::string::npos || page.find(slot, at + 1) != std::string::npos) {
    throw Error(std::string("viewer page template (src/view/viewer.html): expected the slot ") +
                slot + " exactly once");
  }
  return at;
}

// The page's metadata as JSON text that is safe inside a <script> element: '<' is written as
// \u003c, so no "</script>" can end the element early whatever the prompt holds.
std::string info_json(const GaussianSet& set, const ViewerPageOptions& options) {
  const OrbitFrame frame = orbit_frame(set, options.orbit);
  // The near and far planes of `tera render`'s cameras (src/render/camera.cpp).
  const Camera first = orbit_cameras(set, options.orbit).front();
  nlohmann::ordered_json j;
  j["title"] = options.title;
  j["prompt"] = options.prompt;
  if (options.seed) j["seed"] = *options.seed;
  j["gaussians"] = set.size();
  j["ply_name"] = options.ply_name;
  j["background"] = options.background;
  j["camera"] = {{"target", frame.target},
                 {"distance", frame.distance},
                 {"fov_y_degrees", options.orbit.fov_y_degrees},
                 {"elevation_degrees", options.orbit.elevation_degrees},
                 {"azimuth_degrees", options.orbit.start_azimuth_degrees},
                 {"near", first.near_plane},
                 {"far", first.far_plane}};
  const std::string text = j.dump();
  std::string safe;
  safe.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      safe += "\\u003c";
    else
      safe += c;
  }
  return safe;
}

}  // namespace

std::string viewer_page(const GaussianSet& set, const ViewerPageOptions& options) {
  if (set.empty()) throw InputError("viewer page: the set holds no Gaussians to show");
  const std::string page(reinterpret_cast<const char*>(kViewerHtml), kViewerHtmlSize);
  const std::size_t info_at = find_slot(page, kInfoSlot);
  const std::size_t splat_at = find_slot(page, kSplatSlot);
  if (!(info_at < splat_at))
    throw Error("viewer page template: the info slot must come before the data slot");
  const std::string info = info_json(set, options);
  const std::string splat = base64_encode(encode_splat(set));
  std::string out;
  out.reserve(page.size() + info.size() + splat.size());
  out.append(page, 0, info_at);
  out += info;
  const std::size_t after_info = info_at + std::char_traits<char>::length(kInfoSlot);
  out.append(page, after_info, splat_at - after_info);
  out += splat;
  out.append(page, splat_at + std::char_traits<char>::length(kSplatSlot), std::string::npos);
  return out;
}

void write_viewer_page(const std::filesystem::path& path, const GaussianSet& set,
                       const ViewerPageOptions& options) {
  const std::string page = viewer_page(set, options);
  write_file_atomic(path, page.data(), page.size());
}

}  // namespace tera
