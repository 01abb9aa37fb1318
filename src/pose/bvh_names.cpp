// Joint-name tables from common BVH rigs to MakeHuman's default rig (docs/animation.md lists them).
#include <map>

#include "tera/core/error.h"
#include "tera/pose/bvh_retarget.h"

namespace tera {
namespace {

using Table = std::vector<std::pair<std::string, std::string>>;

// Fingers: thumb, index, middle, ring, pinky are MakeHuman's finger1 .. finger5, three joints each.
void add_fingers(Table& t, const char* const names[5], const std::string& prefix,
                 const std::string& suffix, const std::string& side) {
  for (int f = 0; f < 5; ++f) {
    for (int k = 1; k <= 3; ++k) {
      t.emplace_back(prefix + names[f] + std::to_string(k) + suffix,
                     "finger" + std::to_string(f + 1) + "-" + std::to_string(k) + "." + side);
    }
  }
}

Table mixamo() {
  Table t = {{"Hips", "root"},      {"Spine", "spine05"}, {"Spine1", "spine03"},
             {"Spine2", "spine01"}, {"Neck", "neck01"},   {"Head", "head"}};
  const char* const fingers[5] = {"Thumb", "Index", "Middle", "Ring", "Pinky"};
  for (const auto& [side, s] : {std::pair<std::string, std::string>{"Left", "L"}, {"Right", "R"}}) {
    t.insert(t.end(), {{side + "Shoulder", "clavicle." + s},
                       {side + "Arm", "upperarm01." + s},
                       {side + "ForeArm", "lowerarm01." + s},
                       {side + "Hand", "wrist." + s},
                       {side + "UpLeg", "upperleg01." + s},
                       {side + "Leg", "lowerleg01." + s},
                       {side + "Foot", "foot." + s}});
    add_fingers(t, fingers, side + "Hand", "", s);
  }
  return t;
}

Table cmu() {
  Table t = {{"Hips", "root"},      {"LowerBack", "spine05"}, {"Spine", "spine03"},
             {"Spine1", "spine01"}, {"Neck", "neck01"},       {"Neck1", "neck02"},
             {"Head", "head"}};
  for (const auto& [side, s] : {std::pair<std::string, std::string>{"Left", "L"}, {"Right", "R"}}) {
    const std::string letter = side.substr(0, 1);
    t.insert(t.end(), {{letter + "HipJoint", "pelvis." + s},
                       {side + "UpLeg", "upperleg01." + s},
                       {side + "Leg", "lowerleg01." + s},
                       {side + "Foot", "foot." + s},
                       {side + "Shoulder", "clavicle." + s},
                       {side + "Arm", "upperarm01." + s},
                       {side + "ForeArm", "lowerarm01." + s},
                       {side + "Hand", "wrist." + s},
                       {letter + "Thumb", "finger1-1." + s},
                       {side + "HandIndex1", "finger2-1." + s}});
  }
  return t;
}

// MakeHuman 1.0's game rig, as in MakeHuman's own walk animations.
Table makehuman_game() {
  Table t = {{"Root", "root"},      {"Spine1", "spine05"}, {"Spine2", "spine03"},
             {"Spine3", "spine01"}, {"Neck", "neck01"},    {"Head", "head"}};
  const char* const fingers[5] = {"Thumb", "Index", "Middle", "Ring", "Pinky"};
  for (const std::string s : {"L", "R"}) {
    t.insert(t.end(), {{"Clavicle_" + s, "clavicle." + s},
                       {"UpArm_" + s, "upperarm01." + s},
                       {"LoArm_" + s, "lowerarm01." + s},
                       {"Hand_" + s, "wrist." + s},
                       {"UpLeg_" + s, "upperleg01." + s},
                       {"LoLeg_" + s, "lowerleg01." + s},
                       {"Foot_" + s, "foot." + s}});
    add_fingers(t, fingers, "", "_" + s, s);
  }
  return t;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& bvh_name_table(const std::string& naming) {
  static const std::map<std::string, Table> tables = {
      {"mixamo", mixamo()}, {"cmu", cmu()}, {"makehuman-game", makehuman_game()}};
  const auto it = tables.find(naming);
  if (it == tables.end()) throw Error("bvh_name_table: no table named '" + naming + "'");
  return it->second;
}

}  // namespace tera
