#!/usr/bin/python3
"""Smoothness of `tera interpolate` on 20 pairs of varied avatars, with even and with linear steps.

    .deps/venv/bin/python3 scripts/eval/interpolation_pairs.py --tera build/tera --model models/default \\
        --out eval/pairs

The contact sheet's 16 prompts (contact_sheet.py), seeds 10..25, generated once; 20 pairs of them
(each with the next, and four across the list), 9 steps each, `--spacing even` and `--spacing
linear`. Per path: the largest over the smallest mean displacement of the Gaussians two neighbouring
steps share, and the lowest coverage (edit_locality.py's smoothness). Writes <out>/pairs.json and
prints how many paths stay under the target of 2.
"""
import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from contact_sheet import PROMPTS  # noqa: E402
from edit_locality import PATH_STEPS, Package, smoothness, tera  # noqa: E402

FIRST_SEED = 10  # the sources' seeds: FIRST_SEED + prompt index
ACROSS = [(0, 8), (3, 11), (5, 13), (6, 14)]  # pairs far apart in the list, beside each with the next
TARGET = 2.0  # the bound on largest / smallest step
QUIET_PLY = ["--views", "0", "--no-viewer", "--format", "ply"]  # positions are all a path's measure needs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--model", default="models/default")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    package = Package(args.model)

    sources = []
    for i, prompt in enumerate(PROMPTS):
        folder = os.path.join(args.out, f"source_{i:02d}")
        if not os.path.exists(os.path.join(folder, "avatar.json")):
            tera(args, "generate", "--prompt", prompt, "--seed", str(FIRST_SEED + i), *QUIET_PLY, "--out", folder)
        sources.append(folder)
    pairs = [(i, (i + 1) % len(sources)) for i in range(len(sources))] + ACROSS
    rows = []
    for a, b in pairs:
        row = {"pair": [a, b]}
        for spacing in ["even", "linear"]:
            out = os.path.join(args.out, f"path_{a}_{b}_{spacing}")
            tera(args, "interpolate", sources[a], sources[b], "--steps", str(PATH_STEPS), "--spacing", spacing,
                 *QUIET_PLY, "--out", out)
            path = smoothness(package, [os.path.join(out, f"step_{k:02d}") for k in range(PATH_STEPS)])
            row[spacing] = {"ratio": path["ratio"], "lowest_coverage": min(path["coverage"]),
                            "type_switches": path["type_switches"]}
            shutil.rmtree(out)  # 9 avatars of about 13 MB each
        rows.append(row)
        print(f"{a:2d} -> {b:2d}: even {row['even']['ratio']:.2f}, linear {row['linear']['ratio']:.2f}", flush=True)
    with open(os.path.join(args.out, "pairs.json"), "w") as f:
        json.dump(rows, f, indent=1)
    for spacing in ["even", "linear"]:
        ratios = sorted(r[spacing]["ratio"] for r in rows)
        print(f"{spacing}: largest / smallest step at most {ratios[-1]:.2f}, median {ratios[len(ratios) // 2]:.2f}, "
              f"under {TARGET:g} on {sum(x < TARGET for x in ratios)} of {len(ratios)} paths, lowest coverage "
              f"{min(r[spacing]['lowest_coverage'] for r in rows):.4f}")


if __name__ == "__main__":
    main()
