#!/usr/bin/python3
"""Prompts that do not say the gender: which gender do their avatars come out? Generated with a few
seeds by `tera batch` and read back from the written .ply by the attribute reader.

    .deps/venv/bin/python3 scripts/eval/open_gender.py --model models/default [--tera build/tera] \\
        [--seeds 6] [--out DIR] [--json report.json]

A user who writes "someone in a blue t-shirt" has left the gender open, and a model that samples
what the prompt leaves open gives women about as often as men (the teacher makes both equally
often). PROMPTS name a person by a noun of neither gender: the first four by words the training
captions use ("person", "someone", "adult") or the validation writer's ("retiree"), the last four by
nouns neither uses ("pedestrian", "shopper", "traveller", "student"). The figure is the share of
avatars read as women, per prompt and in all; seeds 1000 to 1000 + N - 1.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402
from evaluate import generate_and_read, write_probe_report  # noqa: E402

PROMPTS = ["a person in a blue t-shirt", "someone with long hair", "an adult in a red jacket",
           "a retiree with white hair", "a pedestrian in a green jacket", "a shopper with brown hair",
           "a traveller wearing glasses", "a student in a white t-shirt"]
FIRST_SEED = 1000  # apart from the seeds the README and the tests use


def women_share(reads):
    """reads [[{attribute: value} per seed] per prompt] -> ([(women, n) per prompt], share of women in all)."""
    per_prompt = [(sum(r.get("gender") == "woman" for r in seeds), len(seeds)) for seeds in reads]
    total = sum(n for _, n in per_prompt)
    return per_prompt, (sum(w for w, _ in per_prompt) / total if total else 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--seeds", type=int, default=6, help="avatars per prompt")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--out", help="folder for the generated avatars (default: a temporary one, removed)")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    reader = Reader.load(args.reader)
    seeds = range(FIRST_SEED, FIRST_SEED + args.seeds)
    reads = generate_and_read(args.tera, args.model, reader, PROMPTS, seeds, args.out)
    per_prompt, share = women_share(reads)
    for prompt, (women, n) in zip(PROMPTS, per_prompt):
        print(f"'{prompt}': {women}/{n} women")
    print(f"women: {share:.3f} of {sum(n for _, n in per_prompt)} avatars (the teacher makes half)")
    if args.json:
        write_probe_report(args.json, {"model": args.model, "seeds": list(seeds), "women_share": share,
                                       "prompts": {p: {"women": w, "n": n} for p, (w, n) in zip(PROMPTS, per_prompt)}})


if __name__ == "__main__":
    main()
