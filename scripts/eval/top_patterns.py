#!/usr/bin/python3
"""How patterned generated tops are, against the teacher's: the size of the top colour field's coordinates past its
tint (stripes, checks, dots and shading; docs/structured-latent.md) in each avatar.latent under the given folders.

    .deps/venv/bin/python3 scripts/eval/top_patterns.py --work WORK [--holdout 256] FOLDER...

Each top is counted plain, between or patterned by the root mean square of those coordinates (standardised, as
the latent stores them), against bounds fixed from the default package's training avatars by their teacher labels:
a plain top lies below PLAIN, a striped or checked one above PATTERNED; dotted ones lie between. WORK (train.py's
work folder) gives the latent layout, and the held-out teacher avatars (the last --holdout rows of its latents.npy)
are counted the same way beside the folders.
"""
import argparse
import glob
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.draws import draw_groups  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402
from edit_locality import read_latent  # noqa: E402

PLAIN = 0.53      # the plain training tops' 95th percentile (their 5th-95th: 0.11-0.53; dotted ones 0.60-1.37)
PATTERNED = 1.15  # the striped and checked training tops' 5th percentile (checks 1.15, stripes 1.35)


def pattern_sizes(latents, coordinates):
    # latents float[N, T, C], coordinates [(token, channel)] -> float[N]: their root mean square
    tokens, channels = zip(*coordinates)
    return np.sqrt((latents[:, list(tokens), list(channels)] ** 2).mean(1))


def counts(sizes):
    return (f"{len(sizes)} tops: plain {np.mean(sizes <= PLAIN):.3f}, between "
            f"{np.mean((sizes > PLAIN) & (sizes < PATTERNED)):.3f}, patterned {np.mean(sizes >= PATTERNED):.3f}; "
            f"median size {np.median(sizes):.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder (its space and latents.npy)")
    parser.add_argument("--holdout", type=int, default=256, help="held-out avatars at the end of latents.npy")
    parser.add_argument("folders", nargs="+", help="folders of tera outputs (searched for avatar.latent)")
    args = parser.parse_args()
    (_, _, coordinates), = draw_groups(LatentSpace.load(os.path.join(args.work, "space")), ["top_pattern"])
    latents = np.load(os.path.join(args.work, "latents.npy"), mmap_mode="r")
    print(f"teacher, held out: {counts(pattern_sizes(np.asarray(latents[-args.holdout:]), coordinates))}")
    for folder in args.folders:
        found = sorted(glob.glob(os.path.join(folder, "**", "avatar.latent"), recursive=True))
        if not found:
            raise SystemExit(f"{folder}: no avatar.latent under it")
        values = np.stack([read_latent(path) for path in found])
        print(f"{folder}: {counts(pattern_sizes(values, coordinates))}")


if __name__ == "__main__":
    main()
