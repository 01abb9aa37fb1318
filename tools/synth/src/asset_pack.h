// The asset pack: everything the teacher needs from the MakeHuman assets in one compact binary file
// (layout in docs/teacher.md): the base mesh, the morph targets in use (sparse float16 offsets),
// the detail modifiers, the proxies, the rig and the top-4 skin weights.
#pragma once

#include <string>
#include <vector>

#include "mhclo.h"
#include "obj_mesh.h"
#include "skeleton.h"
#include "target.h"

namespace tera::synth {

// Pack file version; bump on any layout change.
constexpr std::uint32_t kPackVersion = 1;

struct AssetPack {
  BodyMesh body;
  std::vector<Target> targets;  // macrodetails/* first, then detail targets
  std::vector<DetailModifier> modifiers;
  std::vector<Proxy> proxies;
  Skeleton skeleton;
  SkinWeights weights;  // over the full base mesh

  // Index of a proxy by name, or -1.
  int find_proxy(const std::string& name) const;
  // Index of a target by name (e.g. "head/head-age-incr"), or -1.
  int find_target(const std::string& name) const;
};

// Paths inside a MakeHuman asset tree. `shared` may be the project's shared folder (holding
// assets/makehuman) or the makehuman folder itself; throws InputError when neither fits.
struct SharedPaths {
  std::string data;  // .../core/makehuman/data (base mesh, targets, rigs)
  std::string base;  // .../assets/base (hair, clothes, eyebrows, eyelashes)
};
SharedPaths find_shared_paths(const std::string& shared);

// Reads the assets the teacher uses straight from the MakeHuman files.
AssetPack load_pack_from_shared(const std::string& shared);

// Writes / reads the binary pack. The reader checks magic, version, size and CRC-32 and throws
// InputError naming the file and byte offset when anything is wrong.
void write_pack(const AssetPack& pack, const std::string& path);
AssetPack read_pack(const std::string& path);

// Either source: a pack file (when `pack` is not empty) or the shared folder.
AssetPack load_assets(const std::string& shared, const std::string& pack);

}  // namespace tera::synth
