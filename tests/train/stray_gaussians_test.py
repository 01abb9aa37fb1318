#!/usr/bin/python3
"""The stray-Gaussian count (scripts/eval/stray_gaussians.py) on made-up point sets whose answer is known:

1. a surface of points 4 mm apart (a sheet, as the teacher's garments and hair lie) has no stray point, wherever it
   lies and however it is shifted against the cells;
2. points placed 5 cm off that sheet and 5 cm from each other are each stray, and only they: the count is exact;
3. two points 5 mm apart, far from everything else, are not stray (each has the other), and a point 3.5 CELL from
   its nearest neighbour always is (the 27 cells around it cannot reach that far);
4. a written .ply is read back through the reader's .ply parser with the same count (a tiny binary file made here).
"""
import os
import struct
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from fixtures import verdict  # noqa: E402
from stray_gaussians import CELL, avatar_files, stray_count  # noqa: E402
from attribute_features import read_ply  # noqa: E402


def sheet(shift):
    """A 30 x 30 cm sheet of points 4 mm apart in the plane z = shift[2], offset by shift."""
    u = np.arange(0.0, 0.3, 0.004)
    x, y = np.meshgrid(u, u)
    return np.stack([x.ravel(), y.ravel(), np.zeros(x.size)], 1) + np.asarray(shift)


def write_ply(path, xyz):
    """A minimal binary little-endian .ply with x, y, z, f_dc and opacity per vertex (what read_ply needs)."""
    names = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity"]
    header = "ply\nformat binary_little_endian 1.0\nelement vertex %d\n" % len(xyz)
    header += "".join(f"property float {n}\n" for n in names) + "end_header\n"
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        for p in xyz:
            f.write(struct.pack("<7f", p[0], p[1], p[2], 0.0, 0.0, 0.0, 0.0))


def main():
    failures = []
    for shift in ([0, 0, 0], [0.0031, -0.0077, 0.0049], [1.2, 0.9, -0.4]):
        count = stray_count(sheet(shift))
        print(f"1. sheet shifted by {shift}: {count} stray")
        if count:
            failures.append(f"a 4 mm sheet shifted by {shift} has {count} stray points")
    loose = np.array([[0.05 * k, 0.1, 0.05] for k in range(6)])
    count = stray_count(np.concatenate([sheet([0, 0, 0]), loose]))
    print(f"2. sheet plus {len(loose)} loose points: {count} stray")
    if count != len(loose):
        failures.append(f"{len(loose)} loose points 5 cm off the sheet counted as {count}")
    pair = np.array([[2.0, 2.0, 2.0], [2.005, 2.0, 2.0]])
    far = np.array([[2.0 + 3.5 * CELL, 2.0, 2.0]])
    counts = stray_count(np.concatenate([sheet([0, 0, 0]), pair])), stray_count(np.concatenate([sheet([0, 0, 0]), pair, far]))
    print(f"3. a close pair: {counts[0]} stray; with a point 3.5 cells from it: {counts[1]}")
    if counts != (0, 1):
        failures.append(f"a close pair and a point 3.5 cells away counted {counts}, expected (0, 1)")
    with tempfile.TemporaryDirectory() as folder:
        os.makedirs(os.path.join(folder, "a"))
        xyz = np.concatenate([sheet([0, 0, 0]), loose]).astype(np.float32)
        write_ply(os.path.join(folder, "a", "avatar.ply"), xyz)
        files = avatar_files([folder])
        count = stray_count(read_ply(files[0])["xyz"]) if len(files) == 1 else None
        print(f"4. {len(files)} file found under the folder; read back: {count} stray")
        if count != len(loose):
            failures.append(f"the written .ply reads back with {count} stray points, expected {len(loose)}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
