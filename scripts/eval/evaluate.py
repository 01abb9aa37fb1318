#!/usr/bin/python3
"""Evaluates a model package: do generated avatars have the attributes their prompts name?

    /usr/bin/python3 scripts/eval/evaluate.py --model models/default --data data/ --tera build/tera \\
        --out eval/ [--count 200] [--guidance 6] [--steps 25] [--probes scripts/eval/probes.json]

1. Fits one probe per attribute (probes.py) on maps of training avatars — the teacher's own, or with
   --work the decoder's reconstructions of them (what generated maps look like) — and reports each
   probe's accuracy on the held-out avatars (the ceiling of what it can read); or loads probes
   saved earlier (--probes).
2. Writes validation prompts in phrasings of its own (prompts.py) for held-out avatars, and checks
   that none of them occurs among the training captions.
3. Generates them with `tera batch` (the product itself), decodes each avatar.latent with the
   package's decoder and probes the maps. Reports accuracy per attribute over the prompts that
   name it.
4. Diversity: every prompt is also generated with a second seed; reports how often the two
   avatars differ in attributes the prompt leaves open, and in those it names.
Writes <out>/report.json (what export.py --eval records in the manifest) and prints a summary.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from autoencode import AutoEncoder  # noqa: E402
from avatar_train.attributes import labels as teacher_labels  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from probes import PROBE_FEATURES, Geometry, SoftmaxProbe, features, stack  # noqa: E402
from probe_avatar import load_probes, probe_latents  # noqa: E402
from prompts import validation_prompts  # noqa: E402

PROBE_TRAINING = 1500   # teacher avatars the probes are fitted on: enough for 22 colours


def probe_labels(attributes):
    """Teacher attributes -> the probes' classes (binary glasses and beard, as prompts name them)."""
    named = teacher_labels(attributes)
    named["glasses"] = "no" if named["glasses"] == "none" else "yes"
    named["beard"] = "yes" if named["facial_hair"] == "beard" else "no"
    return named


def fit_probes(ds, geo, train_ids, test_ids, source):
    """Probes fitted on maps of train_ids, scored on test_ids; source(i) gives avatar i's maps."""
    train = [features(source(i), geo) for i in train_ids]
    test = [features(source(i), geo) for i in test_ids]
    probes, ceiling = {}, {}
    for attribute, groups in PROBE_FEATURES.items():
        y_train = [probe_labels(ds.record(i)["attributes"])[attribute] for i in train_ids]
        classes = sorted(set(y_train))
        probe = SoftmaxProbe().fit(stack(train, groups), np.array([classes.index(v) for v in y_train]), classes)
        y_test = [probe_labels(ds.record(i)["attributes"])[attribute] for i in test_ids]
        ceiling[attribute] = float(np.mean([a == b for a, b in zip(probe.predict(stack(test, groups)), y_test)]))
        probes[attribute] = probe
    return probes, ceiling


def run_batch(tera, model, jsonl, out, args):
    command = [tera, "batch", "--prompts", jsonl, "--model", model, "--out", out, "--views", "0",
               "--batch-size", str(args.batch_size), "--steps", str(args.steps), "--resume", "-q"]
    if args.guidance is not None:
        command += ["--guidance", str(args.guidance)]
    subprocess.run(command, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="the teacher dataset the model trained on")
    parser.add_argument("--holdout", type=int, default=256, help="avatars at the end of the dataset never trained on")
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=200, help="validation prompts")
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--guidance", type=float)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--save-probes", help="also write the fitted probes as JSON (tests load them)")
    parser.add_argument("--probes", help="load probes saved by --save-probes instead of fitting them")
    parser.add_argument("--work", help="train.py's work folder: fit the probes on the decoder's reconstructions "
                                       "of teacher maps instead of on the teacher maps themselves")
    parser.add_argument("--probe-training", type=int, default=PROBE_TRAINING)
    parser.add_argument("--probes-only", action="store_true", help="fit (and save) the probes, generate nothing")
    args = parser.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    os.makedirs(args.out, exist_ok=True)
    ds = TeacherDataset(args.data)
    geo = Geometry(ds.template)
    test_ids = list(range(len(ds) - args.holdout, len(ds)))
    train_ids = list(range(min(args.probe_training, len(ds) - args.holdout)))
    if args.probes:
        saved = json.load(open(args.probes))
        probes = load_probes(args.probes)
        ceiling = saved["accuracy_on_held_out"]
        probes_source = saved["fitted_on"]
    else:
        if args.work:  # fit on what the decoder makes of the teacher's maps: the maps it will be read from
            autoencode = AutoEncoder(args.work, args.model)
            source = lambda i: autoencode(ds.maps(i), ds.template)  # noqa: E731
        else:
            source = ds.maps
        probes, ceiling = fit_probes(ds, geo, train_ids, test_ids, source)
        probes_source = (f"{'decoder reconstructions of ' if args.work else ''}teacher maps of avatars "
                         f"0..{len(train_ids) - 1} of dataset seed {ds.manifest['seed']}")
    print("probe accuracy on held-out avatars:", json.dumps({k: round(v, 3) for k, v in ceiling.items()}))
    if args.save_probes:
        with open(args.save_probes, "w") as f:
            json.dump({"fitted_on": probes_source, "accuracy_on_held_out": ceiling,
                       "probes": {k: p.to_dict() for k, p in probes.items()}}, f)
    if args.probes_only:
        return

    records = [(i, ds.record(i)) for i in test_ids[: args.count]]
    prompts = validation_prompts(records, probe_labels, args.seed)
    training_captions = {c.lower() for i in range(len(ds) - args.holdout) for c in ds.record(i)["captions"]}
    seen = sum(p.lower() in training_captions for p, _, _ in prompts)
    jsonl = os.path.join(args.out, "prompts.jsonl")
    with open(jsonl, "w") as f:
        for k, (prompt, expected, index) in enumerate(prompts):
            for s in range(2):
                f.write(json.dumps({"name": f"p{k:04d}-s{s}", "prompt": prompt, "seed": args.seed * 1000 + 2 * k + s}) + "\n")
    gen = os.path.join(args.out, "generated")
    run_batch(args.tera, args.model, jsonl, gen, args)
    names = [f"p{k:04d}-s{s}" for k in range(len(prompts)) for s in range(2)]
    latents = [os.path.join(gen, name, "avatar.latent") for name in names]
    predicted = dict(zip(names, probe_latents(args.model, probes, latents)))

    hits, totals, items = {}, {}, []
    open_diff, open_total, named_diff, named_total = 0, 0, 0, 0
    for k, (prompt, expected, index) in enumerate(prompts):
        a, b = predicted[f"p{k:04d}-s0"], predicted[f"p{k:04d}-s1"]
        for attribute, want in expected.items():
            for p in (a, b):
                totals[attribute] = totals.get(attribute, 0) + 1
                hits[attribute] = hits.get(attribute, 0) + (p[attribute] == want)
        for attribute in ("hair_colour", "top_colour", "bottom_colour", "hair_length", "glasses", "hat", "build"):
            differ = a[attribute] != b[attribute]
            if attribute in expected:
                named_diff, named_total = named_diff + differ, named_total + 1
            else:
                open_diff, open_total = open_diff + differ, open_total + 1
        items.append({"prompt": prompt, "expected": expected, "seed0": a, "seed1": b})
    accuracy = {a: round(hits[a] / totals[a], 4) for a in sorted(totals)}
    report = {
        "model": os.path.abspath(args.model),
        "validation": {"prompts": len(prompts), "seeds_per_prompt": 2, "steps": args.steps,
                       "guidance": args.guidance if args.guidance is not None else "model default",
                       "prompts_found_in_training_captions": seen,
                       "source": f"attributes of the last {args.holdout} (held-out) dataset avatars, phrased by scripts/eval/prompts.py"},
        "attribute_accuracy": accuracy,
        "attribute_counts": {a: totals[a] for a in sorted(totals)},
        "probe_accuracy_held_out": {k: round(v, 4) for k, v in ceiling.items()},
        "probes_fitted_on": probes_source,
        "diversity": {"open_attributes_differing": round(open_diff / max(open_total, 1), 4),
                      "named_attributes_differing": round(named_diff / max(named_total, 1), 4),
                      "note": "share of probed attributes whose value differs between two seeds of one prompt"},
    }
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(args.out, "items.jsonl"), "w") as f:
        for item in items:
            f.write(json.dumps(item) + "\n")
    print(json.dumps({k: report[k] for k in ("attribute_accuracy", "diversity")}, indent=1))


if __name__ == "__main__":
    main()
