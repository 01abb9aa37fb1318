// avatar.json's "pictures"; see picture_json.h.
#include "generate/picture_json.h"

#include "tera/render/camera.h"

namespace tera {
namespace {

bool writes_pictures(const OutputOptions& options, bool empty_avatar) {
  return !empty_avatar && (options.views > 0 || options.viewer);
}

// The same array in both JSON flavours: avatar.json is written ordered and read back plain.
template <typename Json>
Json background_json(const OutputOptions& options) {
  return Json::array({options.background[0], options.background[1], options.background[2]});
}

}  // namespace

void put_pictures(nlohmann::ordered_json& j, const OutputOptions& options, bool empty_avatar) {
  if (!writes_pictures(options, empty_avatar)) return;
  j["pictures"] = {{"views", options.views},
                   {"width", options.width},
                   {"height", options.height},
                   {"framing", framing_name(options.framing)},
                   {"background", background_json<nlohmann::ordered_json>(options)}};
}

std::string pictures_differ(const nlohmann::json& j, const OutputOptions& options,
                            bool empty_avatar) {
  if (!writes_pictures(options, empty_avatar)) return {};
  if (!j.contains("pictures") || !j["pictures"].is_object())
    return "its avatar.json does not record how its pictures were made";
  const nlohmann::json& p = j["pictures"];
  if (p.value("views", -1) != options.views) return "its renders are of another --views";
  // With --views 0 only the viewer page carries the size, framing and background.
  const std::string pictures = options.views > 0 ? "its renders are" : "its viewer page is";
  if (p.value("width", -1) != options.width || p.value("height", -1) != options.height)
    return pictures + " of another --size";
  if (p.value("framing", std::string()) != framing_name(options.framing))
    return pictures + " of another --framing";
  if (p.value("background", nlohmann::json()) != background_json<nlohmann::json>(options))
    return pictures + " on another --background";
  return {};
}

}  // namespace tera
