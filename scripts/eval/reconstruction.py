#!/usr/bin/python3
"""Reconstruction quality of the distilled decoder: PSNR of turntable renders of decoded avatars
against renders of the teacher's maps, on held-out avatars.

    /usr/bin/python3 scripts/eval/reconstruction.py --work work/ --model models/default \\
        --data data/ --tera build/tera --out eval/reconstruction [--count 16] [--views 8] [--size 256]

Each held-out avatar's teacher maps go through the training encoder (train.py --work) and the
package's decoder; both map sets become .ply files (gaussians.py) rendered by `tera render` and
compared by `tera compare`. Writes <out>/reconstruction.json with per-avatar and mean PSNR.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from autoencode import AutoEncoder  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from gaussians import assemble, write_ply  # noqa: E402

IDENTICAL_PSNR = 100.0  # what `tera compare` reports as null (identical images) counts as


def render(tera, ply, out, views, size):
    subprocess.run([tera, "render", ply, "--frame", "yup", "--turntable", str(views), "--size", str(size),
                    "--out", out, "-q"], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--holdout", type=int, default=256)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=16)
    parser.add_argument("--views", type=int, default=8)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    ds = TeacherDataset(args.data)
    autoencode = AutoEncoder(args.work, args.model)
    os.makedirs(args.out, exist_ok=True)
    results = []
    for i in range(len(ds) - args.holdout, len(ds) - args.holdout + args.count):
        teacher = ds.maps(i)
        decoded = autoencode(teacher, ds.template)
        folder = os.path.join(args.out, f"avatar-{i}")
        os.makedirs(folder, exist_ok=True)
        for name, maps in (("teacher", teacher), ("decoded", decoded)):
            write_ply(os.path.join(folder, name + ".ply"), assemble(maps, ds.template))
            render(args.tera, os.path.join(folder, name + ".ply"), os.path.join(folder, name), args.views, args.size)
        compare = subprocess.run([args.tera, "compare", os.path.join(folder, "decoded"), os.path.join(folder, "teacher"),
                                  "--json", "--diff", os.path.join(folder, "diff")], capture_output=True, text=True,
                                 check=True)
        report = json.loads(compare.stdout)
        psnr = [img["psnr"] if img["psnr"] is not None else IDENTICAL_PSNR for img in report["images"]]
        results.append({"index": i, "psnr_mean": float(np.mean(psnr)), "psnr_min": float(np.min(psnr))})
        print(f"avatar {i}: PSNR mean {np.mean(psnr):.2f} dB, min {np.min(psnr):.2f} dB", flush=True)
    summary = {"avatars": len(results), "views": args.views, "size": args.size,
               "psnr_mean": round(float(np.mean([r["psnr_mean"] for r in results])), 3),
               "psnr_min": round(float(np.min([r["psnr_min"] for r in results])), 3), "per_avatar": results}
    with open(os.path.join(args.out, "reconstruction.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(f"mean PSNR over {len(results)} held-out avatars x {args.views} views: {summary['psnr_mean']:.2f} dB")


if __name__ == "__main__":
    main()
