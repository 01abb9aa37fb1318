"""Teacher-layout maps -> Gaussians -> INRIA 3DGS .ply, as the runtime's assembly does
(docs/template-format.md, "Using it"), for evaluations that render maps with `tera render`."""
import numpy as np

SH_C0 = 0.28209479177387814  # zeroth spherical-harmonic constant: colour = 0.5 + C0 * f_dc
MIN_ALPHA = 1.0 / 255.0      # the runtime's default --min-opacity: fainter Gaussians are dropped
ALPHA_CLAMP = (1e-4, 0.9999) # the runtime clamps alpha before the logit (src/core/parameterisation.h)


def quaternion_from_columns(m):
    """float[N, 3, 3] rotation matrices -> float[N, 4] unit quaternions (w, x, y, z)."""
    w = np.sqrt(np.maximum(0.0, 1.0 + m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2])) / 2
    x = np.sqrt(np.maximum(0.0, 1.0 + m[:, 0, 0] - m[:, 1, 1] - m[:, 2, 2])) / 2
    y = np.sqrt(np.maximum(0.0, 1.0 - m[:, 0, 0] + m[:, 1, 1] - m[:, 2, 2])) / 2
    z = np.sqrt(np.maximum(0.0, 1.0 - m[:, 0, 0] - m[:, 1, 1] + m[:, 2, 2])) / 2
    x = np.copysign(x, m[:, 2, 1] - m[:, 1, 2])
    y = np.copysign(y, m[:, 0, 2] - m[:, 2, 0])
    z = np.copysign(z, m[:, 1, 0] - m[:, 0, 1])
    q = np.stack([w, x, y, z], 1)
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def assemble(maps, template):
    """maps float[layers, M, 11] -> dict of per-Gaussian arrays (y-up frame), layer by layer."""
    t = template
    out = {k: [] for k in ("xyz", "f_dc", "opacity", "scale", "rot")}
    for layer in maps:
        keep = layer[:, 6] >= MIN_ALPHA
        m = layer[keep]
        tan, bit, nor = t.tangent[keep], t.bitangent[keep], t.normal[keep]
        xyz = t.position[keep] + m[:, 0:1] * tan + m[:, 1:2] * bit + m[:, 2:3] * nor
        c, s = np.cos(m[:, 10:11]), np.sin(m[:, 10:11])
        a = c * tan + s * bit
        rot = quaternion_from_columns(np.stack([a, np.cross(nor, a), nor], 2))
        alpha = np.clip(m[:, 6], *ALPHA_CLAMP)
        out["xyz"].append(xyz)
        out["f_dc"].append((np.clip(m[:, 3:6], 0, 1) - 0.5) / SH_C0)
        out["opacity"].append(np.log(alpha / (1 - alpha)))
        out["scale"].append(m[:, 7:10])
        out["rot"].append(rot)
    return {k: np.concatenate(v) for k, v in out.items()}


def write_ply(path, g):
    """Binary little-endian INRIA layout, degree-0 colour, stored y-up (render with --frame yup)."""
    names = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2",
             "rot_0", "rot_1", "rot_2", "rot_3"]
    data = np.concatenate([g["xyz"], g["f_dc"], g["opacity"][:, None], g["scale"], g["rot"]], 1).astype("<f4")
    header = "ply\nformat binary_little_endian 1.0\nelement vertex %d\n" % len(data)
    header += "".join(f"property float {n}\n" for n in names) + "end_header\n"
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(data.tobytes())
