#!/usr/bin/python3
"""Exports a trained work folder (train.py --work) as a model package (docs/model-package.md).

    .deps/venv/bin/python3 scripts/train/export.py --work work/ --data data/ --out models/default \\
        [--eval eval/report.json] [--reconstruction eval/rec/reconstruction.json] [--name default]

Writes tokenizer.model and text_encoder.pt (the frozen all-MiniLM-L6-v2, minilm.py), denoiser.pt
and decoder.pt (TorchScript, exported with the running torch: use Debian's 1.13 so that every
newer LibTorch loads them), template.bin, LICENSE-MiniLM.txt and manifest.json with checksums,
provenance and metrics. The package is built in a temporary folder beside --out and renamed into
place, so a failed export never leaves half a package. One work folder always exports to the same
bytes (the process runs with fixed string hashes: script_files.fixed_string_hashes).
"""
import argparse
import copy
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train import minilm  # noqa: E402
from avatar_train.diffusion import SCHEDULE_STEPS, SPREAD_FILE, load_denoiser, reading_slots  # noqa: E402
from avatar_train.body_bound import BODY_BOUND, bound_rules  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.draws import CHANCES_FILE, load_chances, shown_rules  # noqa: E402
from avatar_train.text_features import padded  # noqa: E402
from avatar_train.latent_decoder import StructuredDecoder  # noqa: E402
from avatar_train.layers import store_half  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402
from avatar_train.parts import LAYERS, PACKAGE_CHANNELS  # noqa: E402
from avatar_train.script_files import fixed_string_hashes, save_script  # noqa: E402

DEFAULT_STEPS = 25      # sampler steps: the CPU target of 5 s per avatar is set at 25 steps
DEFAULT_GUIDANCE = 4.0  # classifier-free guidance (docs/model-development.md gives the sweep it comes from)
HALF_TOLERANCE = 1e-2   # float16 rounds each weight by <= 5e-4 relative; 1 % of the prediction is far below its error
LAYER_NAMES = ["skin", "garment", "hair_hat_face_extras"]  # the teacher's layers (tools/synth/src/bake.h)
REGIONS = ["scalp", "face", "upper_body", "arms", "lower_body", "feet"]
OWNS = {  # what each part's token decodes (avatar_train/parts.py)
    "body": "body shape: skin-layer offsets, log-scales and angles on every texel; the offsets of every outer "
            "layer are relative to them",
    "face": "skin-layer colour (skin tone, lips, brows, eyes, stubble) and the facial-hair slots of layer 2",
    "hair": "the hair slots of layer 2",
    "hat": "the hat slots of layer 2",
    "glasses": "the glasses slots of layer 2",
    "top": "the top-garment slots of layer 1 and whether the skin under them is hidden",
    "bottom": "the bottom-garment slots of layers 1 and 2 and whether the skin under them is hidden",
    "shoes": "the shoe slots of layers 1 and 2 and whether the skin under them is hidden",
}


def git_revision():
    try:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        return subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def token_entries(space):
    """The manifest's latent.tokens: one per part, with its type one-hot and what it owns."""
    out = []
    for part in space.parts:
        owns = OWNS.get(part.name, part.name)
        if part.type_count:
            owns += f"; dimensions 0-{part.type_count - 1} are its {part.type_attribute} one-hot ({', '.join(part.types)})"
        out.append({"name": part.name, "owns": owns})
    return out


def half_stored_denoiser(work):
    """The trained denoiser (EMA weights) with its matrices stored as float16 (half the file), after
    checking on 8 training captions and noise that this changes its prediction by less than HALF_TOLERANCE."""
    full = load_denoiser(work)
    half = store_half(copy.deepcopy(full))
    with np.load(os.path.join(work, "text", "chunk-0000.npz")) as chunk:  # real prompts: 8 training captions
        rows, lengths = chunk["rows"], chunk["lengths"][:8]
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    ctx, mask = padded([rows[f:f + n] for f, n in zip(first, lengths)], "cpu")
    tokens, channels = full.inp_weight.shape[:2]
    x = torch.randn(8, tokens, channels, generator=torch.Generator().manual_seed(0))
    t = torch.linspace(0, SCHEDULE_STEPS - 1, 8)
    with torch.no_grad():
        a, b = full(x, t, ctx, mask), half(x, t, ctx, mask)
    change = float((a - b).norm() / a.norm())
    print(f"denoiser: float16 storage changes its prediction by {change:.1e} (relative)")
    if change > HALF_TOLERANCE:
        raise SystemExit(f"float16 storage changes the denoiser's prediction by {change:.1e} > {HALF_TOLERANCE}")
    return half


def empty_prompt(work):
    """float[1, L, D]: the empty prompt's token features ([CLS] [SEP], stored by train.py)."""
    with np.load(os.path.join(work, "text", "empty.npz")) as stored:
        return torch.from_numpy(stored["rows"].astype(np.float32)).unsqueeze(0)


def empty_reading(denoiser, work):
    """float[1, T, W]: each part's reading of the empty prompt."""
    empty = empty_prompt(work)
    mask = torch.ones(1, empty.shape[1], dtype=torch.int64)
    with torch.no_grad():
        return denoiser.reading.read(empty, denoiser.text_keys(empty), denoiser.text_values(empty), mask)


def held_coordinates(denoiser, work, space, cfg, data, training):
    """Sets how the exported denoiser samples what it reads (config.py): the groups in cfg "hold" have x0 the
    reading's Gaussian alone, with its fitted spread, where the prompt names them; the groups of cfg "draw" are drawn
    as one of their candidates by the chances their chooser reads (draws.py; these take precedence). -> the coordinates so set, as
    [token, channel], which classifier-free guidance must leave alone (manifest sampling.unguided): they are
    already the prompt's distribution, and guidance would push them away from the empty prompt's (a grey top to
    pale blue). A drawn group that the teacher ties to the body (body_bound.py: a woman's facial hair) is fitted on
    DATA's first TRAINING avatars, the latent rows train.py trained on."""
    held, drawn = cfg.get("hold", []), cfg.get("draw", [])
    if not held and not drawn:
        return []
    for wanted, name, stage in ((held, SPREAD_FILE, "spread"), (drawn, CHANCES_FILE, "chances")):
        if wanted and not os.path.exists(os.path.join(work, name)):
            raise SystemExit(f"config {wanted}: {os.path.join(work, name)} is missing (train.py's {stage} stage)")
    reading = denoiser.reading
    slot_groups = [group for *_, count, group in reading_slots(space, cfg.get("read", "tints")) for _ in range(count)]
    reading.hold_coordinates(slot_groups, held, cfg.get("hold_below", 1.0), cfg.get("hold_temperature", 1.0))
    empty = empty_reading(denoiser, work)
    with torch.no_grad():
        reading.guide_reading(reading.coordinates(empty)[0], cfg.get("hold_guidance", 1.0))
        if drawn:
            groups, chooser = load_chances(work)
            reading.set_draws(groups, store_half(chooser), cfg.get("draw_sharpen", 1.0),
                              cfg.get("draw_temperature", 1.0), cfg.get("draw_named", 1e9),
                              cfg.get("draw_own_guidance", 1.0))
            with open(os.path.join(work, "chances.json")) as f:
                chance_groups = json.load(f)["groups"]
            rules = shown_rules(space, chance_groups) if cfg.get("draw_shown") is not None else []
            if rules:
                reading.set_shown(*[list(column) for column in zip(*rules)], cfg["draw_shown"])
            if any(g["attribute"] in BODY_BOUND for g in chance_groups):
                latents = np.load(os.path.join(work, "latents.npy"), mmap_mode="r")[:training]
                dataset = TeacherDataset(data)
                records = [dataset.record(i) for i in range(training)]  # latent row i is dataset avatar i
                reading.set_bound(*bound_rules(space, chance_groups, latents, records))
    channels = denoiser.inp_weight.shape[1]
    chosen = sorted({int(p) for p, h in zip(reading.places, reading.held) if h > 0} | set(reading.draw_places.tolist()))
    return [[p // channels, p % channels] for p in chosen]


def main():
    fixed_string_hashes()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder")
    parser.add_argument("--data", required=True, help="the teacher dataset it trained on (for template.bin)")
    parser.add_argument("--out", required=True, help="package folder to write (replaced if it exists)")
    parser.add_argument("--name", default="default")
    parser.add_argument("--eval", help="evaluation report (scripts/eval/evaluate.py) to record")
    parser.add_argument("--reconstruction", help="reconstruction report (scripts/eval/reconstruction.py) to record")
    parser.add_argument("--timings", help="JSON of wall-clock seconds per build step (build_default.sh) to record")
    parser.add_argument("--guidance", type=float, default=DEFAULT_GUIDANCE)
    args = parser.parse_args()
    metrics = json.load(open(os.path.join(args.work, "metrics.json")))
    cfg = metrics["config_values"]
    dataset_manifest = json.load(open(os.path.join(args.data, "manifest.json")))
    space = LatentSpace.load(os.path.join(args.work, "space"))
    out = os.path.abspath(args.out)
    staging = out + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    text = minilm.export_text_encoder(staging)
    denoiser = half_stored_denoiser(args.work)
    training = metrics["dataset"]["training"]  # train.py's training avatars: the first latents.npy rows
    unguided = held_coordinates(denoiser, args.work, space, cfg["diffusion"], args.data, training)
    decoder = StructuredDecoder(space).eval()
    decoder.set_reach(np.load(os.path.join(args.work, "latents.npy"), mmap_mode="r")[:training], space)
    save_script(denoiser, os.path.join(staging, "denoiser.pt"))
    save_script(decoder, os.path.join(staging, "decoder.pt"))
    shutil.copyfile(os.path.join(args.data, dataset_manifest["template"]), os.path.join(staging, "template.bin"))
    with open(os.path.join(staging, "LICENSE-MiniLM.txt"), "w") as f:
        f.write(minilm.licence_text())
    layers = [{"name": LAYER_NAMES[l], "offset": l * PACKAGE_CHANNELS, "color": l * PACKAGE_CHANNELS + 3,
               "opacity": l * PACKAGE_CHANNELS + 6, "log_scale": l * PACKAGE_CHANNELS + 7,
               "rotation": l * PACKAGE_CHANNELS + 10, "rotation_kind": "angle", "opacity_kind": "alpha"}
              for l in range(LAYERS)]
    evaluation = json.load(open(args.eval)) if args.eval else {}
    evaluation.pop("model", None)  # the evaluated package's path on the machine that evaluated it
    if args.reconstruction:
        evaluation["reconstruction"] = json.load(open(args.reconstruction))["summary"]
    files = ["tokenizer.model", "text_encoder.pt", "denoiser.pt", "decoder.pt", "template.bin", "LICENSE-MiniLM.txt"]
    stages = ("space", "latents", "text", "diffusion", "spread", "chooser_text", "chances")
    manifest = {
        "format_version": 1,
        "name": args.name,
        "description": (f"tera's {metrics['config']} text-to-avatar model: the frozen all-MiniLM-L6-v2 text encoder, "
                        f"a transformer denoiser over {space.tokens} part tokens of {space.channels} numbers and a "
                        f"structured decoder fitted in closed form to tera's MakeHuman-based avatar teacher."),
        "licence": ("decoder, denoiser and template: CC0-1.0 (made by this project from MakeHuman's CC0 assets); "
                    + text["licence"] + " (LICENSE-MiniLM.txt)"),
        "test_only": False,
        "provenance": {
            "training_data": (f"{metrics['dataset']['avatars']} avatars from tools/synth (tera-synth generate --seed "
                              f"{metrics['dataset']['seed']}), {metrics['dataset']['training']} for training, the "
                              f"last {metrics['dataset']['held_out']} held out; the latent space fitted on the first "
                              f"{cfg['fit_avatars']}; 8 teacher captions and {cfg['rewrites']} everyday rewrites each"
                              + (f", and {cfg['chooser_rewrites']} more in wider colour words for the chooser"
                                 if cfg.get("chooser_rewrites") and "chooser_text" in metrics else "")
                              + (f", and {cfg['chooser_swaps']} more for the chooser with the top named as another "
                                 "garment, where they name its colour"
                                 if cfg.get("chooser_swaps") and "chooser_text" in metrics else "")),
            "hardware": metrics.get("hardware", "CPU"),
            "steps": {k: metrics[k]["steps"] for k in ("diffusion", "spread", "chances") if k in metrics},
            "seconds": {k: metrics[k]["seconds"] for k in stages if k in metrics},
            "build_seconds": json.load(open(args.timings)) if args.timings else {},
            "stages": {k: metrics[k] for k in stages if k in metrics},
            "config": metrics["config"], "config_values": cfg, "torch": torch.__version__,
            "scripts": "scripts/train/train.py, scripts/train/export.py", "git_revision": git_revision(),
            "text_encoder": text["provenance"]["text_encoder"],
            "metrics": evaluation,
        },
        "tokenizer": text["tokenizer"],
        "modules": {"text_encoder": "text_encoder.pt", "denoiser": "denoiser.pt", "decoder": "decoder.pt"},
        "text": text["text"],
        "latent": {"shape": [space.tokens, space.channels], "tokens": token_entries(space)},
        "schedule": {"type": "cosine", "num_train_steps": SCHEDULE_STEPS, "prediction": "v",
                     "timestep_spacing": "trailing"},
        "sampling": {"default_steps": DEFAULT_STEPS, "default_guidance": args.guidance, "default_sampler": "dpm++2m",
                     **({"unguided": unguided} if unguided else {})},
        "maps": {"resolution": space.resolution, "channels": LAYERS * PACKAGE_CHANNELS, "layers": layers},
        "regions": REGIONS,
        "template": "template.bin",
        "sha256": {name: minilm.sha256_file(os.path.join(staging, name)) for name in files},
    }
    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.replace(staging, out)
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{out}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
