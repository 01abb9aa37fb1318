// Coordinate frames of Gaussian files and the transforms between them.
#pragma once

#include <string>

#include "tera/core/gaussian_set.h"

namespace tera {

// The frame a file stores coordinates in. Our in-memory frame is kYUp (glTF: +Y up, avatars face
// +Z). kYDown is the convention of captured 3DGS scenes (x right, y down, z forward) that most
// viewers assume for .ply and .splat; it is the in-memory frame rotated 180 degrees about Z.
enum class Frame { kAuto, kYUp, kYDown };

// Parses "auto", "yup", "ydown"; throws UsageError naming `option` otherwise.
Frame parse_frame(const std::string& text, const std::string& option);
const char* frame_name(Frame frame);

// Rotates every Gaussian 180 degrees about the Z axis: positions (x, y, z) -> (-x, -y, z),
// quaternions q -> (0,0,0,1)*q, SH coefficients of order m scaled by (-1)^|m|.
// It is its own inverse, so it converts kYUp <-> kYDown both ways.
void rotate_180_about_z(GaussianSet& set);

// Converts `set` from frame `from` to frame `to` (both must be explicit, not kAuto).
void convert_frame(GaussianSet& set, Frame from, Frame to);

}  // namespace tera
