#!/usr/bin/python3
"""The trained default package follows clear prompts: each prompt below is generated with three
seeds by `tera batch`, and the evaluation probes (scripts/eval/probes.json) must read the named
attribute from at least two of the three avatars.

An attribute is checked only when the package's own manifest reports a measured accuracy of at
least TARGET for it (provenance.metrics.attribute_accuracy, written by scripts/eval/evaluate.py);
for the others the test prints the measured figure and says it is not checked, so a package that
claims an attribute must deliver it, and a better package turns the checks on by itself.
Exit 77 (skipped) when models/default is absent or claims none of the attributes."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from probe_avatar import load_probes, probe_latents  # noqa: E402

CASES = [("a man in a red shirt", {"top_colour": "red", "gender": "man"}),
         ("a woman with long blonde hair", {"hair_length": "long", "hair_colour": "blonde", "gender": "woman"}),
         ("a bald man", {"hair_length": "bald", "gender": "man"}),
         ("a woman wearing glasses", {"glasses": "yes", "gender": "woman"}),
         ("a man with a full beard", {"beard": "yes", "gender": "man"})]
SEEDS = 3      # avatars per prompt
MAJORITY = 2   # how many of them must show the attribute: one miss per prompt is tolerated
TARGET = 0.9   # the accuracy the training issue asks for: below it a package does not claim the attribute


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tera", required=True)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.model, "manifest.json")):
        print(f"SKIPPED: no trained package at {args.model}")
        return 77
    measured = json.load(open(os.path.join(args.model, "manifest.json")))["provenance"].get("metrics", {})
    measured = measured.get("attribute_accuracy", {})
    claimed = {a for _, expected in CASES for a in expected if measured.get(a, 0.0) >= TARGET}
    for a in sorted({a for _, expected in CASES for a in expected} - claimed):
        print(f"not checked: {a}: the package's measured accuracy is {measured.get(a, 'not recorded')}, below {TARGET}")
    if not claimed:
        print(f"SKIPPED: {args.model} claims none of the attributes these prompts name (docs/training.md)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        prompts = os.path.join(tmp, "prompts.jsonl")
        with open(prompts, "w") as f:
            for k, (prompt, _) in enumerate(CASES):
                for s in range(SEEDS):
                    f.write(json.dumps({"name": f"c{k}-s{s}", "prompt": prompt, "seed": 100 + s}) + "\n")
        subprocess.run([args.tera, "batch", "--prompts", prompts, "--model", args.model, "--out", os.path.join(tmp, "out"),
                        "--views", "0", "--device", "cpu", "-q"], check=True)
        failures = 0
        for k, (prompt, expected) in enumerate(CASES):
            latents = [os.path.join(tmp, "out", f"c{k}-s{s}", "avatar.latent") for s in range(SEEDS)]
            read = probe_latents(args.model, load_probes(os.path.join(ROOT, "scripts", "eval", "probes.json")), latents)
            for attribute, want in expected.items():
                if attribute not in claimed:
                    continue
                got = [r[attribute] for r in read]
                ok = sum(g == want for g in got) >= MAJORITY
                failures += not ok
                print(f"{'ok  ' if ok else 'FAIL'} '{prompt}': {attribute} expected {want}, probes read {got}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
