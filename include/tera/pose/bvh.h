// BVH (Biovision hierarchy) motion files: the joint hierarchy (offsets, channels in any order, End
// Sites) and the frames. Values are kept as the file has them (its units and axes); binding them
// to a skeleton is bvh_retarget.h's job. Standard BVH semantics: the rest pose has no joint
// orientation; a joint's local rotation is the product of its rotation channels in the order they
// are listed (CHANNELS ... Zrotation Xrotation Yrotation means R = Rz * Rx * Ry), and
// global = parent global * local.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tera {

enum class BvhChannel : std::uint8_t {
  kXposition,
  kYposition,
  kZposition,
  kXrotation,
  kYrotation,
  kZrotation
};

struct BvhJoint {
  std::string name;
  int parent = -1;                             // joint index; -1 for the root
  std::array<float, 3> offset{0.f, 0.f, 0.f};  // from the parent's joint, file units
  std::vector<BvhChannel> channels;            // in file order
  std::size_t first_channel = 0;               // index of its first value in a frame
  std::size_t line = 0;  // 1-based line of its ROOT/JOINT keyword (for messages)
};

struct BvhMotion {
  std::string source;             // file name, for messages
  std::vector<BvhJoint> joints;   // parents precede children (file order)
  std::size_t channel_count = 0;  // values per frame
  int frames = 0;
  double frame_time = 0.0;    // seconds per frame
  std::vector<float> values;  // [frames, channel_count]

  int find(const std::string& name) const;  // joint index, or -1
  // Local rotation of `joint` in `frame` as a unit (w, x, y, z) quaternion [4] (identity when the
  // joint has no rotation channels). Angles are degrees in the file.
  std::array<float, 4> local_rotation(int joint, int frame) const;
  // The joint's position channels in `frame` (x, y, z; absent channels read 0), and whether it has
  // any.
  std::array<float, 3> position_channels(int joint, int frame, bool* present = nullptr) const;
  // Rest positions of every joint [J, 3]: the offsets summed down the hierarchy, file units.
  std::vector<float> rest_positions() const;
};

// Parses BVH text. Throws InputError naming `source`, the line and the joint (when there is one)
// and what was expected there. A leading UTF-8 byte-order mark is skipped.
BvhMotion parse_bvh(const std::string& text, const std::string& source);
// Reads and parses a file; throws InputError naming it when it cannot be read.
BvhMotion read_bvh(const std::filesystem::path& path);
// Whether `path` names a BVH file: its extension is .bvh in any case (".BVH", ".Bvh").
bool is_bvh_path(const std::filesystem::path& path);

}  // namespace tera
