// Loading the asset pack's contents from the MakeHuman files: which targets, modifiers and proxies
// the teacher uses.
#include <algorithm>
#include <filesystem>

#include "asset_pack.h"
#include "tera/core/error.h"

namespace fs = std::filesystem;

namespace tera::synth {
namespace {

// Detail sliders the teacher samples: "group/target" with its min and max file suffixes; a
// "{s}" in the target is a left/right pair driven together (faces stay symmetric).
struct ModifierSpec {
  const char* name;
  const char* min_side;  // "" for one-sided modifiers
  const char* max_side;
};
const ModifierSpec kModifierSpecs[] = {
    {"head/head-age", "decr", "incr"},
    {"head/head-fat", "decr", "incr"},
    {"head/head-oval", "", ""},
    {"head/head-round", "", ""},
    {"head/head-square", "", ""},
    {"head/head-scale-horiz", "decr", "incr"},
    {"head/head-scale-vert", "decr", "incr"},
    {"head/head-scale-depth", "decr", "incr"},
    {"neck/neck-scale-horiz", "decr", "incr"},
    {"nose/nose-scale-horiz", "decr", "incr"},
    {"nose/nose-scale-vert", "decr", "incr"},
    {"nose/nose-scale-depth", "decr", "incr"},
    {"nose/nose-hump", "decr", "incr"},
    {"nose/nose-point-width", "decr", "incr"},
    {"nose/nose-nostrils-width", "decr", "incr"},
    {"mouth/mouth-scale-horiz", "decr", "incr"},
    {"mouth/mouth-lowerlip-height", "decr", "incr"},
    {"mouth/mouth-upperlip-height", "decr", "incr"},
    {"chin/chin-prominent", "decr", "incr"},
    {"chin/chin-width", "decr", "incr"},
    {"chin/chin-height", "decr", "incr"},
    {"cheek/{s}-cheek-bones", "decr", "incr"},
    {"ears/{s}-ear-scale", "decr", "incr"},
    {"eyebrows/eyebrows-angle", "down", "up"},
    {"torso/torso-scale-horiz", "decr", "incr"},
    {"torso/torso-scale-depth", "decr", "incr"},
    {"torso/torso-vshape", "decr", "incr"},
    {"hip/hip-scale-horiz", "decr", "incr"},
    {"stomach/stomach-pregnant", "decr", "incr"},
    {"buttocks/buttocks-volume", "decr", "incr"},
    {"armslegs/{s}-upperarm-fat", "decr", "incr"},
    {"armslegs/{s}-lowerarm-fat", "decr", "incr"},
    {"armslegs/{s}-upperleg-fat", "decr", "incr"},
    {"armslegs/{s}-lowerleg-fat", "decr", "incr"},
    {"armslegs/lowerlegs-height", "decr", "incr"},
    {"armslegs/upperlegs-height", "decr", "incr"},
};

// Proxies the teacher dresses avatars with: folder below assets/base, and its kind.
struct ProxySpec {
  const char* folder;
  const char* kind;
};
const ProxySpec kProxyFolders[] = {
    {"hair", "hair"}, {"clothes", "clothes"}, {"eyebrows", "eyebrows"}, {"eyelashes", "eyelashes"}};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
    text.replace(p, from.size(), to);
  return text;
}

std::vector<std::string> sorted_files(const fs::path& dir, const std::string& ext) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) throw InputError(dir.string() + ": folder not found");
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

SharedPaths find_shared_paths(const std::string& shared) {
  for (const fs::path& root : {fs::path(shared) / "assets" / "makehuman", fs::path(shared)}) {
    const auto data = root / "core" / "makehuman" / "data";
    if (fs::exists(data / "3dobjs" / "base.obj"))
      return {data.string(), (root / "assets" / "base").string()};
  }
  throw InputError(shared +
                   ": no MakeHuman assets found (expected "
                   "assets/makehuman/core/makehuman/data/3dobjs/base.obj)");
}

AssetPack load_pack_from_shared(const std::string& shared) {
  const SharedPaths paths = find_shared_paths(shared);
  AssetPack pack;
  pack.body =
      extract_body(read_obj(paths.data + "/3dobjs/base.obj"), paths.data + "/3dobjs/base.obj");
  const std::size_t n = pack.body.full_count();
  const fs::path targets = fs::path(paths.data) / "targets";
  // Macro targets; baby targets are skipped because adults (18+) never weight them.
  for (const std::string sub : {"", "height", "proportions"}) {
    for (const auto& file : sorted_files(targets / "macrodetails" / sub, ".target")) {
      const auto stem = fs::path(file).stem().string();
      if (stem.find("baby") != std::string::npos) continue;
      const std::string name = "macrodetails/" + (sub.empty() ? "" : sub + "/") + stem;
      pack.targets.push_back(read_target(file, name, n));
    }
  }
  for (const auto& spec : kModifierSpecs) {
    DetailModifier modifier;
    modifier.name = replace_all(spec.name, "{s}-", "");
    const bool paired = std::string(spec.name).find("{s}") != std::string::npos;
    const std::vector<std::string> sides =
        paired ? std::vector<std::string>{"l", "r"} : std::vector<std::string>{""};
    for (const auto& side : sides) {
      const std::string base = paired ? replace_all(spec.name, "{s}", side) : spec.name;
      const auto add = [&](const std::string& suffix, std::vector<std::int32_t>& into) {
        const std::string name = suffix.empty() ? base : base + "-" + suffix;
        pack.targets.push_back(read_target((targets / (name + ".target")).string(), name, n));
        into.push_back(static_cast<std::int32_t>(pack.targets.size()) - 1);
      };
      if (*spec.min_side) add(spec.min_side, modifier.min_targets);
      add(spec.max_side, modifier.max_targets);
    }
    pack.modifiers.push_back(modifier);
  }
  const fs::path base(paths.base);
  for (const auto& spec : kProxyFolders) {
    for (const auto& entry : fs::directory_iterator(base / spec.folder)) {
      if (!entry.is_directory()) continue;
      const auto name = entry.path().filename().string();
      std::string kind = spec.kind;
      if (name.rfind("shoes", 0) == 0) kind = "shoes";
      if (name.rfind("fedora", 0) == 0) kind = "hat";
      // A folder's proxy is <name>.mhclo, else its first .mhclo (fedora01 holds fedora.mhclo).
      std::string file = (entry.path() / (name + ".mhclo")).string();
      if (!fs::exists(file)) {
        const auto candidates = sorted_files(entry.path(), ".mhclo");
        if (candidates.empty())
          throw InputError(entry.path().string() + ": no .mhclo file in the proxy folder");
        file = candidates.front();
      }
      pack.proxies.push_back(read_proxy(file, kind, n));
      pack.proxies.back().name = name;
    }
  }
  pack.proxies.push_back(read_proxy(paths.data + "/eyes/low-poly/low-poly.mhclo", "eyes", n));
  pack.proxies.back().name = "eyes";
  std::sort(pack.proxies.begin(), pack.proxies.end(),
            [](const Proxy& a, const Proxy& b) { return a.name < b.name; });
  pack.skeleton = read_skeleton(paths.data + "/rigs/default.mhskel", n);
  pack.weights = read_skin_weights(paths.data + "/rigs/default_weights.mhw", pack.skeleton, n);
  return pack;
}

int AssetPack::find_proxy(const std::string& name) const {
  for (std::size_t i = 0; i < proxies.size(); ++i)
    if (proxies[i].name == name) return static_cast<int>(i);
  return -1;
}

int AssetPack::find_target(const std::string& name) const {
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (targets[i].name == name) return static_cast<int>(i);
  return -1;
}

AssetPack load_assets(const std::string& shared, const std::string& pack) {
  if (!pack.empty()) return read_pack(pack);
  if (shared.empty()) throw UsageError("give either --pack FILE or --shared DIR");
  return load_pack_from_shared(shared);
}

}  // namespace tera::synth
