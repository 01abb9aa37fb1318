#!/usr/bin/python3
"""Trains a model package's structured latent space and denoiser on a teacher dataset
(docs/training.md).

    build/tera-synth generate --pack assets.pack --count 8192 --seed 20261130 --out data/
    .deps/venv/bin/python3 scripts/train/train.py --data data/ --work work/ --config default
    .deps/venv/bin/python3 scripts/train/export.py --work work/ --data data/ --out models/default

Stages, in order; each writes its results into --work and is skipped when they exist, and the
long ones checkpoint, so an interrupted run resumes where it stopped:
  space      the structured latent space fitted in closed form to the first avatars (latent_fit.py)
  latents    every avatar encoded into it (standardised tokens)
  text       the frozen text encoder's features of every training caption and its everyday rewrites
  diffusion  the denoiser, for a fixed number of steps
  spread     the held coordinates' spread (config "hold")
  chooser text  the features of further everyday rewrites for the chooser alone (other garments, other headwear,
             wider colour words, modified colour words)
  chances    the choosers of the drawn groups' chances (config "draw"), on both sets of captions; each chooser is
             kept as it finishes (chooser-K.npz), so the stage resumes by chooser
Every budget is a step or item count, so a seed names the same package on any machine. Runs on
Debian's torch 1.13 (CPU) and on torch 2.x (--device cuda); weights are numpy archives, which both
read. The text encoder's weights come from the project venv (.deps/venv, made by scripts/setup.sh).
"""
import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train import diffusion, draws, everyday, restated, text_features  # noqa: E402
from avatar_train.config import CONFIGS  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.latent_fit import LatentSpace, new_space  # noqa: E402

ENCODE_CHUNK = 64  # avatars encoded at a time: one shard, a few hundred MB of float16 maps
CHOOSER_TEXT = "chooser_text"  # the work folder's sub-folder of the chooser's own captions' features


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def stage_space(ds, train_ids, cfg, work, metrics):
    began = time.time()
    ids = train_ids[:cfg["fit_avatars"]]
    log(f"space: fitting on {len(ids)} avatars")
    space = new_space(ds.template, cfg.get("components_scale", 1.0)).fit(ds.stack(ids), ds.attributes(ids))
    space.save(os.path.join(work, "space"))
    metrics["space"] = {"avatars": len(ids), "seconds": round(time.time() - began), "tokens": space.tokens,
                        "channels": space.channels}


def stage_latents(ds, work, metrics):
    began = time.time()
    space = LatentSpace.load(os.path.join(work, "space"))
    out = np.zeros((len(ds), space.tokens, space.channels), np.float32)
    for start in range(0, len(ds), ENCODE_CHUNK):
        ids = list(range(start, min(len(ds), start + ENCODE_CHUNK)))
        out[start:start + len(ids)] = space.encode(ds.stack(ids), ds.attributes(ids))
        if (start // ENCODE_CHUNK) % 16 == 0:
            log(f"latents: {start + len(ids)} of {len(ds)}")
    np.save(os.path.join(work, "latents.tmp.npy"), out)
    os.replace(os.path.join(work, "latents.tmp.npy"), os.path.join(work, "latents.npy"))
    metrics["latents"] = {"avatars": len(ds), "seconds": round(time.time() - began)}


def training_captions(ds, train_ids, cfg, seed):
    """(captions, latent row of each): the teacher's captions plus everyday rewrites per avatar, each
    completed with the colours it leaves out at the configuration's 'complete' rates (everyday.complete)."""
    captions, rows = [], []
    rates = cfg.get("complete", {})
    for i in train_ids:
        record = ds.record(i)
        mine = list(record["captions"]) + everyday.rewrites(record, cfg["rewrites"], seed * 1000003 + i,
                                                            lengths=cfg.get("length_words", "plain"))
        mine = [everyday.complete(text, record, rates, f"{seed}:{i}:{k}") for k, text in enumerate(mine)]
        captions += mine
        rows += [i] * len(mine)
    return captions, rows


def chooser_captions(ds, train_ids, cfg, seed):
    """(captions, latent row of each): cfg["chooser_rewrites"] everyday rewrites per avatar whose colours are named
    in wide_colours.py's words as well as the plain ones, cfg["chooser_modified"] whose colour words follow a
    colour_modifiers.py word ("a velvet blue tee"), and cfg["chooser_swaps"] whose top is named as another
    garment (everyday.swapped_top: "a purple jacket" for a purple t-shirt's avatar), kept where they name the top's
    colour, cfg["chooser_headwear"] per avatar with a hat or a beard that call it by everyday.HEADWEAR's or
    BEARD_OTHER's words ("a flat cap", "a goatee"), kept where they do, and cfg["chooser_restated"] with the
    avatar's glasses, hat and facial hair said again in restated.py's words (those where none was drawn left out),
    each completed as training_captions' are. Only the chooser trains
    on them, so the denoiser's captions, and the denoiser, stay as they are."""
    captions, rows = [], []
    rates = cfg.get("complete", {})

    def completed(record, count, key, keep=None, words="plain"):  # COUNT rewrites of RECORD, completed, KEEP's
        texts = everyday.rewrites(record, count, key, words)
        texts = [everyday.complete(text, record, rates, f"{key}:{k}", words) for k, text in enumerate(texts)]
        return [text for text in texts if keep is None or keep(text)]

    for i in train_ids:
        record = ds.record(i)
        mine = completed(record, cfg.get("chooser_rewrites", 0), f"wide:{seed}:{i}", words="wide")
        mine += completed(record, cfg.get("chooser_modified", 0), f"modified:{seed}:{i}", words="modified")
        swapped = everyday.swapped_top(record, random.Random(f"swap:{seed}:{i}"))
        mine += completed(swapped, cfg.get("chooser_swaps", 0), f"swap:{seed}:{i}",
                          lambda text: everyday.names_top_colour(text, record))
        other = everyday.other_headwear(record)
        if other is not None:
            mine += completed(other, cfg.get("chooser_headwear", 0), f"headwear:{seed}:{i}",
                              everyday.names_other_headwear)
        captions += mine
        rows += [i] * len(mine)
        mine = restated.restated_rewrites(record, cfg.get("chooser_restated", 0), f"{seed}:{i}")
        captions += [everyday.complete(text, record, rates, f"restated:{seed}:{i}:{k}") for k, text in enumerate(mine)]
        rows += [i] * len(mine)
    return captions, rows


def chooser_captions_asked(cfg):
    """Whether the configuration gives the chooser captions of its own (chooser_captions)."""
    return any(cfg.get(key, 0) > 0 for key in ("chooser_rewrites", "chooser_swaps", "chooser_restated",
                                                "chooser_headwear", "chooser_modified"))


def stage_chooser_text(ds, train_ids, cfg, work, seed, metrics):
    began = time.time()
    captions, rows = chooser_captions(ds, train_ids, cfg, seed)
    log(f"chooser text: {len(captions)} captions of {len(train_ids)} avatars")
    text_features.build(os.path.join(work, CHOOSER_TEXT), captions, rows)
    with open(os.path.join(work, CHOOSER_TEXT, "done"), "w") as f:
        f.write("ok\n")
    metrics["chooser_text"] = {"captions": len(captions), "seconds": round(time.time() - began)}


def stage_text(ds, train_ids, cfg, work, seed, metrics):
    began = time.time()
    captions, rows = training_captions(ds, train_ids, cfg, seed)
    log(f"text: {len(captions)} captions of {len(train_ids)} avatars")
    text_features.build(os.path.join(work, "text"), captions, rows)
    with open(os.path.join(work, "text", "done"), "w") as f:
        f.write("ok\n")
    metrics["text"] = {"captions": len(captions), "seconds": round(time.time() - began)}


def stage_diffusion(cfg, work, seed, device, metrics):
    latents = np.load(os.path.join(work, "latents.npy"))
    store = text_features.FeatureStore(os.path.join(work, "text"))
    space = LatentSpace.load(os.path.join(work, "space"))
    emphasis = diffusion.caption_emphasis(space, cfg["diffusion"]["caption_weight"])
    slots = diffusion.reading_slots(space, cfg["diffusion"].get("read", "tints"))
    diffusion.train(cfg["diffusion"], latents, store, work, seed, device, metrics, emphasis, slots)


def stage_spread(cfg, work, seed, device, metrics):
    latents = np.load(os.path.join(work, "latents.npy"))
    store = text_features.FeatureStore(os.path.join(work, "text"))
    diffusion.fit_spread(cfg["diffusion"], latents, store, work, seed, device, metrics)


def stage_chances(cfg, work, seed, device, metrics, ds):
    latents = np.load(os.path.join(work, "latents.npy"))
    extra = [CHOOSER_TEXT] if chooser_captions_asked(cfg) else []  # the chooser's own captions, if asked for
    store = text_features.FeatureStore(*[os.path.join(work, f) for f in ["text"] + extra])
    space = LatentSpace.load(os.path.join(work, "space"))
    records = [ds.record(i) for i in range(len(ds))]  # latent row i is dataset avatar i
    draws.fit_chances(cfg["diffusion"], latents, store, records, space, work, seed, device, metrics)


def hardware(device):
    """A one-line description of what trained the networks, for the manifest's provenance."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    return f"CPU: {os.cpu_count()} logical cores, {torch.get_num_threads()} torch threads"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="teacher dataset folder (tera-synth generate --out)")
    parser.add_argument("--work", required=True, help="folder for stage outputs; reruns resume from it")
    parser.add_argument("--config", default="default", choices=sorted(CONFIGS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0 = torch's default)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (weights are saved for either)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                        help="replace one top-level value of the configuration, e.g. --set length_words='\"wide\"' "
                             "(recorded in metrics.json's config_values, which export.py reads)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    device = torch.device(args.device)
    cfg = json.loads(json.dumps(CONFIGS[args.config]))
    for setting in args.set:
        key, _, value = setting.partition("=")
        if key not in cfg:
            sys.exit(f"--set {setting}: the '{args.config}' configuration has no key '{key}' "
                     f"(keys: {', '.join(sorted(cfg))})")
        try:
            cfg[key] = json.loads(value)
        except json.JSONDecodeError as error:
            sys.exit(f"--set {setting}: the value is not JSON ({error})")
    os.makedirs(args.work, exist_ok=True)
    ds = TeacherDataset(args.data)
    if len(ds) <= cfg["holdout"] + 1:
        sys.exit(f"{args.data}: {len(ds)} avatars; the '{args.config}' configuration holds out {cfg['holdout']}")
    train_ids = list(range(len(ds) - cfg["holdout"]))
    metrics_path = os.path.join(args.work, "metrics.json")
    metrics = json.load(open(metrics_path)) if os.path.exists(metrics_path) else {}
    metrics.update({"config": args.config, "config_values": cfg, "seed": args.seed,
                    "dataset": {"folder": os.path.abspath(args.data), "seed": ds.manifest["seed"], "avatars": len(ds),
                                "training": len(train_ids), "held_out": cfg["holdout"]},
                    "torch": torch.__version__, "threads": torch.get_num_threads(), "hardware": hardware(device)})
    stages = [("space.npz", lambda: stage_space(ds, train_ids, cfg, args.work, metrics)),
              ("latents.npy", lambda: stage_latents(ds, args.work, metrics)),
              (os.path.join("text", "done"), lambda: stage_text(ds, train_ids, cfg, args.work, args.seed, metrics)),
              ("denoiser.npz", lambda: stage_diffusion(cfg, args.work, args.seed, device, metrics))]
    if cfg["diffusion"].get("hold"):
        stages.append((diffusion.SPREAD_FILE, lambda: stage_spread(cfg, args.work, args.seed, device, metrics)))
    if cfg["diffusion"].get("draw") and chooser_captions_asked(cfg):
        stages.append((os.path.join(CHOOSER_TEXT, "done"),
                       lambda: stage_chooser_text(ds, train_ids, cfg, args.work, args.seed, metrics)))
    if cfg["diffusion"].get("draw"):
        stages.append((draws.CHANCES_FILE, lambda: stage_chances(cfg, args.work, args.seed, device, metrics, ds)))
    for output, run in stages:
        if os.path.exists(os.path.join(args.work, output)):
            log(f"{output} exists: stage skipped")
            continue
        log(f"stage producing {output}")
        run()
        with open(metrics_path + ".tmp", "w") as f:
            json.dump(metrics, f, indent=2)
        os.replace(metrics_path + ".tmp", metrics_path)
    log("done")


if __name__ == "__main__":
    main()
