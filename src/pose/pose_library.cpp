// Named poses and the bundled pose library; see include/tera/pose/pose_library.h.
#include "tera/pose/pose_library.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "tera/core/atomic_file.h"
#include "tera/core/error.h"
#include "tera/pose/bvh_retarget.h"

namespace tera {
namespace {

constexpr float kStillBelow =
    1e-6f;  // |sin(angle / 2)| below this: the bone does not turn (2 micro-radians)
constexpr double kRounding = 1e6;  // stored values are rounded to 1e-6
// How far a stored rotation's squared norm may lie from 1: rounding to 1e-6 moves it by 1e-5 at
// most, and a hand-written quaternion to 3 digits by about 1e-2.
constexpr float kUnitTolerance = 0.05f;

double rounded(float v) { return std::round(static_cast<double>(v) * kRounding) / kRounding; }

}  // namespace

const NamedPose* PoseLibrary::find(const std::string& name) const {
  for (const NamedPose& p : poses) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string PoseLibrary::names() const {
  std::string out;
  for (const NamedPose& p : poses) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

NamedPose named_pose(const std::string& name, const std::string& description, const Pose& pose,
                     const Skeleton& skeleton) {
  NamedPose out;
  out.name = name;
  out.description = description;
  out.root_translation = pose.root_translation;
  for (int b = 0; b < skeleton.size(); ++b) {
    const float* q = &pose.rotations[4 * static_cast<std::size_t>(b)];
    if (std::sqrt(q[1] * q[1] + q[2] * q[2] + q[3] * q[3]) < kStillBelow) continue;
    out.rotations.emplace_back(skeleton.names[static_cast<std::size_t>(b)],
                               std::array<float, 4>{q[0], q[1], q[2], q[3]});
  }
  return out;
}

Pose pose_on_skeleton(const NamedPose& pose, const Skeleton& skeleton, int* skipped) {
  Pose out = Pose::rest(skeleton.size());
  out.root_translation = pose.root_translation;
  int missing = 0;
  for (const auto& [bone, q] : pose.rotations) {
    const int b = skeleton.find(bone);
    if (b < 0) {
      ++missing;
      continue;
    }
    const float norm = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (std::size_t k = 0; k < 4; ++k)
      out.rotations[4 * static_cast<std::size_t>(b) + k] = q[k] / norm;
  }
  if (skipped) *skipped = missing;
  return out;
}

void write_pose_library(const std::filesystem::path& path, const PoseLibrary& library) {
  nlohmann::ordered_json j;
  j["format"] = "tera-poses";
  j["version"] = kPoseLibraryVersion;
  j["credit"] = library.credit;
  j["frame"] =
      "tera's: metres, +Y up, facing +Z; rotations are local (w, x, y, z) quaternions relative to "
      "the rest pose "
      "(global = parent global * local); bones not listed do not turn";
  j["poses"] = nlohmann::ordered_json::array();
  for (const NamedPose& p : library.poses) {
    nlohmann::ordered_json e;
    e["name"] = p.name;
    e["description"] = p.description;
    e["root_translation"] = {rounded(p.root_translation[0]), rounded(p.root_translation[1]),
                             rounded(p.root_translation[2])};
    nlohmann::ordered_json rotations = nlohmann::ordered_json::object();
    for (const auto& [bone, q] : p.rotations)
      rotations[bone] = {rounded(q[0]), rounded(q[1]), rounded(q[2]), rounded(q[3])};
    e["rotations"] = rotations;
    j["poses"].push_back(e);
  }
  const std::string text = j.dump(1) + "\n";
  write_file_atomic(path, text.data(), text.size());
}

PoseLibrary read_pose_library(const std::filesystem::path& path) {
  const std::string file = path.string();
  nlohmann::json j;
  const std::string problem = parse_json(read_file(path), j);
  if (!problem.empty()) throw InputError(file + ": " + problem);
  const auto field = [&](const nlohmann::json& obj, const char* name,
                         const std::string& where) -> const nlohmann::json& {
    if (!obj.is_object() || !obj.contains(name))
      throw InputError(file + ": " + where + "field '" + name + "' is missing");
    return obj[name];
  };
  try {
    if (field(j, "format", "") != "tera-poses")
      throw InputError(file + ": field 'format' is not \"tera-poses\"");
    if (field(j, "version", "") != kPoseLibraryVersion) {
      throw InputError(file + ": field 'version' is " + j["version"].dump() +
                       "; this build reads " + std::to_string(kPoseLibraryVersion));
    }
    PoseLibrary library;
    library.credit = j.value("credit", "");
    const auto& poses = field(j, "poses", "");
    if (!poses.is_array()) throw InputError(file + ": field 'poses' is not an array");
    for (std::size_t i = 0; i < poses.size(); ++i) {
      const std::string where = "poses[" + std::to_string(i) + "]: ";
      NamedPose p;
      p.name = field(poses[i], "name", where).get<std::string>();
      p.description = poses[i].value("description", "");
      const auto& t = field(poses[i], "root_translation", where);
      if (!t.is_array() || t.size() != 3)
        throw InputError(file + ": " + where + "field 'root_translation' is not 3 numbers");
      for (std::size_t k = 0; k < 3; ++k) {
        p.root_translation[k] = t[k].get<float>();
        if (!(std::abs(p.root_translation[k]) <= kMaxRootTranslation)) {
          throw InputError(file + ": " + where + "field 'root_translation' moves the root " +
                           t[k].dump() + " m (at most " +
                           std::to_string(static_cast<int>(kMaxRootTranslation)) + ")");
        }
      }
      for (const auto& [bone, q] : field(poses[i], "rotations", where).items()) {
        if (!q.is_array() || q.size() != 4)
          throw InputError(file + ": " + where + "rotation of '" + bone + "' is not 4 numbers");
        std::array<float, 4> v{};
        for (std::size_t k = 0; k < 4; ++k) v[k] = q[k].get<float>();
        const float norm2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3];
        if (!(std::abs(norm2 - 1.f) <= kUnitTolerance)) {
          throw InputError(file + ": " + where + "rotation of '" + bone +
                           "' is not a unit quaternion");
        }
        p.rotations.emplace_back(bone, v);
      }
      if (library.find(p.name))
        throw InputError(file + ": " + where + "the name '" + p.name + "' is used twice");
      library.poses.push_back(std::move(p));
    }
    return library;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file + ": a field has the wrong type (" + e.what() + ")");
  }
}

std::filesystem::path locate_pose_library() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("TERA_POSES"); env != nullptr && *env != '\0') {
    if (!fs::is_regular_file(env)) {
      throw InputError(std::string("TERA_POSES: ") + env +
                       " is not a pose library file (fix or unset the variable)");
    }
    return env;
  }
  std::vector<fs::path> candidates;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "data" / "poses" / "makehuman.json");
    candidates.push_back(exe.parent_path() / "data" / "poses" / "makehuman.json");
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c)) return fs::weakly_canonical(c);
  }
  std::string tried;
  for (const auto& c : candidates)
    tried += (tried.empty() ? "" : ", ") + fs::weakly_canonical(c, ec).string();
  throw InputError("no pose library found (tried " + tried +
                   "); set TERA_POSES or pass a .bvh file");
}

Pose resolve_pose(const std::string& spec, const Skeleton& skeleton, const std::string& option) {
  const std::filesystem::path path(spec);
  if (is_bvh_path(path)) {
    const BvhMotion motion = read_bvh(path);
    return bvh_pose(motion, bind_bvh(motion, skeleton), skeleton, 0);
  }
  const PoseLibrary library = read_pose_library(locate_pose_library());
  const NamedPose* pose = library.find(spec);
  if (!pose)
    throw UsageError(option + ": no pose named '" + spec + "' (bundled: " + library.names() +
                     "; or give a .bvh file)");
  return pose_on_skeleton(*pose, skeleton);
}

}  // namespace tera
