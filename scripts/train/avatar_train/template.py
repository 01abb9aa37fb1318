"""Reads the UV template (docs/template-format.md) into numpy arrays."""
import struct
import zlib

import numpy as np

HEADER_BYTES = 48  # magic (8) + ten uint32 fields


class Template:
    """The valid texels of an R x R map with their anchors, frames and regions."""

    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data[:8] != b"TERATMPL":
            raise ValueError(f"{path}: not a tera template (magic {data[:8]!r})")
        (version, self.resolution, m, v, t, bones, regions, influences, payload_size,
         crc) = struct.unpack_from("<10I", data, 8)
        payload = data[HEADER_BYTES:]
        if version != 1 or len(payload) != payload_size or (zlib.crc32(payload) & 0xFFFFFFFF) != crc:
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

    def region_map(self):
        """int64[R, R]: region id on valid texels, -1 elsewhere."""
        regions = np.full(self.resolution * self.resolution, -1, np.int64)
        regions[self.texel] = self.region
        return regions.reshape(self.resolution, self.resolution)
