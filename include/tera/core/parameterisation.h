// Conversions from activated values (rotation matrices, alpha) to the stored 3DGS
// parameterisation (quaternions, opacity logits), shared by every stage that builds Gaussians.
#pragma once

namespace tera {

// Quaternion (w, x, y, z) of a proper rotation matrix given row-major [9] (Shepperd's method).
void quaternion_from_matrix(const float m[9], float q[4]);

// Opacity logit of an alpha in [0, 1], clamped to [1e-4, 0.9999] first so the logit stays finite.
float opacity_logit_from_alpha(float alpha);

}  // namespace tera
