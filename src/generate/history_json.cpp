// avatar.json's edit and interpolation records; see src/generate/history_json.h.
#include "generate/history_json.h"

#include "tera/core/error.h"
#include "tera/model/manifest.h"

namespace tera {
namespace {

nlohmann::ordered_json end_json(const InterpolationEnd& end) {
  nlohmann::ordered_json j;
  if (!end.folder.empty()) j["folder"] = end.folder;
  j["prompt"] = end.prompt;
  j["seed"] = end.seed;
  j["latent_sha256"] = end.latent_sha256;
  return j;
}

// Field access that names the file and the field's path when it is missing or of another type.
struct Fields {
  const std::filesystem::path& file;
  [[noreturn]] void fail(const std::string& field, const std::string& expected) const {
    throw InputError(file.string() + ": field '" + field + "' is missing or not " + expected);
  }
  std::string text(const nlohmann::json& j, const char* key, const std::string& field) const {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) fail(field, "a string");
    return j[key].get<std::string>();
  }
  double number(const nlohmann::json& j, const char* key, const std::string& field) const {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) fail(field, "a number");
    return j[key].get<double>();
  }
  std::uint64_t seed(const nlohmann::json& j, const std::string& field) const {
    if (!j.is_object() || !j.contains("seed") || !j["seed"].is_number_unsigned())
      fail(field + ".seed", "a non-negative integer");
    return j["seed"].get<std::uint64_t>();
  }
};

InterpolationEnd end_from(const nlohmann::json& j, const Fields& f, const std::string& field) {
  InterpolationEnd end;
  if (j.is_object() && j.contains("folder")) end.folder = f.text(j, "folder", field + ".folder");
  end.prompt = f.text(j, "prompt", field + ".prompt");
  end.seed = f.seed(j, field);
  end.latent_sha256 = f.text(j, "latent_sha256", field + ".latent_sha256");
  return end;
}

}  // namespace

void put_history(nlohmann::ordered_json& j, const AvatarHistory& history) {
  if (!history.edits.empty()) {
    nlohmann::ordered_json edits = nlohmann::ordered_json::array();
    for (const EditRecord& e : history.edits) {
      edits.push_back({{"prompt", e.prompt},
                       {"parts", e.parts},
                       {"seed", e.seed},
                       {"steps", e.steps},
                       {"guidance", e.guidance},
                       {"sampler", e.sampler},
                       {"source_latent_sha256", e.source_latent_sha256}});
    }
    j["edits"] = edits;
  }
  if (history.interpolation) {
    const InterpolationRecord& r = *history.interpolation;
    nlohmann::ordered_json i;
    i["a"] = end_json(r.a);
    i["b"] = end_json(r.b);
    i["t"] = r.t;
    i["path"] = r.path;
    i["spacing"] = r.spacing;
    if (!r.attribute.empty()) i["attribute"] = r.attribute;
    j["interpolation"] = i;
  }
}

AvatarHistory get_history(const nlohmann::json& j, const std::filesystem::path& json_path) {
  const Fields f{json_path};
  AvatarHistory history;
  if (j.contains("edits")) {
    if (!j["edits"].is_array()) f.fail("edits", "a list");
    for (std::size_t i = 0; i < j["edits"].size(); ++i) {
      const nlohmann::json& e = j["edits"][i];
      const std::string field = "edits[" + std::to_string(i) + "]";
      EditRecord r;
      r.prompt = f.text(e, "prompt", field + ".prompt");
      if (!e.contains("parts") || !e["parts"].is_array())
        f.fail(field + ".parts", "a list of part names");
      for (const auto& p : e["parts"]) {
        if (!p.is_string()) f.fail(field + ".parts", "a list of part names");
        r.parts.push_back(p.get<std::string>());
      }
      r.seed = f.seed(e, field);
      const double steps = f.number(e, "steps", field + ".steps");  // bounded: the cast is defined
      if (!(steps >= 1 && steps <= kMaxSteps))
        f.fail(field + ".steps", "a step count (1.." + std::to_string(kMaxSteps) + ")");
      r.steps = static_cast<int>(steps);
      r.guidance = static_cast<float>(f.number(e, "guidance", field + ".guidance"));
      r.sampler = f.text(e, "sampler", field + ".sampler");
      r.source_latent_sha256 = f.text(e, "source_latent_sha256", field + ".source_latent_sha256");
      history.edits.push_back(r);
    }
  }
  if (j.contains("interpolation")) {
    const nlohmann::json& i = j["interpolation"];
    if (!i.is_object()) f.fail("interpolation", "an object");
    InterpolationRecord r;
    r.a = end_from(i.value("a", nlohmann::json()), f, "interpolation.a");
    r.b = end_from(i.value("b", nlohmann::json()), f, "interpolation.b");
    r.t = f.number(i, "t", "interpolation.t");
    r.path = f.text(i, "path", "interpolation.path");
    // Files written before steps could be spaced evenly lack the field: their steps were linear.
    if (i.contains("spacing")) r.spacing = f.text(i, "spacing", "interpolation.spacing");
    if (i.contains("attribute")) r.attribute = f.text(i, "attribute", "interpolation.attribute");
    history.interpolation = r;
  }
  return history;
}

}  // namespace tera
