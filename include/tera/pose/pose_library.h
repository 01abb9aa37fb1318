// Named poses: the bundled library (data/poses/makehuman.json, derived by `tera poses --build`
// from MakeHuman's CC0 BVH poses) and the lookup behind `--pose NAME|FILE.bvh`.
// A library stores per pose the local rotations of the bones that move, by bone name, in tera's
// frame, and the root translation in metres; nothing of the BVH files themselves.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tera/pose/skeleton.h"

namespace tera {

constexpr int kPoseLibraryVersion = 1;  // file version this build reads and writes

struct NamedPose {
  std::string name, description;
  std::vector<std::pair<std::string, std::array<float, 4>>>
      rotations;                                         // bone name -> local (w, x, y, z)
  std::array<float, 3> root_translation{0.f, 0.f, 0.f};  // metres
};

struct PoseLibrary {
  std::string credit;            // where the poses come from (licence)
  std::vector<NamedPose> poses;  // in a fixed order (the pose sheet's)

  const NamedPose* find(const std::string& name) const;  // nullptr when absent
  std::string names() const;                             // "a, b, c" for messages
};

// The bones of `pose` that turn (by more than a few micro-radians), by name.
NamedPose named_pose(const std::string& name, const std::string& description, const Pose& pose,
                     const Skeleton& skeleton);
// The pose on `skeleton`; bones the skeleton lacks are skipped and counted in *skipped.
Pose pose_on_skeleton(const NamedPose& pose, const Skeleton& skeleton, int* skipped = nullptr);

// Writes through AtomicFile; rotations and translations rounded to 1e-6 (micro-radians,
// micrometres).
void write_pose_library(const std::filesystem::path& path, const PoseLibrary& library);
// Throws InputError naming the file and the field.
PoseLibrary read_pose_library(const std::filesystem::path& path);

// The bundled library: $TERA_POSES, else data/poses/makehuman.json above or beside the binary.
// Throws InputError listing the places tried.
std::filesystem::path locate_pose_library();

// A pose for `--pose`: a path ending in .bvh (its first frame, bound by name to the skeleton) or
// the name of a pose in the bundled library. Throws UsageError naming `option` and the known
// names for an unknown name; InputError for a bad file.
Pose resolve_pose(const std::string& spec, const Skeleton& skeleton, const std::string& option);

}  // namespace tera
