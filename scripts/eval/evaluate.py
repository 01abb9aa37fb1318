#!/usr/bin/python3
"""Evaluates a model package: do generated avatars have what their prompts name, and do two seeds of
one prompt differ in what it leaves open?

    /usr/bin/python3 scripts/eval/evaluate.py --model models/default --data DATA --tera build/tera \\
        --out eval/ [--count 300] [--seeds 2] [--holdout N] [--reader scripts/eval/attribute_reader.json] \\
        [--steps S] [--guidance G] [--batch-size 8] [--rewrites 16] [--device auto]

1. Prompts: --count validation prompts (validation_prompts.py) for the last --holdout avatars of the
   dataset (the model's own held-out avatars: train.py's default configuration holds out 256; with
   more prompts than avatars, avatars get a second prompt), written by a generator apart from the
   training captions, each recording which attributes it names; none occurs among the dataset's
   captions or the everyday rewrites of the training avatars (train.py's seeds; checked, reported).
2. Generation: every prompt with --seeds seeds through `tera batch` (the product itself, --views 0),
   into <out>/generated/<name>/avatar.ply. --resume: finished items are kept.
3. Reading: every avatar.ply is read by the attribute reader (attribute_reader.py; its fitted file,
   --reader), which looks at the written Gaussians only.
4. Report, per attribute: accuracy over the prompts that name it (every seed counts) with its 95 %
   interval (accuracy_interval: a prompt's seeds count as one draw), n, the
   reader's own accuracy on held-out teacher avatars (its ceiling), and whether the target is met:
   an attribute the reader reads at >= 0.95 must be followed >= 90 % of the time. Diversity: over the
   attributes the reader reads at >= 0.95, the share of those a prompt leaves open that differ
   between its first two seeds (target >= 0.5); also the share of named ones that differ, and what
   the teacher's own training avatars give (two drawn at random among those with every attribute the
   prompt names: the diversity of a model that samples the teacher's avatars given the prompt).
5. The gender per the word that names it (gender_by_word): a word the model was not trained on shows
   apart from those it was.
Writes <out>/report.json (export.py --eval records it in the manifest), <out>/items.jsonl (every
prompt, what it names, what was read per seed) and prints a table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from attribute_reader import DEFAULT_READER, Reader, reader_labels  # noqa: E402
from validation_prompts import gender_word, held_out_prompts  # noqa: E402

FOLLOW_TARGET = 0.90    # the bar for an attribute the reader can read
READABLE = 0.95         # the reader's held-out accuracy from which an attribute is held to that bar
DIVERSITY_TARGET = 0.5  # share of open attributes that two seeds of one prompt should differ in
Z95 = 1.96              # the standard normal's two-sided 95 % quantile, for the accuracy's interval


def run_batch(tera, model, jsonl, out, batch_size=8, device="auto", steps=0, guidance=None):
    """`tera batch --views 0` of a JSONL prompt file into out/<name>/avatar.ply (steps 0 and guidance
    None: the model's own); resumes a folder already begun."""
    command = [tera, "batch", "--prompts", jsonl, "--model", model, "--out", out, "--views", "0",
               "--batch-size", str(batch_size), "--resume", "--device", device, "-q"]
    if steps:
        command += ["--steps", str(steps)]
    if guidance is not None:
        command += ["--guidance", str(guidance)]
    result = subprocess.run(command)
    if result.returncode not in (0, 5):  # 5: finished with failed items, which are reported below
        raise SystemExit(f"tera batch failed with exit code {result.returncode}")


def generate_and_read(tera, model, reader, prompts, seeds, out=None):
    """Every prompt of PROMPTS with every seed of SEEDS through `tera batch` (run_batch) into OUT/p<i>-s<seed>
    (default: a temporary folder, removed), each avatar.ply read by READER -> [[read per seed] per prompt]."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = out or os.path.join(tmp, "generated")
        jsonl = os.path.join(tmp, "prompts.jsonl")
        with open(jsonl, "w") as f:
            for i, prompt in enumerate(prompts):
                for seed in seeds:
                    f.write(json.dumps({"prompt": prompt, "seed": seed, "name": f"p{i:03d}-s{seed}"}) + "\n")
        run_batch(tera, model, jsonl, folder)
        return [[reader.read_ply(os.path.join(folder, f"p{i:03d}-s{seed}", "avatar.ply")) for seed in seeds]
                for i in range(len(prompts))]


def add_count(table, key, hits, n):
    """table {key: [followed, n]}: adds HITS followed of N reads at KEY (the probes' tallies)."""
    entry = table.setdefault(key, [0, 0])
    entry[0] += hits
    entry[1] += n


def write_probe_report(path, report):
    """A probe's --json report, written whole or not at all (a .tmp beside it, then renamed)."""
    with open(path + ".tmp", "w") as f:
        json.dump(report, f, indent=1)
    os.replace(path + ".tmp", path)


def expected_with_beard(expected):
    """A prompt that names the facial hair also names whether there is a beard."""
    out = dict(expected)
    if "facial_hair" in out:
        out["beard"] = "yes" if out["facial_hair"] == "beard" else "no"
    return out


def teacher_diversity(labels, items, attributes):
    """What the teacher's own avatars give for the diversity figure: for each prompt, the teacher
    avatars (labels: reader_labels of the training avatars) that have every attribute it names;
    two of them drawn at random differ in an open attribute with chance 1 - sum of its values'
    squared shares. -> (mean over the prompts' open attributes, pairs). A model that samples the
    teacher's avatars given the prompt scores this."""
    total, pairs = 0.0, 0
    labels = [expected_with_beard(label) for label in labels]
    for item in items:
        named = expected_with_beard(item["expected"])
        alike = [label for label in labels if all(label.get(a) == v for a, v in named.items() if a in attributes)]
        if len(alike) < 2:
            continue
        for attribute in attributes:
            if attribute in named:
                continue
            counts = Counter(label.get(attribute) for label in alike)
            total += 1.0 - sum((c / len(alike)) ** 2 for c in counts.values())
            pairs += 1
    return (round(total / pairs, 4) if pairs else None), pairs


def followed_reads(item):
    """One prompt's item -> ({attribute it names: (reads that follow it, reads)}, avatars not read)."""
    counts, unread = {}, 0
    for read in item["read"]:
        if read is None:
            unread += 1
            continue
        for attribute, want in expected_with_beard(item["expected"]).items():
            h, n = counts.get(attribute, (0, 0))
            counts[attribute] = (h + (read.get(attribute) == want), n + 1)
    return counts, unread


def prompt_error(residuals):
    """[r_i] one per prompt -> sqrt(P / (P - 1) x sum r_i^2), the standard error of a sum over prompts whose
    residuals these are (a prompt's seeds read the same words: one draw, not several)."""
    return (len(residuals) / (len(residuals) - 1) * sum(r * r for r in residuals)) ** 0.5


def summarise(items, ceiling, seeds):
    """items: [{'expected', 'read': [per seed {attr: value} or None]}] -> report fields."""
    by_prompt, missing = {}, 0  # attribute -> [(hits, reads) per prompt that names it]
    for item in items:
        counts, unread = followed_reads(item)
        missing += unread
        for attribute, count in counts.items():
            by_prompt.setdefault(attribute, []).append(count)
    hits = {a: sum(h for h, _ in c) for a, c in by_prompt.items()}
    totals = {a: sum(n for _, n in c) for a, c in by_prompt.items()}
    readable = sorted(a for a, c in ceiling.items() if c["accuracy"] >= READABLE)
    per_attribute = {}
    for attribute in sorted(set(totals) | set(ceiling)):
        n = totals.get(attribute, 0)
        acc = hits.get(attribute, 0) / n if n else None
        c = ceiling.get(attribute, {}).get("accuracy")
        held = c is not None and c >= READABLE
        per_attribute[attribute] = {
            "accuracy": round(acc, 4) if acc is not None else None, "n": n,
            "reader_ceiling": round(c, 4) if c is not None else None,
            "target": FOLLOW_TARGET if held else None,
            "met": (acc >= FOLLOW_TARGET) if held and acc is not None else None,
            "interval_95": accuracy_interval(by_prompt.get(attribute, [])),
        }
    open_diff = open_total = named_diff = named_total = 0
    if seeds >= 2:
        for item in items:
            a, b = item["read"][0], item["read"][1]
            if a is None or b is None:
                continue
            named = expected_with_beard(item["expected"])
            for attribute in readable:
                differ = a.get(attribute) != b.get(attribute)
                if attribute in named:
                    named_diff, named_total = named_diff + differ, named_total + 1
                else:
                    open_diff, open_total = open_diff + differ, open_total + 1
    diversity = {
        "open_attributes_differing": round(open_diff / open_total, 4) if open_total else None,
        "open_pairs": open_total,
        "named_attributes_differing": round(named_diff / named_total, 4) if named_total else None,
        "named_pairs": named_total,
        "attributes": readable,
        "target": DIVERSITY_TARGET,
        "met": (open_diff / open_total >= DIVERSITY_TARGET) if open_total else None,
        "note": "share of attributes (read at >= 0.95 on teacher avatars) whose value differs between the "
                "first two seeds of one prompt, over attributes the prompt leaves open / names",
    }
    return per_attribute, diversity, missing


def accuracy_interval(counts):
    """counts: [(hits, reads)] per prompt -> [low, high], the accuracy's 95 % interval (normal approximation, clipped
    to [0, 1]), or None for fewer than two prompts. The seeds of one prompt read one prompt's words, so they are not
    independent draws: the standard error is the ratio estimator's over prompts, sqrt(P / (P - 1) x sum (h_i - a
    n_i)^2) / sum n_i (a = sum h / sum n), which is 0 when every prompt is followed at the same rate and grows where
    prompts are followed all or nothing."""
    if len(counts) < 2:
        return None
    reads = sum(n for _, n in counts)
    accuracy = sum(h for h, _ in counts) / reads
    error = prompt_error([h - accuracy * n for h, n in counts]) / reads
    return [round(max(0.0, accuracy - Z95 * error), 4), round(min(1.0, accuracy + Z95 * error), 4)]


def gender_by_word(items):
    """items: [{'prompt', 'expected', 'read'}] -> {word: {'followed', 'n'}}: the gender's reads by the word that
    names it in the prompt (validation_prompts.gender_word), worst followed first, so that the words a model
    does not know show apart from those it does."""
    groups = followed_by_group(items, "gender", lambda item: gender_word(item["prompt"]) or "(no word)")
    out = {word: {"followed": h, "n": n} for word, (h, n) in groups.items()}
    return dict(sorted(out.items(), key=lambda kv: (kv[1]["followed"] / max(1, kv[1]["n"]), -kv[1]["n"], kv[0])))


def followed_by_group(items, attribute, group_of):
    """items, an attribute, group_of (item -> label) -> {label: [followed reads, reads]} over the prompts that name
    the attribute (a prompt whose avatars are all unread still gives its label, with 0 reads)."""
    out = {}
    for item in items:
        if item["expected"].get(attribute) is None:
            continue
        h, n = followed_reads(item)[0].get(attribute, (0, 0))
        group = out.setdefault(group_of(item), [0, 0])
        group[0] += h
        group[1] += n
    return out


def print_table(per_attribute, diversity):
    print(f"{'attribute':14s} {'accuracy':>9s} {'95 % interval':>14s} {'n':>5s} {'ceiling':>8s}  target")
    for attribute, r in per_attribute.items():
        acc = "-" if r["accuracy"] is None else f"{r['accuracy']:.3f}"
        low_high = "-" if not r.get("interval_95") else "{:.3f}-{:.3f}".format(*r["interval_95"])
        ceil = "-" if r["reader_ceiling"] is None else f"{r['reader_ceiling']:.3f}"
        if not r["n"]:
            target = "no prompt names it"
        elif r["target"]:
            target = ("met" if r["met"] else "MISSED") + f" (>= {r['target']})"
        else:
            target = f"not held (reader < {READABLE})"
        print(f"{attribute:14s} {acc:>9s} {low_high:>14s} {r['n']:5d} {ceil:>8s}  {target}")
    d = diversity
    if d["open_attributes_differing"] is not None:
        print(f"diversity: open attributes differing between two seeds {d['open_attributes_differing']:.3f} "
              f"over {d['open_pairs']} pairs ({'met' if d['met'] else 'MISSED'}, target >= {d['target']}); "
              f"named attributes differing {d['named_attributes_differing']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="the teacher dataset the model trained on")
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=300, help="validation prompts")
    parser.add_argument("--seeds", type=int, default=2, help="avatars per prompt (diversity needs 2)")
    parser.add_argument("--holdout", type=int, default=256, help="avatars at the end of the dataset the model never "
                                                                 "trained on (train.py's default configuration: 256)")
    parser.add_argument("--train-seed", type=int, default=0, help="train.py --seed of the model (its rewrite seeds)")
    parser.add_argument("--reader", default=DEFAULT_READER, help="fitted attribute reader (attribute_reader.py fit)")
    parser.add_argument("--steps", type=int, default=0, help="sampler steps (0: the model's default)")
    parser.add_argument("--guidance", type=float, help="guidance scale (default: the model's)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=7, help="names the prompts and the generation seeds")
    parser.add_argument("--rewrites", type=int, default=16, help="everyday rewrites per training avatar checked")
    args = parser.parse_args()
    from avatar_train.dataset import TeacherDataset
    os.makedirs(args.out, exist_ok=True)
    reader = Reader.load(args.reader)
    ds = TeacherDataset(args.data)
    prompts, prompt_report = held_out_prompts(ds, args.count, args.seed, args.rewrites, args.holdout, args.train_seed)
    if prompt_report["found_in_training_texts"]:
        raise SystemExit(f"{prompt_report['found_in_training_texts']} validation prompts occur in the training texts")
    jsonl = os.path.join(args.out, "prompts.jsonl")
    names = []
    with open(jsonl, "w") as f:
        for k, p in enumerate(prompts):
            names.append([f"p{k:04d}-s{s}" for s in range(args.seeds)])
            for s, name in enumerate(names[-1]):
                f.write(json.dumps({"name": name, "prompt": p["prompt"],
                                    "seed": args.seed * 100000 + args.seeds * k + s}) + "\n")
    generated = os.path.join(args.out, "generated")
    run_batch(args.tera, args.model, jsonl, generated, args.batch_size, args.device, args.steps, args.guidance)

    items = []
    for p, item_names in zip(prompts, names):
        read = []
        for name in item_names:
            path = os.path.join(generated, name, "avatar.ply")
            try:
                read.append(reader.read_ply(path))
            except (OSError, ValueError) as error:
                print(f"{path}: not read: {error}", file=sys.stderr)
                read.append(None)
        items.append({**p, "names": item_names, "read": read})
    per_attribute, diversity, missing = summarise(items, reader.ceiling, args.seeds)
    labels = [reader_labels(ds.record(i)) for i in range(len(ds) - args.holdout)]
    diversity["teacher_open_attributes_differing"], diversity["teacher_open_pairs"] = \
        teacher_diversity(labels, items, diversity["attributes"])
    batch_report = os.path.join(generated, "batch_report.json")
    report = {
        "model": os.path.abspath(args.model),
        "validation": {**prompt_report, "seeds_per_prompt": args.seeds, "steps": args.steps or "model default",
                       "guidance": args.guidance if args.guidance is not None else "model default",
                       "avatars_not_read": missing, "generator": "scripts/eval/validation_prompts.py"},
        "reader": {"file": os.path.relpath(os.path.abspath(args.reader), os.path.dirname(HERE) + "/.."),
                   "fitted_on": reader.fitted_on, "readable_from": READABLE},
        "attributes": per_attribute,
        "attribute_accuracy": {a: r["accuracy"] for a, r in per_attribute.items() if r["accuracy"] is not None},
        "attribute_counts": {a: r["n"] for a, r in per_attribute.items() if r["n"]},
        "reader_ceiling": {a: r["reader_ceiling"] for a, r in per_attribute.items()},
        "diversity": diversity,
        "gender_by_word": gender_by_word(items),
        "targets_met": all(r["met"] for r in per_attribute.values() if r["met"] is not None)
        and diversity["met"] is not False,
    }
    if os.path.exists(batch_report):
        report["validation"]["batch_failures"] = json.load(open(batch_report)).get("failed")
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(args.out, "items.jsonl"), "w") as f:
        for item in items:
            f.write(json.dumps(item) + "\n")
    print(f"{len(prompts)} prompts x {args.seeds} seeds, {missing} avatars not read; prompts found in training "
          f"texts: {prompt_report['found_in_training_texts']} (redrawn: {prompt_report['redrawn_because_seen']})")
    print_table(per_attribute, diversity)
    print(f"the teacher's own avatars given the named attributes: open attributes differing "
          f"{diversity['teacher_open_attributes_differing']}")
    below = [f"{word} {r['followed']}/{r['n']}" for word, r in report["gender_by_word"].items()
             if r["n"] and r["followed"] < FOLLOW_TARGET * r["n"]]
    print("gender by the word that names it, followed below the target: " + (", ".join(below) or "none"))
    print(f"report: {os.path.join(args.out, 'report.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
