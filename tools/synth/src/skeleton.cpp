#include "skeleton.h"

#include <algorithm>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "binary_io.h"
#include "tera/core/error.h"

namespace tera::synth {

std::int32_t Skeleton::find(const std::string& name) const {
  for (std::size_t i = 0; i < bones.size(); ++i) {
    if (bones[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

namespace {

nlohmann::json parse_json_file(const std::string& path) {
  try {
    return nlohmann::json::parse(read_file_text(path));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
}

std::vector<std::int32_t> joint_group(const nlohmann::json& joints, const std::string& key,
                                      const std::string& path, std::size_t n) {
  if (!joints.contains(key)) throw InputError(path + ": joints." + key + " is missing");
  std::vector<std::int32_t> out;
  for (const auto& v : joints[key]) {
    const auto index = v.get<long>();
    if (index < 0 || static_cast<std::size_t>(index) >= n)
      throw InputError(path + ": joints." + key + " names vertex " + std::to_string(index));
    out.push_back(static_cast<std::int32_t>(index));
  }
  if (out.empty()) throw InputError(path + ": joints." + key + " is empty");
  return out;
}

}  // namespace

Skeleton read_skeleton(const std::string& path, std::size_t n) {
  const auto doc = parse_json_file(path);
  if (!doc.contains("bones") || !doc.contains("joints"))
    throw InputError(path + ": expected fields 'bones' and 'joints'");
  const auto& bones = doc["bones"];
  const auto& joints = doc["joints"];
  // Order bones so that parents precede children (depth-first from the root).
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> roots;
  for (auto it = bones.begin(); it != bones.end(); ++it) {
    const auto& parent = it.value()["parent"];
    if (parent.is_null())
      roots.push_back(it.key());
    else
      children[parent.get<std::string>()].push_back(it.key());
  }
  Skeleton skeleton;
  std::function<void(const std::string&, std::int32_t)> visit = [&](const std::string& name,
                                                                    std::int32_t parent) {
    const auto& b = bones[name];
    Bone bone;
    bone.name = name;
    bone.parent = parent;
    bone.head_verts = joint_group(joints, b.at("head").get<std::string>(), path, n);
    bone.tail_verts = joint_group(joints, b.at("tail").get<std::string>(), path, n);
    skeleton.bones.push_back(bone);
    const auto self = static_cast<std::int32_t>(skeleton.bones.size()) - 1;
    for (const auto& child : children[name]) visit(child, self);
  };
  for (const auto& root : roots) visit(root, -1);
  if (skeleton.bones.size() != bones.size())
    throw InputError(path + ": some bones are not reachable from a root");
  return skeleton;
}

SkinWeights read_skin_weights(const std::string& path, const Skeleton& skeleton, std::size_t n) {
  const auto doc = parse_json_file(path);
  if (!doc.contains("weights")) throw InputError(path + ": expected field 'weights'");
  std::vector<std::vector<std::pair<float, std::uint16_t>>> per_vertex(n);
  for (auto it = doc["weights"].begin(); it != doc["weights"].end(); ++it) {
    const auto bone = skeleton.find(it.key());
    if (bone < 0)
      throw InputError(path + ": weights name bone '" + it.key() + "' that the skeleton lacks");
    for (const auto& pair : it.value()) {
      const auto v = pair.at(0).get<long>();
      if (v < 0 || static_cast<std::size_t>(v) >= n)
        throw InputError(path + ": weights." + it.key() + " names vertex " + std::to_string(v));
      per_vertex[v].push_back({pair.at(1).get<float>(), static_cast<std::uint16_t>(bone)});
    }
  }
  SkinWeights out;
  out.bones.assign(n * kSkinInfluences, 0);
  out.weights.assign(n * kSkinInfluences, 0.f);
  for (std::size_t v = 0; v < n; ++v) {
    auto& list = per_vertex[v];
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    float sum = 0.f;
    const int k = std::min<int>(kSkinInfluences, static_cast<int>(list.size()));
    for (int i = 0; i < k; ++i) sum += list[i].first;
    for (int i = 0; i < k && sum > 0.f; ++i) {
      out.bones[v * kSkinInfluences + i] = list[i].second;
      out.weights[v * kSkinInfluences + i] = list[i].first / sum;
    }
  }
  return out;
}

void joint_positions(const Skeleton& skeleton, const std::vector<float>& full,
                     std::vector<float>& heads, std::vector<float>& tails) {
  const auto centroid = [&](const std::vector<std::int32_t>& verts, float* out) {
    out[0] = out[1] = out[2] = 0.f;
    for (auto v : verts)
      for (int k = 0; k < 3; ++k) out[k] += full[3 * v + k];
    for (int k = 0; k < 3; ++k) out[k] /= static_cast<float>(verts.size());
  };
  heads.resize(skeleton.bones.size() * 3);
  tails.resize(skeleton.bones.size() * 3);
  for (std::size_t b = 0; b < skeleton.bones.size(); ++b) {
    centroid(skeleton.bones[b].head_verts, &heads[3 * b]);
    centroid(skeleton.bones[b].tail_verts, &tails[3 * b]);
  }
}

}  // namespace tera::synth
