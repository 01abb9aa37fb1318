#!/usr/bin/python3
"""scripts/gpu/compare_outputs.py (CPU against CUDA outputs of `tera generate`) on made-up output folders:

1. two identical folders pass (exit 0) with every difference 0 and the latents reported identical;
2. a latent coordinate moved by 0.01 (ten times the tolerance of 1e-3) fails, naming the latent;
3. one Gaussian moved by 5 cm fails on the positions (the 99.9th percentile over 2,000 Gaussians takes the
   largest three) and a colour moved by 0.1 fails on the colours;
4. a folder with one Gaussian fewer fails on the count, and opacities moved by 0.1 (before the sigmoid, about
   0.025 after it) fail on the opacities;
5. a latent moved by 1e-5 (rounding, as cuBLAS against OpenBLAS gives) passes but is not reported identical.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixtures import verdict  # noqa: E402

SCRIPT = os.path.join(ROOT, "scripts", "gpu", "compare_outputs.py")


def write_folder(folder, latent, xyz, f_dc, opacity=None):
    """avatar.latent (TERALATN, version 1, rank 2) and a minimal binary .ply, as tera writes them."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "avatar.latent"), "wb") as f:
        f.write(b"TERALATN" + struct.pack("<II", 1, 2) + struct.pack("<2I", *latent.shape))
        f.write(latent.astype("<f4").tobytes())
    names = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity"]
    header = "ply\nformat binary_little_endian 1.0\nelement vertex %d\n" % len(xyz)
    header += "".join(f"property float {n}\n" for n in names) + "end_header\n"
    opacity = np.zeros((len(xyz), 1)) if opacity is None else opacity.reshape(-1, 1)
    rows = np.concatenate([xyz, f_dc, opacity], 1).astype("<f4")
    with open(os.path.join(folder, "avatar.ply"), "wb") as f:
        f.write(header.encode("ascii") + rows.tobytes())


def compare(a, b):
    run = subprocess.run([sys.executable, SCRIPT, "--pair", a, b], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def main():
    rng = np.random.default_rng(5)
    latent = rng.standard_normal((8, 110)).astype(np.float32)
    xyz = rng.uniform(-0.5, 0.5, (2000, 3)).astype(np.float32)
    f_dc = rng.normal(0, 0.5, (2000, 3)).astype(np.float32)
    failures = []
    with tempfile.TemporaryDirectory() as scratch:
        cpu = os.path.join(scratch, "cpu")
        write_folder(cpu, latent, xyz, f_dc)

        def case(name, expect_status, expect_text, lat=latent, pos=xyz, col=f_dc, opa=None):
            other = os.path.join(scratch, name)
            shutil.rmtree(other, ignore_errors=True)
            write_folder(other, lat, pos, col, opa)
            status, text = compare(cpu, other)
            print(f"{name}: exit {status}")
            if status != expect_status or expect_text not in text:
                failures.append(f"{name}: exit {status}, expected {expect_status} and '{expect_text}' in:\n{text}")

        case("1-identical", 0, '"latent_identical": true')
        moved = latent.copy()
        moved[3, 40] += 0.01
        case("2-latent", 1, "latent differs by 0.01", lat=moved)
        far = xyz.copy()
        far[:3] += 0.05
        case("3-positions", 1, "positions move", pos=far)
        recoloured = f_dc.copy()
        recoloured[:3] += 0.1
        case("3-colours", 1, "colours differ", col=recoloured)
        case("4-count", 1, "Gaussian counts differ", pos=xyz[:-1], col=f_dc[:-1])
        opaque = np.zeros(len(xyz))
        opaque[:3] += 0.1
        case("4-opacities", 1, "opacities differ", opa=opaque)
        rounding = latent.copy()
        rounding[0, 0] += 1e-5
        case("5-rounding", 0, '"latent_identical": false', lat=rounding)
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
