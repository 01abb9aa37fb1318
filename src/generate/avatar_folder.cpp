// Reading a generate output folder back; see include/tera/generate/avatar_folder.h.
#include "tera/generate/avatar_folder.h"

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "generate/history_json.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/diffusion/sampler.h"
#include "tera/model/manifest.h"

namespace tera {

AvatarFolder read_avatar_folder(const std::filesystem::path& dir, const ModelManifest& manifest) {
  namespace fs = std::filesystem;
  const std::string hint =
      " (expected a folder written by 'tera generate': avatar.json and avatar.latent)";
  // A symlink loop or a folder without permission is a bad input (exit 4) named in words.
  if (input_file_type(dir, hint) != fs::file_type::directory)
    throw InputError(dir.string() + ": not a folder" + hint);
  const fs::path json_path = dir / "avatar.json";
  const fs::file_type json_type = input_file_type(json_path, hint);
  if (json_type != fs::file_type::regular) {
    throw InputError(json_path.string() + ": " +
                     (json_type == fs::file_type::not_found ? "missing" : "not a regular file") +
                     hint);
  }
  nlohmann::json j;
  const std::string problem = parse_json(read_file(json_path), j);
  if (!problem.empty()) throw InputError(json_path.string() + ": " + problem);
  if (!j.is_object()) throw InputError(json_path.string() + ": expected a JSON object" + hint);
  AvatarFolder folder;
  folder.dir = dir;
  const auto text = [&](const nlohmann::json& obj, const char* field, const std::string& name) {
    if (!obj.is_object() || !obj.contains(field) || !obj[field].is_string()) {
      throw InputError(json_path.string() + ": field '" + name + "' is missing or not a string" +
                       hint);
    }
    return obj[field].get<std::string>();
  };
  const nlohmann::json model = j.value("model", nlohmann::json());
  folder.model_name = text(model, "name", "model.name");
  folder.manifest_sha256 = text(model, "manifest_sha256", "model.manifest_sha256");
  if (!j.contains("min_opacity") || !j["min_opacity"].is_number()) {
    throw InputError(json_path.string() + ": field 'min_opacity' is missing or not a number" +
                     hint);
  }
  folder.min_opacity = j["min_opacity"].get<float>();
  folder.prompt = text(j, "prompt", "prompt");
  folder.sampler = text(j, "sampler", "sampler");
  try {
    parse_sampler(folder.sampler);
  } catch (const UsageError&) {
    throw InputError(json_path.string() + ": field 'sampler' is '" + printable(folder.sampler) +
                     "', not ddim or dpm++2m" + hint);
  }
  const auto number = [&](const char* field) {
    if (!j.contains(field) || !j[field].is_number())
      throw InputError(json_path.string() + ": field '" + field + "' is missing or not a number" +
                       hint);
    return j[field];
  };
  if (!number("seed").is_number_unsigned())
    throw InputError(json_path.string() + ": field 'seed' is not a non-negative integer" + hint);
  folder.seed = j["seed"].get<std::uint64_t>();
  if (!number("steps").is_number_integer() || j["steps"].get<long long>() < 1 ||
      j["steps"].get<long long>() > kMaxSteps) {
    throw InputError(json_path.string() + ": field 'steps' is not a step count (1.." +
                     std::to_string(kMaxSteps) + ")" + hint);
  }
  folder.steps = j["steps"].get<int>();
  folder.guidance = number("guidance").get<float>();
  if (!(folder.guidance >= 0.f && folder.guidance <= kMaxGuidance)) {
    throw InputError(json_path.string() + ": field 'guidance' is not a guidance scale (0.." +
                     std::to_string(static_cast<int>(kMaxGuidance)) + ")" + hint);
  }
  folder.history = get_history(j, json_path);
  if (folder.manifest_sha256 != manifest.manifest_sha256) {
    throw ModelError(json_path.string() +
                     ": field 'model.manifest_sha256' says the avatar was made with model '" +
                     folder.model_name + "' (" + folder.manifest_sha256.substr(0, 12) +
                     "...), but the package " + manifest.dir.string() + " is '" + manifest.name +
                     "' (" + manifest.manifest_sha256.substr(0, 12) +
                     "...); load the package it was made with");
  }
  folder.latent = read_latent(dir / "avatar.latent", manifest.latent_shape, manifest.name);
  folder.latent_sha256 = latent_sha256(folder.latent);
  // Every avatar.json of a package this version reads records the digest: without it, an
  // avatar.latent of another run could not be told apart.
  const std::string recorded = text(j, "latent_sha256", "latent_sha256");
  if (recorded != folder.latent_sha256) {
    throw InputError(json_path.string() + ": field 'latent_sha256' (" +
                     printable(recorded.substr(0, 12)) + "...) does not match avatar.latent (" +
                     folder.latent_sha256.substr(0, 12) +
                     "...): the two files come from different runs; use a folder whose files "
                     "were written together");
  }
  return folder;
}

}  // namespace tera
