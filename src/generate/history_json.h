// avatar.json's "edits" and "interpolation" (tera/generate/avatar_history.h) to and from JSON.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tera/generate/avatar_history.h"

namespace tera {

// Adds "edits" (when any) and "interpolation" (when set) to `j`.
void put_history(nlohmann::ordered_json& j, const AvatarHistory& history);
// Reads them back from avatar.json `j` (both optional); throws InputError naming `json_path` and
// the field when one is malformed.
AvatarHistory get_history(const nlohmann::json& j, const std::filesystem::path& json_path);

}  // namespace tera
