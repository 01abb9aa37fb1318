#!/usr/bin/python3
"""How well the package's decoder reproduces the teacher, on held-out avatars.

    .deps/venv/bin/python3 scripts/eval/reconstruction.py --work work/ --model models/default \\
        --data data/ --tera build/tera --synth build/tera-synth --out eval/rec [--count 32] [--views 8] [--size 256] \\
        [--sheet docs/reconstruction-contact-sheet.png] [--strip docs/interpolation-strip.png]

Each held-out avatar (the dataset's last --holdout, none of them in the latent space's fitting
set) is encoded into the structured latent (the fitted space in --work: training code) and decoded
by the package's decoder.pt (what ships). Both map sets become .ply files (`tera-synth assemble`:
the library's assembly) rendered by `tera render`
and compared by `tera compare`: PSNR per view. Also measured on the maps:
* loose Gaussians: the share of decoded Gaussians with opacity >= 0.1 that lie within 1 cm of the
  teacher's Gaussian of the same texel and layer, and the share the decoder shows where the
  teacher has none;
* interpolation: 9 steps on the straight path between 20 random pairs of held-out latents; at each
  step the opacity-weighted texel coverage (mean over texels of min(1, sum of the layers' alphas):
  a texel no layer covers is a hole in the body).
Writes <out>/reconstruction.json; --sheet and --strip write the contact sheets to look at.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402
from avatar_train.parts import OPACITY, PACKAGE_CHANNELS  # noqa: E402
from gaussians import write_avatar  # noqa: E402

IDENTICAL_PSNR = 100.0   # what `tera compare` reports as null (identical images) counts as
VISIBLE = 0.1            # opacity from which a decoded Gaussian counts in the loose-Gaussian measure
NEAR = 0.01              # metres: "in place" for the loose-Gaussian measure
PAIRS, STEPS = 20, 9     # interpolation paths and the avatars on each
SHEET_AVATARS = 8        # avatars on the reconstruction contact sheet
TILE = 320               # pixels per contact-sheet tile


def decode(decoder, latents, template):
    """float32[B, T, C] standardised latents -> float32[B, layers, M, 11] through decoder.pt."""
    with torch.no_grad():
        grid = decoder(torch.from_numpy(latents)).numpy()
    flat = grid.reshape(grid.shape[0], grid.shape[1], -1)[:, :, template.texel]  # [B, K, M]
    return flat.reshape(grid.shape[0], -1, PACKAGE_CHANNELS, template.texel_count).transpose(0, 1, 3, 2)


def render(tera, ply, out, views, size, framing="full"):
    subprocess.run([tera, "render", ply, "--turntable", str(views), "--size", str(size),
                    "--framing", framing, "--out", out, "-q"], check=True, stdout=subprocess.DEVNULL)


def psnr_views(tera, a, b, diff):
    report = json.loads(subprocess.run([tera, "compare", a, b, "--json", "--diff", diff], capture_output=True,
                                       text=True, check=True).stdout)
    return [img["psnr"] if img["psnr"] is not None else IDENTICAL_PSNR for img in report["images"]]


def loose_counts(teacher, decoded, template):
    """-> (decoded shown, of which within NEAR of the teacher's, shown where the teacher has none)."""
    shown = decoded[:, :, OPACITY] >= VISIBLE
    teacher_shown = teacher[:, :, OPACITY] >= VISIBLE
    distance = np.linalg.norm(template.centres(decoded) - template.centres(teacher), axis=2)
    return int(shown.sum()), int((shown & teacher_shown & (distance <= NEAR)).sum()), int((shown & ~teacher_shown).sum())


def coverage(maps):
    """Opacity-weighted texel coverage of one avatar's maps float[layers, M, 11]."""
    return float(np.minimum(1.0, maps[:, :, OPACITY].sum(0)).mean())


def interpolation(decoder, latents, template, rng):
    paths = []
    for _ in range(PAIRS):
        a, b = rng.choice(len(latents), 2, replace=False)
        steps = np.linspace(0.0, 1.0, STEPS, dtype=np.float32)
        path = (1 - steps)[:, None, None] * latents[a] + steps[:, None, None] * latents[b]
        maps = decode(decoder, path.astype(np.float32), template)
        covered = [coverage(m) for m in maps]
        paths.append({"pair": [int(a), int(b)], "coverage": [round(c, 5) for c in covered],
                      "coverage_drop": round(float(min(covered[0], covered[-1]) - min(covered)), 5)})
    return paths


def tile(path, caption=None):
    image = Image.open(path).convert("RGB").resize((TILE, TILE))
    if caption:
        ImageDraw.Draw(image).text((6, 6), caption, fill=(0, 0, 0))
    return image


def sheet(rows, out):
    """rows: lists of image paths (with captions) -> one PNG, rows stacked."""
    width = max(len(r) for r in rows) * TILE
    canvas = Image.new("RGB", (width, len(rows) * TILE), "white")
    for y, row in enumerate(rows):
        for x, (path, caption) in enumerate(row):
            canvas.paste(tile(path, caption), (x * TILE, y * TILE))
    canvas.save(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--holdout", type=int, default=256)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--synth", default="build/tera-synth", help="tera-synth: its assemble command makes maps Gaussians")
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=32)
    parser.add_argument("--views", type=int, default=8)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--sheet", help="teacher | decoded contact sheet of the first 8 avatars")
    parser.add_argument("--strip", help="the decoded avatars along one interpolation path")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    ds = TeacherDataset(args.data)
    space = LatentSpace.load(os.path.join(args.work, "space"))
    manifest = json.load(open(os.path.join(args.model, "manifest.json")))
    decoder = torch.jit.load(os.path.join(args.model, manifest["modules"]["decoder"]))
    ids = list(range(len(ds) - args.holdout, len(ds)))
    latents = np.concatenate([space.encode(ds.stack(ids[k:k + 32]), ds.attributes(ids[k:k + 32]))
                              for k in range(0, len(ids), 32)])
    os.makedirs(args.out, exist_ok=True)
    results, loose = [], np.zeros(3, np.int64)
    for j, i in enumerate(ids[:args.count]):
        teacher = ds.maps(i)[:, :, :PACKAGE_CHANNELS]
        decoded = decode(decoder, latents[j:j + 1], ds.template)[0]
        loose += loose_counts(teacher, decoded, ds.template)
        folder = os.path.join(args.out, f"avatar-{i}")
        os.makedirs(folder, exist_ok=True)
        for name, maps in (("teacher", teacher), ("decoded", decoded)):
            write_avatar(maps, ds.template_path, os.path.join(folder, name + ".ply"), args.synth)
            render(args.tera, os.path.join(folder, name + ".ply"), os.path.join(folder, name), args.views, args.size)
        psnr = psnr_views(args.tera, os.path.join(folder, "decoded"), os.path.join(folder, "teacher"), os.path.join(folder, "diff"))
        results.append({"index": i, "psnr_mean": round(float(np.mean(psnr)), 3), "psnr_min": round(float(np.min(psnr)), 3)})
        print(f"avatar {i}: PSNR mean {np.mean(psnr):.2f} dB, worst view {np.min(psnr):.2f} dB", flush=True)
    paths = interpolation(decoder, latents, ds.template, np.random.default_rng(args.seed))
    summary = {
        "avatars": len(results), "views": args.views, "size": args.size,
        "psnr_mean": round(float(np.mean([r["psnr_mean"] for r in results])), 3),
        "psnr_worst_view": round(float(np.min([r["psnr_min"] for r in results])), 3),
        "decoded_gaussians": int(loose[0]), "within_1cm_share": round(float(loose[1] / loose[0]), 5),
        "shown_where_teacher_empty_share": round(float(loose[2] / loose[0]), 5),
        "interpolation_pairs": PAIRS, "interpolation_steps": STEPS,
        "interpolation_coverage_min": round(float(min(min(p["coverage"]) for p in paths)), 5),
        "interpolation_coverage_drop_max": round(float(max(p["coverage_drop"] for p in paths)), 5),
    }
    with open(os.path.join(args.out, "reconstruction.json"), "w") as f:
        json.dump({"summary": summary, "per_avatar": results, "interpolation": paths}, f, indent=2)
    print(json.dumps(summary, indent=2))
    if args.sheet:
        rows = [[], []]
        for i in ids[:SHEET_AVATARS]:
            folder = os.path.join(args.out, f"avatar-{i}")
            for r, name in enumerate(("teacher", "decoded")):
                render(args.tera, os.path.join(folder, name + ".ply"), os.path.join(folder, name + "-sheet"), 8, 512, "upper")
                rows[r].append((os.path.join(folder, name + "-sheet", "view_001.png"), f"{name} {i}"))
        sheet(rows, args.sheet)
    if args.strip:
        a, b = paths[0]["pair"]
        steps = np.linspace(0.0, 1.0, STEPS, dtype=np.float32)
        maps = decode(decoder, ((1 - steps)[:, None, None] * latents[a] + steps[:, None, None] * latents[b]).astype(np.float32),
                      ds.template)
        row = []
        for k, m in enumerate(maps):
            folder = os.path.join(args.out, f"path-{k}")
            write_avatar(m, ds.template_path, folder + ".ply", args.synth)
            render(args.tera, folder + ".ply", folder, 8, 512)
            row.append((os.path.join(folder, "view_001.png"), f"t = {steps[k]:.3f}"))
        sheet([row], args.strip)


if __name__ == "__main__":
    main()
