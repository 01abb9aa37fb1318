#!/usr/bin/python3
"""A model package follows ten clear prompts: each prompt of validation_prompts.CLEAR_PROMPTS is
generated with two seeds by `tera batch`, every avatar.ply is read by the committed attribute reader
(scripts/eval/attribute_reader.json), and the share of all the attributes the prompts name (over
both seeds) that are read as named is held to a bar.

    /usr/bin/python3 tests/model/clear_prompts_test.py --tera build/tera --model models/default \\
        [--bar target|floor] [--reader scripts/eval/attribute_reader.json] [--device cpu] [--work DIR]

Two fixed bars, nothing read from the model's manifest: TARGET (0.85) is what a package that
follows clear prompts reaches (`--bar target`, the default, which ctest runs on the default package);
FLOOR is a regression guard for packages below the target (docs/training.md gives the figures): a package
that ignores its prompts, or reads them wrongly (a broken tokenizer, text encoder or guidance),
falls under it. The reader's own accuracy on held-out teacher avatars is printed beside each
attribute (its ceiling). Exit 0 when the bar is met, 1 when not, 77 (ctest: skipped) when the
package has no manifest.json.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "scripts", "eval"))
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402
from validation_prompts import CLEAR_PROMPTS  # noqa: E402

TARGET = 0.85  # share of named attributes read as named, over all prompts and seeds
# The floor: a regression guard for packages below the target. The default package reads 79 of 84
# (0.940) and meets the target, which ctest now holds it to (72 reads; seven of margin for another
# CPU's arithmetic); earlier ones read 80 (0.952), 78 (0.929, held without the push from the empty
# prompt's reading), 71 (0.845), 67 (0.798), 61 (0.726, the tints alone), 53 (0.631), 57 (0.679,
# without the tint reading), 52 (0.619, before the per-part tints) and 36 (0.429, without the loss
# emphasis on caption-named coordinates), and a package that ignores its prompts about 0.3 (gender
# 0.5, the many-valued colours 0.05-0.15).
FLOOR = 0.7
SEEDS = (100, 101)   # two avatars per prompt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tera", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--bar", choices=("target", "floor"), default="target")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--work", help="keep the generated avatars here (default: a temporary folder)")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.model, "manifest.json")):
        print(f"SKIPPED: no model package at {args.model}")
        return 77
    reader = Reader.load(args.reader)
    ceiling = reader.ceiling
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or tmp
        os.makedirs(work, exist_ok=True)
        prompts = os.path.join(work, "clear_prompts.jsonl")
        with open(prompts, "w") as f:
            for k, (prompt, _) in enumerate(CLEAR_PROMPTS):
                for seed in SEEDS:
                    f.write(json.dumps({"name": f"clear{k}-s{seed}", "prompt": prompt, "seed": seed}) + "\n")
        out = os.path.join(work, "generated")
        subprocess.run([args.tera, "batch", "--prompts", prompts, "--model", args.model, "--out", out, "--views", "0",
                        "--device", args.device, "-q"], check=True)
        hits = total = 0
        per_attribute = {}
        for k, (prompt, expected) in enumerate(CLEAR_PROMPTS):
            reads = [reader.read_ply(os.path.join(out, f"clear{k}-s{seed}", "avatar.ply")) for seed in SEEDS]
            for attribute, want in expected.items():
                got = [r[attribute] for r in reads]
                right = sum(g == want for g in got)
                hits, total = hits + right, total + len(got)
                h, n = per_attribute.get(attribute, (0, 0))
                per_attribute[attribute] = (h + right, n + len(got))
                mark = "ok  " if right == len(got) else "MISS"
                print(f"{mark} '{prompt}': {attribute} {want}, read {got}")
    print(f"{'attribute':14s} {'read as named':>14s} {'reader ceiling':>15s}")
    for attribute, (h, n) in sorted(per_attribute.items()):
        c = ceiling.get(attribute, {}).get("accuracy")
        print(f"{attribute:14s} {h:>8d} / {n:<4d} {c if c is not None else '-':>15}")
    share = hits / total
    bar = TARGET if args.bar == "target" else FLOOR
    print(f"{hits} of {total} named attributes read as named: {share:.3f} (target {TARGET}: "
          f"{'met' if share >= TARGET else 'MISSED'}; floor {FLOOR}: {'met' if share >= FLOOR else 'MISSED'})")
    return 0 if share >= bar else 1


if __name__ == "__main__":
    sys.exit(main())
