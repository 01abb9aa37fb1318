// Face landmarks from the rig and the procedural face extras: lips, eyebrows painted from the
// fitted eyebrow proxy, stubble, moustache and beard, and glasses built as simple geometry.
#pragma once

#include <string>
#include <vector>

#include "attributes.h"
#include "skeleton.h"
#include "vec3.h"

namespace tera::synth {

struct FaceLandmarks {
  Vec3 mouth{0, 0, 0};     // centre of the lips
  Vec3 eye_left{0, 0, 0};  // eyeball centres
  Vec3 eye_right{0, 0, 0};
};

// Landmarks from joint positions of full-mesh positions [N, 3].
FaceLandmarks face_landmarks(const Skeleton& skeleton, const std::vector<float>& full);

// Lip weight in [0, 1] at a rest position (1 on the lips, fading to 0 around them).
float lip_weight(const FaceLandmarks& rest, const Vec3& p);

// Facial hair coverage at a rest position of a face texel: 0 none, 1 dense. `style` is
// stubble/moustache/beard/none. For stubble the caller darkens the skin instead of adding hair.
float facial_hair_weight(const FaceLandmarks& rest, const Vec3& p, const std::string& style);

// Where a glasses frame passes in front of a rest position (face/scalp texels): returns true and
// the point on the frame in shaped space. `shaped` landmarks locate the frame on this avatar;
// `p_shaped` is the texel's shaped position.
bool glasses_point(const FaceLandmarks& rest, const FaceLandmarks& shaped, const Vec3& p_rest,
                   const Vec3& p_shaped, const std::string& shape, Vec3& frame_point);

}  // namespace tera::synth

namespace tera::synth {

// Colour of the eye opening at a rest position (sclera, iris of colour `iris`, pupil, a dark lash
// line along the upper lid); false outside the openings.
bool eye_colour_at(const FaceLandmarks& rest, const Vec3& p, const Vec3& iris, Vec3& colour);

// Soft baked light: ambient plus a key light from the upper front, applied to a colour with the
// surface normal n (unit).
Vec3 shade(const Vec3& colour, const Vec3& n);

}  // namespace tera::synth
