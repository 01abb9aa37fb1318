#!/usr/bin/python3
"""End to end on the tiny configuration: teacher dataset -> train.py -> export.py -> `tera generate`.

Checks that every stage ran its fixed budget (step and item counts, never minutes: the test does the
same work on a slow or busy machine), that diffusion learned (mean loss of its last steps below 90 %
of its first), that the package's checksums match its files, and that the real binary loads it and
generates the same bytes twice for one seed, that the package's TorchScript archives hold no debug records
(export.py drops them: script_files.py) and keep torch's 64-byte alignment of every stored record's data, and that
exporting the work folder again, from a process started with other string hashes, writes the same bytes, and that
denoiser_from_package.py puts the package's denoiser back into a work folder as trained (package_denoiser_failures).
Runs in
the project venv (the text encoder's weights); exit 77 (ctest: skipped) without the MakeHuman assets or the venv.
"""
import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import zipfile

import numpy as np

from fixtures import SKIP, run, teacher_data, verdict
from venv_support import enter_venv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AVATARS = 144          # teacher avatars: the tiny configuration holds out 16 and fits on 112
LEARNED = 0.9          # diffusion learned when its last steps' mean loss is below 90% of its first steps'
MIN_GAUSSIANS = 20000  # a generated avatar has the skin of every visible texel (~20k) plus its clothes
ALIGNMENT = 64         # torch's archive writer starts each record's data at a multiple of 64 bytes


def archive_faults(path):
    """A TorchScript archive's debug records and stored records whose data is not aligned, as messages."""
    faults = []
    with zipfile.ZipFile(path) as archive, open(path, "rb") as raw:
        for info in archive.infolist():
            if info.filename.endswith(".debug_pkl"):
                faults.append(f"{path}: debug record {info.filename}")
            raw.seek(info.header_offset + 26)  # the local header's name and extra-field lengths
            name_length, extra_length = struct.unpack("<HH", raw.read(4))
            start = info.header_offset + 30 + name_length + extra_length
            if info.compress_type == zipfile.ZIP_STORED and start % ALIGNMENT:
                faults.append(f"{path}: {info.filename} data starts at {start}, not a multiple of {ALIGNMENT}")
    return faults


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def package_denoiser_failures(package, work):
    """denoiser_from_package.py puts the exported denoiser back into a work folder holding only the space: each of
    the trained denoiser's weights within float16's rounding of the work folder's own (2^-11 of its size, plus 1e-7
    for weights near zero, which float16 stores subnormal), its spread the same, and train.py, given that folder,
    would skip the diffusion and spread stages (their outputs exist)."""
    again = os.path.join(os.path.dirname(work), "again")
    shutil.rmtree(again, ignore_errors=True)
    os.makedirs(again)
    for name in ("space.npz", "space.json"):
        shutil.copy(os.path.join(work, name), again)
    run(sys.executable, os.path.join(ROOT, "scripts/train/denoiser_from_package.py"), "--package", package, "--work",
        again, "--config", "tiny")
    failures = []
    for name in ("denoiser.npz", "spread.npz"):
        with np.load(os.path.join(work, name)) as trained, np.load(os.path.join(again, name)) as back:
            if name == "spread.npz":
                pairs = [(k, trained[k], back[k]) for k in ("weight", "bias")]
            else:
                pairs = [(k, trained[k], back[k]) for k in back.files]
                missing = [k for k in trained.files if k not in back.files and not k.startswith("reading.")]
                if missing:
                    failures.append(f"denoiser_from_package.py left out trained weights {missing}")
            for key, want, got in pairs:
                if want.shape != got.shape or np.any(np.abs(got - want) > np.abs(want) * 2.0 ** -11 + 1e-7):
                    failures.append(f"denoiser_from_package.py: {name} '{key}' is not the trained weight")
    print(f"denoiser_from_package.py: {len(failures)} faults")
    return failures


def first_records(data, count):
    """The dataset's first COUNT captions.jsonl records (the training avatars of the tiny configuration)."""
    with open(os.path.join(data, "captions.jsonl")) as f:
        return [json.loads(line) for line, _ in zip(f, range(count))]


def restated_count(records, per_avatar, seed=0):
    """How many captions with their glasses, hat and facial hair said again (restated.py) train.py's chooser text
    stage writes for RECORDS at PER_AVATAR rewrites each (train.py --seed SEED)."""
    from avatar_train import restated
    return sum(len(restated.restated_rewrites(r, per_avatar, f"{seed}:{i}")) for i, r in enumerate(records))


def headwear_avatars(records):
    """How many of RECORDS have a hat or a beard: train.py's chooser text stage writes up to chooser_headwear
    captions for each that call it by other words (everyday.other_headwear), keeping those that do."""
    return sum(bool(r["attributes"]["hat"]) or r["attributes"]["facial_hair"] == "beard" for r in records)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synth", required=True)
    parser.add_argument("--tera", required=True)
    parser.add_argument("--shared", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args(enter_venv(sys.argv)[1:])
    sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
    from avatar_train.config import CONFIGS
    data = teacher_data(args.synth, args.shared, args.work, AVATARS, seed=5)
    if data is None:
        return SKIP
    work, package = os.path.join(args.work, "train"), os.path.join(args.work, "package")
    run(sys.executable, os.path.join(ROOT, "scripts/train/train.py"), "--data", data, "--work", work, "--config",
        "tiny", "--threads", "1")  # one thread: no spinning OpenMP workers on a busy machine
    metrics = json.load(open(os.path.join(work, "metrics.json")))
    tiny = CONFIGS["tiny"]
    failures = []
    expected = {"space": ("avatars", tiny["fit_avatars"]), "latents": ("avatars", AVATARS),
                "text": ("captions", (AVATARS - tiny["holdout"]) * (8 + tiny["rewrites"])),
                "diffusion": ("steps", tiny["diffusion"]["steps"]),
                "spread": ("steps", tiny["diffusion"]["spread_steps"]),
                "chances": ("steps", tiny["diffusion"]["chance_steps"])}
    for stage, (key, value) in expected.items():
        print(f"{stage}: {metrics[stage]}")
        if metrics[stage][key] != value:
            failures.append(f"{stage}: {key} {metrics[stage][key]}, the configuration asks for {value}")
    # the chooser's own captions: the wide rewrites, the modified ones and the restated ones exactly, the hats and
    # beards by other words at least one (where an avatar has either) and at most chooser_headwear per such avatar
    trained = first_records(data, AVATARS - tiny["holdout"])
    exact = len(trained) * (tiny["chooser_rewrites"] + tiny["chooser_modified"]) + restated_count(
        trained, tiny["chooser_restated"])
    eligible = headwear_avatars(trained)
    low, high = exact + min(eligible, 1), exact + eligible * tiny["chooser_headwear"]
    got = metrics["chooser_text"]["captions"]
    print(f"chooser_text: {metrics['chooser_text']} (between {low} and {high}: {eligible} avatars with a hat or a "
          "beard)")
    if not low <= got <= high:
        failures.append(f"chooser_text: captions {got}, the configuration asks for {low} to {high}")
    d = metrics["diffusion"]
    if not d["loss_last"] < LEARNED * d["loss_first"]:
        failures.append(f"diffusion did not learn: loss {d['loss_first']} -> {d['loss_last']}")
    def export(out, hash_seed):  # hash_seed: the PYTHONHASHSEED export.py is started with
        run(sys.executable, os.path.join(ROOT, "scripts/train/export.py"), "--work", work, "--data", data, "--out", out,
            "--name", "tiny", env={**os.environ, "PYTHONHASHSEED": hash_seed})

    export(package, "1")
    export(package + "-again", "2")
    for name in sorted(os.listdir(package)):
        if not os.path.isfile(os.path.join(package + "-again", name)) or \
                sha256(os.path.join(package, name)) != sha256(os.path.join(package + "-again", name)):
            failures.append(f"{name}: a second export of the same work folder wrote other bytes")
    manifest = json.load(open(os.path.join(package, "manifest.json")))
    for name, digest in manifest["sha256"].items():
        if sha256(os.path.join(package, name)) != digest:
            failures.append(f"{package}/{name}: checksum differs from the manifest")
    for name in ("text_encoder.pt", "denoiser.pt", "decoder.pt"):
        failures += archive_faults(os.path.join(package, name))
    if manifest["provenance"]["steps"]["diffusion"] != d["steps"]:
        failures.append("manifest provenance does not record the diffusion steps taken")
    # The tiny configuration holds the tints (config hold: 3 per tinted colour field) and draws the hair's colour, the
    # top's pattern and the build (config draw: chances.npz places): all left out of guidance.
    tokens, channels = manifest["latent"]["shape"]
    unguided = manifest["sampling"].get("unguided", [])
    with np.load(os.path.join(work, "chances.npz")) as chances:
        drawn = {(int(p) // channels, int(p) % channels) for p in chances["places"]}
    listed = {tuple(c) for c in unguided}
    print(f"unguided coordinates: {len(unguided)}, {len(drawn)} of them drawn")
    if not drawn <= listed or not (listed - drawn) or len(listed - drawn) % 3 or len(listed) != len(unguided) or \
            any(not (0 <= t < tokens and 0 <= c < channels) for t, c in unguided):
        failures.append(f"the held tints and drawn coordinates {sorted(drawn)} are not listed once each as unguided "
                        f"coordinates: {unguided}")
    failures += package_denoiser_failures(package, work)
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
    if count < MIN_GAUSSIANS:
        failures.append(f"only {count} Gaussians generated: the decoder lost the body")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
