// Ray casting against fitted proxy meshes (Embree 3): the baker finds garment and hair surfaces
// along each texel's normal.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "vec3.h"

namespace tera::synth {

struct RayHit {
  float distance = 0.f;
  std::int32_t mesh = -1;      // index of the mesh in the order added
  std::int32_t triangle = -1;  // triangle within that mesh (quad q gives 2q and 2q + 1)
  float u = 0.f, v = 0.f;      // barycentrics of corners 1 and 2
  Vec3 normal{0, 0, 1};        // unit geometric normal
};

// One device per thread; scenes are built per avatar.
class RayDevice {
 public:
  RayDevice();
  ~RayDevice();
  RayDevice(const RayDevice&) = delete;
  RayDevice& operator=(const RayDevice&) = delete;
  void* handle() const { return device_; }

 private:
  void* device_ = nullptr;
};

class RayScene {
 public:
  explicit RayScene(const RayDevice& device);
  ~RayScene();
  RayScene(const RayScene&) = delete;
  RayScene& operator=(const RayScene&) = delete;
  // Adds a quad mesh: positions [P, 3], quads [F, 4]. Call commit() after the last one.
  void add_quads(const std::vector<float>& positions, const std::vector<std::int32_t>& quads);
  void commit();
  bool empty() const { return meshes_ == 0; }
  // Nearest hit along origin + t * dir for t in [0, max_distance]; false when none.
  bool intersect(const Vec3& origin, const Vec3& dir, float max_distance, RayHit& hit) const;

 private:
  void* scene_ = nullptr;
  const RayDevice& device_;
  int meshes_ = 0;
};

}  // namespace tera::synth
