#!/usr/bin/python3
"""End to end on the tiny configuration: teacher dataset -> train.py -> export.py -> `tera generate`.

Checks that every stage ran and learned (mean loss of its last steps below that of its first
steps), that the package's checksums match its files, and that the real binary loads it and
generates the same bytes twice for one seed. Exit 77 (ctest: skipped) without the MakeHuman assets.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = sys.executable
AVATARS = 144          # teacher avatars: the tiny configuration holds out 16 and trains on the rest
LEARNED = 0.9          # a stage learned when its last steps' mean loss is below 90% of its first steps'


def run(*command):
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synth", required=True)
    parser.add_argument("--tera", required=True)
    parser.add_argument("--shared", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    assets = os.path.join(args.shared, "assets", "makehuman")
    if not os.path.isdir(assets):
        print(f"SKIPPED: the MakeHuman assets are not at {assets}")
        return 77
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    pack, data, work, package = (os.path.join(args.work, n) for n in ("assets.pack", "data", "train", "package"))
    run(args.synth, "pack", "--shared", assets, "--out", pack)
    run(args.synth, "generate", "--pack", pack, "--count", str(AVATARS), "--seed", "5", "--out", data)
    run(PYTHON, os.path.join(ROOT, "scripts/train/train.py"), "--data", data, "--work", work, "--config", "tiny",
        "--threads", "2")
    metrics = json.load(open(os.path.join(work, "metrics.json")))
    failures = []
    for stage in ("text_encoder", "autoencoder", "diffusion"):
        m = metrics[stage]
        print(f"{stage}: {m['steps']} steps, loss {m['loss_first']} -> {m['loss_last']}")
        if not m["loss_last"] < LEARNED * m["loss_first"]:
            failures.append(f"{stage} did not learn: loss {m['loss_first']} -> {m['loss_last']}")
    run(PYTHON, os.path.join(ROOT, "scripts/train/export.py"), "--work", work, "--data", data, "--out", package,
        "--name", "tiny")
    manifest = json.load(open(os.path.join(package, "manifest.json")))
    for name, digest in manifest["sha256"].items():
        if sha256(os.path.join(package, name)) != digest:
            failures.append(f"{package}/{name}: checksum differs from the manifest")
    if manifest["provenance"]["steps"]["diffusion"] != metrics["diffusion"]["steps"]:
        failures.append("manifest provenance does not record the diffusion steps taken")
    outputs = []
    for k in range(2):
        out = os.path.join(args.work, f"gen{k}")
        run(args.tera, "generate", "--model", package, "--prompt", "a tall woman with long red hair in a blue t-shirt",
            "--seed", "11", "--steps", "8", "--views", "1", "--size", "128", "--device", "cpu", "--out", out, "-q")
        outputs.append(open(os.path.join(out, "avatar.ply"), "rb").read())
    if outputs[0] != outputs[1]:
        failures.append("the same seed gave different avatar.ply bytes")
    header = outputs[0][:400].decode("ascii", "replace")
    count = int(header.split("element vertex ")[1].split()[0])
    print(f"generated {count} Gaussians")
    if count < 1000:
        failures.append(f"only {count} Gaussians generated: the decoder's alphas collapsed")
    for f in failures:
        print("FAILED:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
