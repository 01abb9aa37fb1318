#!/usr/bin/python3
"""Puts a package's trained denoiser into a train.py work folder, so that the stages after the diffusion and spread
stages (chooser text, chances) can run again on a rebuilt work folder without training the denoiser again.

    .deps/venv/bin/python3 scripts/train/denoiser_from_package.py --package models/default --work WORK/train \\
        [--config default]

Writes WORK/denoiser.npz and denoiser.json (the package's float16 weights as float32; its drawn candidates, chooser
and sampling settings left out, as export.py sets them again) and spread.npz (the reading's spread), which train.py
then finds and skips the diffusion and spread stages. WORK/space.npz must exist (train.py's space stage): the
reading's slots are taken from the space as the diffusion stage takes them and must be the package's coordinates,
or the package and the space do not belong together and nothing is written. The stages' metrics are not written:
copy the package's provenance stages "diffusion" and "spread" into WORK/metrics.json for export.py to record them.

With --data (the teacher dataset the work folder was built from) it also writes WORK/chances.npz and chances.json:
the package's drawn candidates and chooser as the package holds them (the chooser's float16 weights, the candidates'
float16 means and variances), so that train.py skips the chances stage and export.py sets the package's chooser
again, bit for bit, instead of one trained again (choosers trained alike differ by dozens of validation reads).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train import diffusion, draws  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.config import CONFIGS  # noqa: E402
from avatar_train.latent_fit import LatentSpace  # noqa: E402

SET_BY_EXPORT = ("reading.places", "reading.tokens")  # reading buffers that are the model's shape, not export's


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", required=True, help="a model package folder (its denoiser.pt)")
    parser.add_argument("--work", required=True, help="train.py's work folder, after its space stage")
    parser.add_argument("--config", default="default", choices=sorted(CONFIGS))
    parser.add_argument("--data", help="the teacher dataset of the work folder: also write the package's chooser")
    args = parser.parse_args()
    cfg = CONFIGS[args.config]["diffusion"]
    scripted = torch.jit.load(os.path.join(args.package, "denoiser.pt"), map_location="cpu")
    state = {k: v.float() if v.is_floating_point() else v for k, v in scripted.state_dict().items()}
    tokens, channels, _ = state["inp_weight"].shape
    context_dim = state["text_keys.weight"].shape[1]
    space = LatentSpace.load(os.path.join(args.work, "space"))
    slots = [[t, first, count] for t, first, count, _ in diffusion.reading_slots(space, cfg.get("read", "tints"))]
    places = [t * channels + first + k for t, first, count in slots for k in range(count)]
    if "reading.places" not in state or places != state["reading.places"].tolist():
        sys.exit(f"{args.package}/denoiser.pt reads other coordinates than {args.work}'s space gives: nothing written")
    model = diffusion.make_denoiser(cfg, tokens, channels, context_dim, slots)
    buffers = {"reading." + name for name, _ in model.reading.named_buffers()} - set(SET_BY_EXPORT)
    spread = {"reading.spread_weight", "reading.spread_bias"}
    kept = {}
    for name, value in model.state_dict().items():
        if name in buffers or name in spread:
            continue
        if name not in state or state[name].shape != value.shape:
            sys.exit(f"{args.package}/denoiser.pt: '{name}' is missing or has another shape than config "
                     f"'{args.config}' gives: nothing written")
        kept[name] = state[name].numpy()
    np.savez(os.path.join(args.work, "denoiser.tmp.npz"), **kept)
    np.savez(os.path.join(args.work, "spread.tmp.npz"), weight=state["reading.spread_weight"].numpy(),
             bias=state["reading.spread_bias"].numpy())
    with open(os.path.join(args.work, "denoiser.json"), "w") as f:
        json.dump({"tokens": tokens, "channels": channels, "context_dim": context_dim, "reading_slots": slots, **cfg}, f)
    os.replace(os.path.join(args.work, "spread.tmp.npz"), os.path.join(args.work, diffusion.SPREAD_FILE))
    os.replace(os.path.join(args.work, "denoiser.tmp.npz"), os.path.join(args.work, "denoiser.npz"))
    if args.data:
        write_chances(state, space, cfg, CONFIGS[args.config]["holdout"], TeacherDataset(args.data), args.work)
    loaded = diffusion.load_denoiser(args.work)
    print(f"{args.work}: denoiser of {sum(p.numel() for p in loaded.parameters())} parameters and its spread from "
          f"{args.package}")


def write_chances(state, space, cfg, holdout, dataset, work):
    """WORK/chances.npz and chances.json as train.py's chances stage writes them, from the package's denoiser STATE:
    its drawn groups' buffers and chooser; the groups' values in the order draws.fit_chances gives them."""
    names = ("places", "group", "means", "variance", "member", "valid", "shares", "own", "condition",
             "condition_mean", "condition_std")
    if state["reading.draw_places"].numel() == 0:
        sys.exit("the package draws nothing: no chances to write")
    arrays = {name: state["reading.draw_" + name].numpy() for name in names}
    arrays["means"], arrays["variance"] = arrays["means"].astype(np.float32), arrays["variance"].astype(np.float32)
    chooser = {k[len("reading.chooser."):]: v.float().numpy() for k, v in state.items()
               if k.startswith("reading.chooser.")}
    records = [dataset.record(i) for i in range(len(dataset) - holdout)]
    groups = []
    for attribute, owner, _ in draws.draw_groups(space, cfg["draw"]):
        groups.append({"attribute": attribute, "part": owner,
                       "values": draws.avatar_values(space, records, attribute)[1]})
    valid = arrays["valid"]
    counts = [len(g["values"]) for g in groups]
    if counts != [int(v.sum()) for v in valid]:
        sys.exit(f"the package's drawn groups have {[int(v.sum()) for v in valid]} values, the config and dataset "
                 f"give {counts}: nothing of the chances written")
    project = next(v for k, v in chooser.items() if k.endswith("words.project.weight"))  # any member's: all alike
    shape = {"context_dim": int(project.shape[1]), "width": cfg["chooser_width"],
             "heads": cfg["chooser_heads"], "groups": len(groups), "values": int(valid.shape[1])}
    draws.save_chances(work, arrays, chooser, groups, shape)


if __name__ == "__main__":
    main()
