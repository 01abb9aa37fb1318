// Reads and validates manifest.json of a model package; every error names the file and field.
#include "tera/model/manifest.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

#include "core/json_text.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/model/sha256.h"

namespace tera {
namespace {

using Json = nlohmann::json;

// Typed access to manifest fields with errors that say "FILE: field 'a.b': expected ...".
class Fields {
 public:
  explicit Fields(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw ModelError(file_ + ": field '" + field + "': " + what);
  }
  const Json& get(const Json& object, const std::string& parent, const std::string& key) const {
    const std::string field = parent.empty() ? key : parent + "." + key;
    if (!object.is_object()) fail(parent, "expected an object");
    const auto it = object.find(key);
    if (it == object.end()) fail(field, "missing");
    return *it;
  }
  std::string string(const Json& o, const std::string& parent, const std::string& key,
                     bool allow_empty = false) const {
    const Json& v = get(o, parent, key);
    if (!v.is_string()) fail(join(parent, key), "expected a string");
    if (!allow_empty && v.get<std::string>().empty()) fail(join(parent, key), "must not be empty");
    return v.get<std::string>();
  }
  long long integer(const Json& o, const std::string& parent, const std::string& key, long long lo,
                    long long hi) const {
    const Json& v = get(o, parent, key);
    if (!v.is_number_integer()) fail(join(parent, key), "expected an integer");
    const auto x = v.get<long long>();
    if (x < lo || x > hi)
      fail(join(parent, key), "expected " + std::to_string(lo) + ".." + std::to_string(hi) +
                                  ", got " + std::to_string(x));
    return x;
  }
  double number(const Json& o, const std::string& parent, const std::string& key, double lo,
                double hi) const {
    const Json& v = get(o, parent, key);
    if (!v.is_number()) fail(join(parent, key), "expected a number");
    const auto x = v.get<double>();
    if (!(x >= lo && x <= hi))
      fail(join(parent, key),
           "expected a number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return x;
  }
  bool boolean(const Json& o, const std::string& parent, const std::string& key) const {
    const Json& v = get(o, parent, key);
    if (!v.is_boolean()) fail(join(parent, key), "expected true or false");
    return v.get<bool>();
  }
  static std::string join(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
  }

 private:
  std::string file_;
};

constexpr int kMaxTokens = 4096;      // far beyond any prompt; larger is a corrupt field
constexpr int kMaxResolution = 4096;  // maps beyond 4096^2 do not fit a model package
constexpr int kMaxChannels = 4096;    // generous bound on map channels
constexpr int kMaxLatentRank =
    4;  // [T, C] tokens up to [C, d, h, w] volumes; avatar.latent stores up to 4 dims
constexpr int kMaxLatentDim = 1 << 16;   // what avatar.latent accepts per dimension
constexpr int kMaxTokenId = 1 << 24;     // larger than any sentencepiece vocabulary in use
constexpr int kMaxContextDim = 1 << 16;  // wider text features than any encoder in use
constexpr int kMaxFormatVersion = 1
                                  << 30;  // only bounds the integer; the version is checked exactly

void read_schedule(const Fields& f, const Json& root, ScheduleSpec& s) {
  const Json& o = f.get(root, "", "schedule");
  const std::string type = f.string(o, "schedule", "type");
  s.num_train_steps = static_cast<int>(f.integer(o, "schedule", "num_train_steps", 2, kMaxSteps));
  if (type == "linear" || type == "scaled_linear") {
    s.kind = type == "linear" ? ScheduleKind::kLinear : ScheduleKind::kScaledLinear;
    s.beta_start = f.number(o, "schedule", "beta_start", 1e-8, 0.5);
    s.beta_end = f.number(o, "schedule", "beta_end", 1e-8, 0.999);
    if (s.beta_end < s.beta_start)
      f.fail("schedule.beta_end", "must not be smaller than beta_start");
  } else if (type == "cosine") {
    s.kind = ScheduleKind::kCosine;
  } else if (type == "explicit") {
    s.kind = ScheduleKind::kExplicit;
    const Json& betas = f.get(o, "schedule", "betas");
    if (!betas.is_array() || betas.size() != static_cast<std::size_t>(s.num_train_steps)) {
      f.fail("schedule.betas", "expected an array of num_train_steps numbers");
    }
    for (const auto& b : betas) {
      if (!b.is_number() || !(b.get<double>() > 0.0 && b.get<double>() < 1.0))
        f.fail("schedule.betas", "every beta must be in (0, 1)");
      s.betas.push_back(b.get<double>());
    }
  } else {
    f.fail("schedule.type",
           "expected linear, scaled_linear, cosine or explicit, got '" + type + "'");
  }
  const std::string prediction = f.string(o, "schedule", "prediction");
  if (prediction == "eps")
    s.prediction = Prediction::kEps;
  else if (prediction == "v")
    s.prediction = Prediction::kV;
  else if (prediction == "x0")
    s.prediction = Prediction::kX0;
  else
    f.fail("schedule.prediction", "expected eps, v or x0, got '" + prediction + "'");
  const std::string spacing = f.string(o, "schedule", "timestep_spacing");
  if (spacing == "leading")
    s.spacing = TimestepSpacing::kLeading;
  else if (spacing == "trailing")
    s.spacing = TimestepSpacing::kTrailing;
  else
    f.fail("schedule.timestep_spacing", "expected leading or trailing, got '" + spacing + "'");
}

void read_latent_spec(const Fields& f, const Json& root, ModelManifest& m) {
  const Json& latent = f.get(root, "", "latent");
  if (!latent.is_object())
    f.fail("latent", "expected an object {\"shape\": [...], \"tokens\": [...]}");
  if (!latent.contains("shape") && latent.contains("channels")) {
    f.fail(
        "latent.shape",
        "missing: the {channels, height, width} form is no longer read; give the latent's shape, "
        "e.g. \"shape\": [T, C] (docs/model-package.md)");
  }
  const Json& shape = f.get(latent, "latent", "shape");
  if (!shape.is_array() || shape.empty() ||
      shape.size() > static_cast<std::size_t>(kMaxLatentRank)) {
    f.fail("latent.shape",
           "expected an array of 1.." + std::to_string(kMaxLatentRank) + " dimensions");
  }
  long long size = 1;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::string p = "latent.shape[" + std::to_string(i) + "]";
    if (!shape[i].is_number_integer()) f.fail(p, "expected an integer");
    const long long d = shape[i].get<long long>();
    if (d < 1 || d > kMaxLatentDim)
      f.fail(p, "expected 1.." + std::to_string(kMaxLatentDim) + ", got " + std::to_string(d));
    size *= d;
    if (size > kMaxLatentSize)
      f.fail("latent.shape", "more than " + std::to_string(kMaxLatentSize) + " numbers per avatar");
    m.latent_shape.push_back(static_cast<int>(d));
  }
  if (!latent.contains("tokens")) return;
  const Json& tokens = latent["tokens"];
  if (!tokens.is_array() || tokens.size() != static_cast<std::size_t>(m.latent_shape[0])) {
    f.fail("latent.tokens",
           "expected an array of " + std::to_string(m.latent_shape[0]) +
               " tokens, one per index of latent.shape[0]" +
               (tokens.is_array() ? ", got " + std::to_string(tokens.size()) : ""));
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string p = "latent.tokens[" + std::to_string(i) + "]";
    LatentToken token;
    token.name = f.string(tokens[i], p, "name");
    token.owns = f.string(tokens[i], p, "owns", true);
    if (!names.insert(token.name).second)
      f.fail(p + ".name", "'" + token.name + "' is used by an earlier token");
    m.latent_tokens.push_back(std::move(token));
  }
}

// sampling.unguided (optional): latent coordinates, each an array of one index per dimension of
// latent.shape, e.g. [token, channel]; stored flat (row-major), sorted and unique.
void read_unguided(const Fields& f, const Json& sampling, ModelManifest& m) {
  if (!sampling.contains("unguided")) return;
  const Json& list = sampling["unguided"];
  const std::string field = "sampling.unguided";
  if (!list.is_array()) f.fail(field, "expected an array of latent coordinates");
  const std::size_t rank = m.latent_shape.size();
  std::set<std::size_t> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = field + "[" + std::to_string(i) + "]";
    const Json& c = list[i];
    if (!c.is_array() || c.size() != rank)
      f.fail(p, "expected " + std::to_string(rank) + " indices, one per dimension of latent.shape");
    std::size_t flat = 0;
    for (std::size_t d = 0; d < rank; ++d) {
      const long long extent = m.latent_shape[d];
      if (!c[d].is_number_integer() || c[d].get<long long>() < 0 || c[d].get<long long>() >= extent)
        f.fail(p, "index " + std::to_string(d) + " must be an integer in 0.." +
                      std::to_string(extent - 1));
      flat =
          flat * static_cast<std::size_t>(extent) + static_cast<std::size_t>(c[d].get<long long>());
    }
    if (!seen.insert(flat).second) f.fail(p, "names a coordinate an earlier entry names");
  }
  m.unguided.assign(seen.begin(), seen.end());
}

void read_layers(const Fields& f, const Json& maps, ModelManifest& m) {
  const Json& layers = f.get(maps, "maps", "layers");
  if (!layers.is_array() || layers.empty()) f.fail("maps.layers", "expected a non-empty array");
  std::vector<int> owner(static_cast<std::size_t>(m.map_channels), -1);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string p = "maps.layers[" + std::to_string(i) + "]";
    const Json& o = layers[i];
    LayerChannels l;
    l.name = f.string(o, p, "name");
    const std::string rotation = f.string(o, p, "rotation_kind");
    if (rotation != "angle" && rotation != "quaternion")
      f.fail(p + ".rotation_kind", "expected angle or quaternion");
    l.rotation_is_quaternion = rotation == "quaternion";
    if (o.contains("opacity_kind")) {
      const std::string opacity = f.string(o, p, "opacity_kind");
      if (opacity != "logit" && opacity != "alpha")
        f.fail(p + ".opacity_kind", "expected logit or alpha");
      l.opacity_is_alpha = opacity == "alpha";
    }
    const std::pair<const char*, int*> starts[] = {{"offset", &l.offset},
                                                   {"color", &l.color},
                                                   {"opacity", &l.opacity},
                                                   {"log_scale", &l.log_scale},
                                                   {"rotation", &l.rotation}};
    for (const auto& [key, target] : starts) {
      *target = static_cast<int>(f.integer(o, p, key, 0, m.map_channels - 1));
      const int width = std::string(key) == "opacity"    ? 1
                        : std::string(key) == "rotation" ? (l.rotation_is_quaternion ? 4 : 1)
                                                         : 3;
      if (*target + width > m.map_channels)
        f.fail(p + "." + key, "channels run past maps.channels");
      for (int c = *target; c < *target + width; ++c) {
        if (owner[static_cast<std::size_t>(c)] >= 0)
          f.fail(p + "." + key, "channel " + std::to_string(c) + " is used twice");
        owner[static_cast<std::size_t>(c)] = static_cast<int>(i);
      }
    }
    m.layers.push_back(l);
  }
}

void check_files(const Fields& f, const Json& root, ModelManifest& m) {
  const Json& files = f.get(root, "", "sha256");
  if (!files.is_object()) f.fail("sha256", "expected an object of file name -> hex digest");
  for (const auto& [name, digest] : files.items()) {
    if (!digest.is_string() || digest.get<std::string>().size() != 64)
      f.fail("sha256." + name, "expected a 64-digit hex digest");
    m.sha256[name] = digest.get<std::string>();
  }
  const std::pair<std::string, std::string> needed[] = {
      {"tokenizer.file", m.tokenizer.file},
      {"modules.text_encoder", m.text_encoder_file},
      {"modules.denoiser", m.denoiser_file},
      {"modules.decoder", m.decoder_file},
      {"template", m.template_file}};
  for (const auto& [field, name] : needed) {
    if (name.find('/') != std::string::npos || name == "." || name == "..")
      f.fail(field, "must be a plain file name inside the package");
    const auto path = m.file(name);
    if (!std::filesystem::is_regular_file(path))
      f.fail(field, "file " + path.string() + " does not exist");
    const auto it = m.sha256.find(name);
    if (it == m.sha256.end())
      f.fail("sha256", "no checksum for " + name + " (named by " + field + ")");
    const std::string actual = sha256_file(path);
    if (actual != it->second) {
      f.fail("sha256." + name, "checksum mismatch for " + path.string() + ": manifest says " +
                                   it->second + ", file has " + actual);
    }
  }
}

}  // namespace

ModelManifest read_manifest(const std::filesystem::path& dir) {
  const auto path = dir / "manifest.json";
  if (!std::filesystem::is_regular_file(path))
    throw ModelError(path.string() + ": missing (is " + dir.string() + " a model package?)");
  const std::string text = read_file(path);
  Json root;
  const std::string problem = parse_json(text, root);
  if (!problem.empty()) throw ModelError(path.string() + ": " + problem);
  const Fields f(path.string());
  ModelManifest m;
  m.dir = dir;
  m.manifest_sha256 = sha256_hex(text.data(), text.size());
  m.format_version = static_cast<int>(f.integer(root, "", "format_version", 0, kMaxFormatVersion));
  if (m.format_version != kManifestFormatVersion) {
    f.fail("format_version", "this tera reads version " + std::to_string(kManifestFormatVersion) +
                                 ", got " + std::to_string(m.format_version));
  }
  m.name = f.string(root, "", "name");
  m.description = f.string(root, "", "description");
  m.licence = f.string(root, "", "licence");
  m.test_only = f.boolean(root, "", "test_only");
  const Json& provenance = f.get(root, "", "provenance");
  f.string(provenance, "provenance", "training_data");
  f.get(provenance, "provenance", "steps");
  f.get(provenance, "provenance", "metrics");
  m.provenance_json = provenance.dump();

  const Json& tok = f.get(root, "", "tokenizer");
  m.tokenizer.file = f.string(tok, "tokenizer", "file");
  m.tokenizer.max_length =
      static_cast<int>(f.integer(tok, "tokenizer", "max_length", 3, kMaxTokens));
  m.tokenizer.lowercase = f.boolean(tok, "tokenizer", "lowercase");
  m.tokenizer.bos_id = static_cast<int>(f.integer(tok, "tokenizer", "bos_id", 0, kMaxTokenId));
  m.tokenizer.eos_id = static_cast<int>(f.integer(tok, "tokenizer", "eos_id", 0, kMaxTokenId));
  m.tokenizer.pad_id = static_cast<int>(f.integer(tok, "tokenizer", "pad_id", 0, kMaxTokenId));

  const Json& modules = f.get(root, "", "modules");
  m.text_encoder_file = f.string(modules, "modules", "text_encoder");
  m.denoiser_file = f.string(modules, "modules", "denoiser");
  m.decoder_file = f.string(modules, "modules", "decoder");
  m.context_dim = static_cast<int>(
      f.integer(f.get(root, "", "text"), "text", "context_dim", 1, kMaxContextDim));

  read_latent_spec(f, root, m);
  read_schedule(f, root, m.schedule);

  const Json& sampling = f.get(root, "", "sampling");
  m.default_steps = static_cast<int>(
      f.integer(sampling, "sampling", "default_steps", 1, m.schedule.num_train_steps));
  m.default_guidance =
      static_cast<float>(f.number(sampling, "sampling", "default_guidance", 0.0, kMaxGuidance));
  m.default_sampler = f.string(sampling, "sampling", "default_sampler");
  if (m.default_sampler != "ddim" && m.default_sampler != "dpm++2m")
    f.fail("sampling.default_sampler", "expected ddim or dpm++2m");
  read_unguided(f, sampling, m);

  const Json& maps = f.get(root, "", "maps");
  m.map_resolution = static_cast<int>(f.integer(maps, "maps", "resolution", 1, kMaxResolution));
  m.map_channels = static_cast<int>(f.integer(maps, "maps", "channels", 1, kMaxChannels));
  read_layers(f, maps, m);

  const Json& regions = f.get(root, "", "regions");
  if (!regions.is_array() || regions.empty())
    f.fail("regions", "expected a non-empty array of region names");
  for (const auto& r : regions) {
    if (!r.is_string()) f.fail("regions", "expected strings");
    m.regions.push_back(r.get<std::string>());
  }
  m.template_file = f.string(root, "", "template");
  check_files(f, root, m);
  return m;
}

std::filesystem::path locate_model(const std::string& requested) {
  namespace fs = std::filesystem;
  if (!requested.empty()) return requested;
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "models" / "default");
    candidates.push_back(exe.parent_path() / "models" / "default");
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c / "manifest.json")) return fs::weakly_canonical(c);
  }
  std::string tried;
  for (const auto& c : candidates)
    tried += (tried.empty() ? "" : ", ") + fs::weakly_canonical(c, ec).string();
  throw ModelError(
      "no model package found (tried " + tried +
      "): no default model package is installed next to the binary; name a package folder "
      "(docs/model-package.md).");
}

}  // namespace tera
