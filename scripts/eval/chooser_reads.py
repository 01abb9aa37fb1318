#!/usr/bin/python3
"""How often the chooser of a training work folder reads the validation prompts' named values first.

    .deps/venv/bin/python3 scripts/eval/chooser_reads.py --work WORK --data DATA

For each drawn group (train.py's chances stage: chances.json) and each of the 300 validation prompts
(validation_prompts.py, seed 7, as evaluate.py draws them) that names the group's attribute, the value
whose chance the chooser (networks.Chooser) reads highest, as read, against the value named (as the attribute
reader names it: any kind of glasses is "yes"); and the named value's mean chance as the exported denoiser draws
it: sharpened to p^s where the chances lie further than draw_named from the training avatars' shares
(networks.sharpened, as PromptReading.log_chances), at each --sharpen s (default: the work folder's config
draw_sharpen; 1: as read). What the drawing then gives is evaluate.py's to measure. A work folder whose chances
stage trained several choosers (config chooser_members) is read as the sampler reads them, the mean of their
logits; --members K[,K...] reads with those of them alone (0: the first).

--flatten A [A ...] asks what drawing an open group more evenly than the teacher would cost: where the named gate
stays closed the chances are divided by the training avatars' shares to the power A (0: as the package draws; 1:
evenly over the values, for a prompt whose chances are the shares), and for each A it prints the named value's mean
chance as drawn and, over the prompts that leave the group open, the chance that two draws differ as the reader
reads them (1 - sum of the squared chances of its classes; evaluate.py's diversity counts that per pair of seeds).
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
from avatar_train.networks import Choosers, named_groups, sharpened  # noqa: E402
from attribute_reader import reader_value  # noqa: E402
from validation_prompts import held_out_prompts  # noqa: E402


def member_list(text):
    """--members: "0,2" -> [0, 2]."""
    try:
        return [int(k) for k in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: choosers' indices, comma-separated (0,1)") from None


def read_prompts(work, prompts, members=None):
    """The chooser of train.py's work folder WORK on PROMPTS (its choosers read together; MEMBERS: those alone) ->
    (chances.json's groups, the fitted groups of load_chances, log-chances float[P, G, V] as read, before sharpening;
    a value a group lacks at about -1e9)."""
    groups = json.load(open(os.path.join(work, "chances.json")))["groups"]
    fitted, chooser = load_chances(work)
    if members:
        if not all(0 <= k < len(chooser.members) for k in members):
            raise SystemExit(f"--members {members}: {work} holds {len(chooser.members)} chooser(s), 0 to "
                             f"{len(chooser.members) - 1}")
        chooser = Choosers([chooser.members[k] for k in members])
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
    parser.add_argument("--members", type=member_list, metavar="K[,K...]",
                        help="read with those of the work folder's choosers alone (0: the first)")
    parser.add_argument("--flatten", type=float, nargs="*", default=[], metavar="A",
                        help="powers of the shares divided out of an open group's chances (module docstring)")
    args = parser.parse_args()
    cfg = json.load(open(os.path.join(args.work, "metrics.json")))["config_values"]["diffusion"]
    prompts, _ = held_out_prompts(TeacherDataset(args.data), args.count, holdout=args.holdout)
    groups, fitted, read = read_prompts(args.work, [p["prompt"] for p in prompts], args.members)
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
        member = reader_classes(attribute, group["values"], read.shape[2])  # glasses' kinds all read "yes"
        first = [read_as[int(read[k, g].argmax())] for k, _ in named]
        right = sum(f == v for f, (_, v) in zip(first, named))
        chance = {s: round(named_chance(p[:, g], named, member), 3) for s, p in drawn.items()}
        report[group["attribute"]] = {"read_first": right, "named": len(named), "mean_drawn_chance": chance}
        print(f"{group['attribute']}: the named value read first for {right} of {len(named)} prompts; its mean chance "
              f"as drawn: " + ", ".join(f"{c} (sharpen {s:g})" for s, c in chance.items()))
    for alpha in args.flatten:
        report[f"flatten {alpha:g}"] = flatten_report(prompts, groups, fitted, read, cfg, alpha)
    print(json.dumps(report))


def reader_classes(attribute, values, width):
    """The reader's classes of a group's VALUES -> {class: float[WIDTH], 1 for each value it reads as that class}."""
    read_as = [reader_value(attribute, value) for value in values]
    return {c: torch.tensor([float(r == c) for r in read_as] + [0.0] * (width - len(read_as))) for c in set(read_as)}


def named_chance(drawn, named, classes):
    """drawn float[P, K]: one group's chances as drawn; named [(prompt, class)]; classes (reader_classes) -> the named
    class's mean chance over the named prompts (a class the group cannot draw counts 0)."""
    return sum(float((drawn[k] * classes[v]).sum()) for k, v in named if v in classes) / max(1, len(named))


def flatten_report(prompts, groups, fitted, read, cfg, alpha):
    """--flatten ALPHA: per group, the named value's mean chance as drawn and the open prompts' chance that two draws
    read differently, with an open group's chances divided by shares^ALPHA."""
    shares, valid, own = fitted["shares"], fitted["valid"], fitted["own"]
    bound = torch.tensor(cfg.get("draw_named", 1e9))
    named_gate = named_groups(read, shares, bound)  # float[P, G, 1]
    as_named = sharpened(read, shares, torch.tensor(cfg.get("draw_sharpen", 1.0)), bound, valid, own)
    evened = torch.log_softmax(read - alpha * shares + (valid - own - 1.0) * 1e9, 2)
    drawn = torch.where(named_gate > 0, as_named, evened).exp()
    report = {}
    for g, group in enumerate(groups):
        attribute = group["attribute"]
        classes = reader_classes(attribute, group["values"], read.shape[2])
        chances = {c: (drawn[:, g] * m).sum(1) for c, m in classes.items()}  # class -> float[P]
        named = [(k, p["expected"][attribute]) for k, p in enumerate(prompts) if attribute in p["expected"]]
        open_rows = [k for k, p in enumerate(prompts) if attribute not in p["expected"]]
        hit = named_chance(drawn[:, g], named, classes)
        differ = sum(1.0 - sum(float(q[k]) ** 2 for q in chances.values()) for k in open_rows) / max(1, len(open_rows))
        report[attribute] = {"named_chance": round(hit, 3), "open_differing": round(differ, 3)}
        print(f"flatten {alpha:g}: {attribute}: named value's mean chance {hit:.3f} ({len(named)} prompts), open "
              f"draws differing {differ:.3f} ({len(open_rows)})")
    return report


if __name__ == "__main__":
    main()
