// Coordinate frames of Gaussian files and the transforms between them.
#pragma once

#include <string>

#include "tera/core/gaussian_set.h"

namespace tera {

// The frame a file stores coordinates in. Our in-memory frame is kYUp (glTF: +Y up, avatars face
// +Z). kYDown is the convention of captured 3DGS scenes (x right, y down, z forward) that most
// viewers assume for .ply and .splat; it is the in-memory frame rotated 180 degrees about X, the
// turn those viewers undo to show such a file upright (an avatar then faces their camera).
enum class Frame { kAuto, kYUp, kYDown };

// Parses "auto", "yup", "ydown"; throws UsageError naming `option` otherwise.
Frame parse_frame(const std::string& text, const std::string& option);
const char* frame_name(Frame frame);

// Rotates every Gaussian 180 degrees about the X axis: positions (x, y, z) -> (x, -y, -z),
// quaternions q -> (0,1,0,0)*q, SH coefficient (l, m) scaled by sh_sign_180_about_x(l, m).
// It is its own inverse (up to q -> -q), so it converts kYUp <-> kYDown both ways.
void rotate_180_about_x(GaussianSet& set);

// The sign of the real SH basis function (l, m) under a 180-degree turn about X, which maps
// (x, y, z) to (x, -y, -z): (-1)^(l+m) for m >= 0, (-1)^(l+m+1) for m < 0.
float sh_sign_180_about_x(int l, int m);

// Converts `set` from frame `from` to frame `to` (both must be explicit, not kAuto): to kYDown by
// rotate_180_about_x, to kYUp by the same turn with the quaternion (0,-1,0,0), so that converting
// there and back returns every quaternion exactly, not negated.
void convert_frame(GaussianSet& set, Frame from, Frame to);

}  // namespace tera
