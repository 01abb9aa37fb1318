// avatar.json's "pictures": the settings its renders and viewer page were made with, so that
// batch --resume can tell renders of another --size, --framing, --background or --views apart.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "tera/generate/avatar_output.h"

namespace tera {

// Adds "pictures" {views, width, height, framing, background} to `j` when `options`
// writes renders or a viewer page (an empty avatar gets neither, so nothing is added for it).
void put_pictures(nlohmann::ordered_json& j, const OutputOptions& options, bool empty_avatar);

// Why the pictures avatar.json `j` records differ from those `options` writes (naming the option),
// or "" when they match or `options` writes none.
std::string pictures_differ(const nlohmann::json& j, const OutputOptions& options,
                            bool empty_avatar);

}  // namespace tera
