// MakeHuman's default rig: bones whose joints are the centroids of base-mesh vertex groups
// (.mhskel), and skin weights per bone (.mhw) reduced to the top 4 per vertex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tera::synth {

// Influences kept per vertex (what GPU skinning and the template store).
constexpr int kSkinInfluences = 4;

struct Bone {
  std::string name;
  std::int32_t parent = -1;              // index into Skeleton::bones, -1 for the root
  std::vector<std::int32_t> head_verts;  // full base-mesh vertices whose centroid is the head
  std::vector<std::int32_t> tail_verts;  // ... and the tail
};

struct Skeleton {
  std::vector<Bone> bones;  // parents come before children
  std::int32_t find(const std::string& name) const;
};

// Per-vertex top-4 skin weights over the full base mesh.
struct SkinWeights {
  std::vector<std::uint16_t> bones;  // [N, 4] bone indices (0 where the weight is 0)
  std::vector<float> weights;        // [N, 4] non-increasing, summing to 1 (or all 0 if unweighted)
};

// Throws InputError naming the file and the bone or field that is wrong.
Skeleton read_skeleton(const std::string& mhskel_path, std::size_t base_vertex_count);
SkinWeights read_skin_weights(const std::string& mhw_path, const Skeleton& skeleton,
                              std::size_t base_vertex_count);

// Joint positions from full-mesh positions [N, 3]: heads [B, 3] and tails [B, 3].
void joint_positions(const Skeleton& skeleton, const std::vector<float>& full,
                     std::vector<float>& heads, std::vector<float>& tails);

}  // namespace tera::synth
