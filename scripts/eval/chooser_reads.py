#!/usr/bin/python3
"""How often the chooser of a training work folder reads the validation prompts' named values first.

    .deps/venv/bin/python3 scripts/eval/chooser_reads.py --work WORK --data DATA

For each drawn group (train.py's chances stage: chances.json) and each of the 300 validation prompts
(validation_prompts.py, seed 7, as evaluate.py draws them) that names the group's attribute, the value
whose chance the chooser (networks.Chooser) reads highest, as read, against the value named (as the attribute
reader names it: any kind of glasses is "yes"); and the named value's mean chance as the exported denoiser draws
it: sharpened to p^s where the chances lie further than draw_named from the training avatars' shares
(networks.sharpened, as PromptReading.log_chances), at each --sharpen s (default: the work folder's config
draw_sharpen; 1: as read). What the drawing then gives is evaluate.py's to measure.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train import minilm  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from avatar_train.draws import load_chances  # noqa: E402
from avatar_train.networks import sharpened  # noqa: E402
from attribute_reader import reader_value  # noqa: E402
from validation_prompts import held_out_prompts  # noqa: E402


def read_prompts(work, prompts):
    """The chooser of train.py's work folder WORK on PROMPTS -> (chances.json's groups, the fitted groups of
    load_chances, log-chances float[P, G, V] as read, before sharpening; a value a group lacks at about -1e9)."""
    groups = json.load(open(os.path.join(work, "chances.json")))["groups"]
    fitted, chooser = load_chances(work)
    features = minilm.encode_prompts(minilm.load_encoder(), minilm.load_tokenizer(), prompts)
    with torch.no_grad():
        logits = chooser(features["ctx"].float(), features["mask"]) + (fitted["valid"] - 1.0) * 1e9
    return groups, fitted, torch.log_softmax(logits, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder, after its chances stage")
    parser.add_argument("--data", required=True, help="the teacher dataset it trained on")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--holdout", type=int, default=256)
    parser.add_argument("--sharpen", type=float, nargs="*", help="draw_sharpen values (default: the config's)")
    args = parser.parse_args()
    cfg = json.load(open(os.path.join(args.work, "metrics.json")))["config_values"]["diffusion"]
    prompts, _ = held_out_prompts(TeacherDataset(args.data), args.count, holdout=args.holdout)
    groups, fitted, read = read_prompts(args.work, [p["prompt"] for p in prompts])
    drawn = {}
    bound = torch.tensor(cfg.get("draw_named", 1e9))
    for sharpen in args.sharpen or [cfg.get("draw_sharpen", 1.0)]:
        drawn[sharpen] = sharpened(read, fitted["shares"], torch.tensor(sharpen), bound, fitted["valid"],
                                   fitted["own"]).exp()
    report = {}
    for g, group in enumerate(groups):
        attribute = group["attribute"]
        named = [(k, p["expected"][attribute]) for k, p in enumerate(prompts) if attribute in p["expected"]]
        read_as = [reader_value(attribute, value) for value in group["values"]]  # each value as the reader names it
        # class -> float[K]: 1 for each of the group's values the reader reads as that class (glasses' kinds: "yes")
        member = {c: torch.tensor([float(r == c) for r in read_as] + [0.0] * (read.shape[2] - len(read_as)))
                  for c in set(read_as)}
        first = [read_as[int(read[k, g].argmax())] for k, _ in named]
        right = sum(f == v for f, (_, v) in zip(first, named))
        chance = {s: round(float(sum((p[k, g] * member[v]).sum() for k, v in named if v in member))
                           / max(1, len(named)), 3) for s, p in drawn.items()}
        report[group["attribute"]] = {"read_first": right, "named": len(named), "mean_drawn_chance": chance}
        print(f"{group['attribute']}: the named value read first for {right} of {len(named)} prompts; its mean chance "
              f"as drawn: " + ", ".join(f"{c} (sharpen {s:g})" for s, c in chance.items()))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
