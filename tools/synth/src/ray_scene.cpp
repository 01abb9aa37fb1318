#include "ray_scene.h"

#include <embree3/rtcore.h>
#include <limits>

#include "tera/core/error.h"

namespace tera::synth {

RayDevice::RayDevice() {
  device_ = rtcNewDevice("threads=1");  // callers parallelise across avatars, not inside one
  if (!device_) throw Error("Embree: cannot create a ray-tracing device");
}

RayDevice::~RayDevice() { rtcReleaseDevice(static_cast<RTCDevice>(device_)); }

RayScene::RayScene(const RayDevice& device) : device_(device) {
  scene_ = rtcNewScene(static_cast<RTCDevice>(device.handle()));
}

RayScene::~RayScene() { rtcReleaseScene(static_cast<RTCScene>(scene_)); }

void RayScene::add_quads(const std::vector<float>& positions,
                         const std::vector<std::int32_t>& quads) {
  const auto device = static_cast<RTCDevice>(device_.handle());
  RTCGeometry geometry = rtcNewGeometry(device, RTC_GEOMETRY_TYPE_TRIANGLE);
  const std::size_t vertex_count = positions.size() / 3, quad_count = quads.size() / 4;
  auto* vertices = static_cast<float*>(rtcSetNewGeometryBuffer(
      geometry, RTC_BUFFER_TYPE_VERTEX, 0, RTC_FORMAT_FLOAT3, 3 * sizeof(float), vertex_count));
  std::copy(positions.begin(), positions.end(), vertices);
  auto* indices = static_cast<unsigned*>(rtcSetNewGeometryBuffer(
      geometry, RTC_BUFFER_TYPE_INDEX, 0, RTC_FORMAT_UINT3, 3 * sizeof(unsigned), 2 * quad_count));
  for (std::size_t q = 0; q < quad_count; ++q) {
    const std::int32_t* c = &quads[4 * q];
    const unsigned tri[6] = {unsigned(c[0]), unsigned(c[1]), unsigned(c[2]),
                             unsigned(c[0]), unsigned(c[2]), unsigned(c[3])};
    std::copy(tri, tri + 6, indices + 6 * q);
  }
  rtcCommitGeometry(geometry);
  rtcAttachGeometryByID(static_cast<RTCScene>(scene_), geometry, static_cast<unsigned>(meshes_));
  rtcReleaseGeometry(geometry);
  ++meshes_;
}

void RayScene::commit() { rtcCommitScene(static_cast<RTCScene>(scene_)); }

bool RayScene::intersect(const Vec3& origin, const Vec3& dir, float max_distance,
                         RayHit& hit) const {
  if (meshes_ == 0) return false;
  RTCIntersectContext context;
  rtcInitIntersectContext(&context);
  RTCRayHit rh{};
  rh.ray.org_x = origin[0];
  rh.ray.org_y = origin[1];
  rh.ray.org_z = origin[2];
  rh.ray.dir_x = dir[0];
  rh.ray.dir_y = dir[1];
  rh.ray.dir_z = dir[2];
  rh.ray.tnear = 0.f;
  rh.ray.tfar = max_distance;
  rh.ray.mask = std::numeric_limits<unsigned>::max();
  rh.hit.geomID = RTC_INVALID_GEOMETRY_ID;
  rtcIntersect1(static_cast<RTCScene>(scene_), &context, &rh);
  if (rh.hit.geomID == RTC_INVALID_GEOMETRY_ID) return false;
  hit.distance = rh.ray.tfar;
  hit.mesh = static_cast<std::int32_t>(rh.hit.geomID);
  hit.triangle = static_cast<std::int32_t>(rh.hit.primID);
  hit.u = rh.hit.u;
  hit.v = rh.hit.v;
  hit.normal = normalized({rh.hit.Ng_x, rh.hit.Ng_y, rh.hit.Ng_z});
  return true;
}

}  // namespace tera::synth
