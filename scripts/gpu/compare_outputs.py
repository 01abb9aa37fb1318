#!/usr/bin/env python3
"""Compares what `tera generate` wrote for the same prompt and seed on two devices (scripts/gpu/check.sh:
CPU and CUDA): the sampled latent (avatar.latent), the Gaussians (avatar.ply) and, where Pillow is
installed, the turntable frames (view_NNN.png).

    compare_outputs.py --pair CPU_DIR CUDA_DIR [--pair ...] [--json OUT.json]

Why the two differ at all: the noise comes from tera's own seeded RNG on the CPU, so both devices start
from the same numbers, but the networks' float32 matrix products sum in another order on the GPU (cuBLAS
tiles) than on the CPU (OpenBLAS), a difference of about 1e-6 relative per product, which the sampler's
steps carry along. A drawn value (a type or a colour candidate picked from chances) can flip only where the
chances tie to that precision. The tolerances below are a hundred times that rounding and far below what a
viewer sees; a pair outside them is reported as a failure (exit 1).
"""
import argparse
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "eval"))
from attribute_features import read_ply  # noqa: E402  (one .ply reader for the project's scripts)

LATENT_TOLERANCE = 1e-3    # max |difference| of a latent coordinate (the latent is standardised: spread ~1)
POSITION_TOLERANCE = 1e-3  # metres: the 99.9th percentile of a Gaussian's centre's move (1 mm)
COLOUR_TOLERANCE = 2e-3    # the 99.9th percentile of |f_dc| difference (half a step of an 8-bit colour)
OPACITY_TOLERANCE = 2e-3   # the 99.9th percentile of |opacity| difference, after the sigmoid (half an 8-bit step)
PSNR_TOLERANCE = 40.0      # dB: the worst turntable frame of CPU against CUDA (both renderers and the networks)


def read_latent(path):
    """avatar.latent (include/tera/generate/latent_io.h) -> float32 array of its shape."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"TERALATN":
        raise ValueError(f"{path}: not a tera latent")
    _version, rank = struct.unpack_from("<II", data, 8)
    shape = struct.unpack_from(f"<{rank}I", data, 16)
    return np.frombuffer(data, "<f4", int(np.prod(shape)), 16 + 4 * rank).reshape(shape)


def frame_psnr(a_path, b_path):
    from PIL import Image
    a = np.asarray(Image.open(a_path).convert("RGB"), np.float64) / 255.0
    b = np.asarray(Image.open(b_path).convert("RGB"), np.float64) / 255.0
    if a.shape != b.shape:
        return 0.0
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0.0 else 10.0 * np.log10(1.0 / mse)


def compare(cpu_dir, cuda_dir):
    row = {"cpu": cpu_dir, "gpu": cuda_dir, "failures": []}
    la = read_latent(os.path.join(cpu_dir, "avatar.latent"))
    lb = read_latent(os.path.join(cuda_dir, "avatar.latent"))
    row["latent_max_abs"] = float(np.max(np.abs(la - lb)))
    row["latent_identical"] = bool(np.array_equal(la, lb))
    if row["latent_max_abs"] > LATENT_TOLERANCE:
        row["failures"].append(f"latent differs by {row['latent_max_abs']:.3g} > {LATENT_TOLERANCE}")
    ga = read_ply(os.path.join(cpu_dir, "avatar.ply"))
    gb = read_ply(os.path.join(cuda_dir, "avatar.ply"))
    row["gaussians"] = [int(len(ga["xyz"])), int(len(gb["xyz"]))]
    if len(ga["xyz"]) != len(gb["xyz"]):
        # A Gaussian whose opacity sits at the --min-opacity cut can be kept on one device alone.
        row["failures"].append(f"Gaussian counts differ: {row['gaussians']}")
    else:
        move = np.linalg.norm(ga["xyz"] - gb["xyz"], axis=1)
        colour = np.max(np.abs(ga["f_dc"] - gb["f_dc"]), axis=1)
        row["position_move_m"] = {"p99.9": float(np.percentile(move, 99.9)), "max": float(move.max())}
        row["colour_f_dc"] = {"p99.9": float(np.percentile(colour, 99.9)), "max": float(colour.max())}
        # The file stores the logit; compare what is blended, the opacity in [0, 1].
        opacity = np.abs(1 / (1 + np.exp(-ga["opacity"].astype(np.float64))) -
                         1 / (1 + np.exp(-gb["opacity"].astype(np.float64))))
        row["opacity"] = {"p99.9": float(np.percentile(opacity, 99.9)), "max": float(opacity.max())}
        if row["position_move_m"]["p99.9"] > POSITION_TOLERANCE:
            row["failures"].append(f"positions move {row['position_move_m']['p99.9']:.3g} m > {POSITION_TOLERANCE}")
        if row["colour_f_dc"]["p99.9"] > COLOUR_TOLERANCE:
            row["failures"].append(f"colours differ by {row['colour_f_dc']['p99.9']:.3g} > {COLOUR_TOLERANCE}")
        if row["opacity"]["p99.9"] > OPACITY_TOLERANCE:
            row["failures"].append(f"opacities differ by {row['opacity']['p99.9']:.3g} > {OPACITY_TOLERANCE}")
    frames = sorted(name for name in os.listdir(cpu_dir) if name.startswith("view_") and name.endswith(".png"))
    try:
        psnrs = [frame_psnr(os.path.join(cpu_dir, n), os.path.join(cuda_dir, n)) for n in frames]
        if psnrs:
            row["frames_psnr_min_db"] = min(psnrs)
            if min(psnrs) < PSNR_TOLERANCE:
                row["failures"].append(f"a frame is at {min(psnrs):.1f} dB < {PSNR_TOLERANCE}")
    except ImportError:
        row["frames_psnr_min_db"] = "not measured: Pillow is not installed"
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pair", nargs=2, action="append", required=True, metavar=("CPU_DIR", "CUDA_DIR"))
    parser.add_argument("--json", help="write the comparison here")
    args = parser.parse_args()
    rows = [compare(a, b) for a, b in args.pair]
    report = {"tolerances": {"latent_max_abs": LATENT_TOLERANCE, "position_p99.9_m": POSITION_TOLERANCE,
                             "colour_p99.9": COLOUR_TOLERANCE,
                             "opacity_p99.9": OPACITY_TOLERANCE, "frame_psnr_db": PSNR_TOLERANCE},
              "pairs": rows}
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    return 1 if any(row["failures"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
