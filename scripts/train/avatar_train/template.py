"""The UV template file (docs/template-format.md): Python's one reader and writer of it."""
import os
import struct
import zlib

import numpy as np

MAGIC = b"TERATMPL"
VERSION = 1        # the format version this module reads and writes
HEADER_BYTES = 48  # magic (8) + ten uint32 fields
REGIONS = 6        # scalp, face, upper body, arms, lower body, feet
INFLUENCES = 4     # skin influences per texel


class Template:
    """The valid texels of an R x R map with their anchors, frames and regions."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:8] != MAGIC:
            raise ValueError(f"{path}: not a tera template (magic {data[:8]!r})")
        (version, self.resolution, m, v, t, bones, regions, influences, payload_size,
         crc) = struct.unpack_from("<10I", data, 8)
        payload = data[HEADER_BYTES:]
        if version != VERSION or len(payload) != payload_size or (zlib.crc32(payload) & 0xFFFFFFFF) != crc:
            raise ValueError(f"{path}: version {version}, payload {len(payload)} of {payload_size} bytes or CRC mismatch")
        self.texel_count = m
        offset = 0

        def take(dtype, shape):
            nonlocal offset
            count = int(np.prod(shape))
            array = np.frombuffer(payload, dtype=dtype, count=count, offset=offset).reshape(shape)
            offset += count * np.dtype(dtype).itemsize
            return array

        self.texel = take("<u4", (m,)).astype(np.int64)
        self.triangle = take("<u4", (m,))
        self.barycentric = take("<f4", (m, 3))
        self.position = take("<f4", (m, 3))
        self.normal = take("<f4", (m, 3))
        self.tangent = take("<f4", (m, 3))
        self.bitangent = take("<f4", (m, 3))
        self.region = take("u1", (m,)).astype(np.int64)
        self.region_count = regions

    def valid_mask(self):
        """float32[R, R]: 1 on valid texels."""
        mask = np.zeros(self.resolution * self.resolution, np.float32)
        mask[self.texel] = 1.0
        return mask.reshape(self.resolution, self.resolution)

    def centres(self, maps):
        """Gaussian centres of per-texel maps: float[..., M, 3+] whose channels 0-2 are the offset
        from each texel's anchor in its (tangent, bitangent, normal) frame, metres -> float[..., M, 3]
        (the anchor formula of docs/template-format.md)."""
        frame = np.stack([self.tangent, self.bitangent, self.normal], 1)  # [M, axis, xyz]
        return self.position + np.einsum("...mk,mkj->...mj", maps[..., 0:3], frame)

    def region_map(self):
        """int64[R, R]: region id on valid texels, -1 elsewhere."""
        regions = np.full(self.resolution * self.resolution, -1, np.int64)
        regions[self.texel] = self.region
        return regions.reshape(self.resolution, self.resolution)


def write_template(path, resolution, texels, vertices, triangles, bones):
    """Writes a template file. texels: dict of per-texel arrays in increasing texel order (texel
    uint[M], triangle uint[M], barycentric float[M, 3], position, normal, tangent, bitangent
    float[M, 3], region uint8[M], bone_index uint16[M, 4], bone_weight float[M, 4]); vertices
    float[V, 3]; triangles uint[T, 3]; bones: list of (name, parent index or -1, head xyz, tail xyz),
    parents before children."""
    m = len(texels["texel"])
    f32 = lambda a: np.asarray(a, "<f4").tobytes()
    u32 = lambda a: np.asarray(a, "<u4").tobytes()
    payload = b"".join([
        u32(texels["texel"]), u32(texels["triangle"]), f32(texels["barycentric"]),
        f32(texels["position"]), f32(texels["normal"]), f32(texels["tangent"]), f32(texels["bitangent"]),
        np.asarray(texels["region"], "u1").tobytes(),
        np.asarray(texels["bone_index"], "<u2").reshape(m, INFLUENCES).tobytes(),
        f32(np.asarray(texels["bone_weight"]).reshape(m, INFLUENCES)),
        f32(vertices), u32(triangles),
        b"".join(struct.pack("<I", len(name.encode())) + name.encode() for name, _, _, _ in bones),
        np.asarray([parent for _, parent, _, _ in bones], "<i4").tobytes(),
        f32([head for _, _, head, _ in bones]), f32([tail for _, _, _, tail in bones]),
    ])
    header = MAGIC + struct.pack("<10I", VERSION, resolution, m, len(vertices), len(triangles), len(bones),
                                 REGIONS, INFLUENCES, len(payload), zlib.crc32(payload) & 0xFFFFFFFF)
    with open(path + ".tmp", "wb") as f:
        f.write(header + payload)
    os.replace(path + ".tmp", path)
