#!/usr/bin/python3
"""How many Gaussians of a written avatar float apart from everything else: stray blobs a viewer sees as specks
around the head or body.

    /usr/bin/python3 scripts/eval/stray_gaussians.py [--json OUT] PLY_OR_FOLDER ...

A Gaussian is stray when no other Gaussian of the avatar has its centre in the 3 x 3 x 3 block of CELL-sized cells
around the cell of its own centre (so nothing within CELL of it, and nothing beyond 2 CELL counts as near). Reads
every .ply given, and every avatar.ply under each folder given (evaluate.py --out's generated/, reconstruction.py's
teacher .ply files); prints per-avatar counts (mean, median, 90th percentile, max) and the share of avatars with
more than FEW. The teacher's own avatars are the reference: its hair, hats and garments lie on surfaces, so it has
almost none (docs/structured-latent.md gives both).
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from attribute_features import read_ply  # noqa: E402

CELL = 0.01  # metres: 1 cm, wider than the teacher's spacing of neighbouring hair or garment Gaussians (< 1 cm)
FEW = 10     # stray Gaussians per avatar above which the specks stand out in a head-framed render


def stray_count(xyz):
    """xyz float[N, 3] (metres) -> how many have no other centre in the 27 cells around their own."""
    cell = np.floor(np.asarray(xyz, np.float64) / CELL).astype(np.int64)
    cell -= cell.min(0) - 1  # every neighbour index >= 0
    span = cell.max(0) + 2
    key = (cell[:, 0] * span[1] + cell[:, 1]) * span[2] + cell[:, 2]
    keys, counts = np.unique(key, return_counts=True)
    near = np.zeros(len(key), np.int64)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for dz in (-1, 0, 1):
                other = key + (dx * span[1] + dy) * span[2] + dz
                at = np.clip(np.searchsorted(keys, other), 0, len(keys) - 1)
                near += np.where(keys[at] == other, counts[at], 0)
    return int((near == 1).sum())  # the Gaussian itself is the only one in its block


def avatar_files(paths):
    """.ply files named, and every avatar.ply under the folders named, sorted."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += [os.path.join(root, "avatar.ply") for root, _, names in os.walk(path) if "avatar.ply" in names]
        elif path.endswith(".ply"):
            files.append(path)
        else:
            raise SystemExit(f"{path}: neither a .ply file nor a folder")
    return sorted(files)


def summary(counts):
    c = np.array(counts, np.float64)
    return {"avatars": len(c), "mean": round(float(c.mean()), 2), "median": float(np.median(c)),
            "p90": float(np.percentile(c, 90)), "max": int(c.max()), f"share_over_{FEW}": round(float((c > FEW).mean()), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help=".ply files or folders holding avatar.ply files")
    parser.add_argument("--json", help="also write the summary and the per-file counts here")
    args = parser.parse_args()
    files = avatar_files(args.paths)
    if not files:
        raise SystemExit("no .ply files found under " + " ".join(args.paths))
    counts = [stray_count(read_ply(f)["xyz"]) for f in files]
    report = {"cell_m": CELL, **summary(counts)}
    print(json.dumps(report))
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({**report, "files": dict(zip(files, counts))}, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
