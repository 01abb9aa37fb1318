#!/usr/bin/python3
"""Hats and beards by the names people give them: is "a flat cap" a hat and "a goatee" a beard?

    .deps/venv/bin/python3 scripts/eval/headwear_probe.py --model models/default [--tera build/tera] \\
        [--seeds 4] [--out DIR] [--json report.json]

The teacher makes one hat (a brimmed felt hat) and its captions call it a hat, a fedora or a trilby; people write
"a beanie", "a baseball cap", "a beret". The chooser's own captions call a hatted avatar's hat by everyday.HEADWEAR's
words and a bearded one's beard by BEARD_OTHER's (config chooser_headwear). This probe asks for a hat or a beard by
three sets of words, in plain phrasings (TEMPLATES), each with SEEDS seeds through `tera batch`, and reads the
written .ply with the attribute reader (hat: yes or no; facial hair: a beard):

* the captions' own words ("a hat", "a fedora"): what the teacher's captions teach;
* the chooser's other words (everyday.HEADWEAR, BEARD_OTHER): what its own captions teach;
* HELD_OUT: words no caption uses, to show whether the others generalise.

The evaluation's prompt writer uses none of these words (everyday_test.py checks the first two sets; this script
refuses a held-out word that a training table holds).
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402
from avatar_train.everyday import BEARD_OTHER, FACIAL, HAT_YES, HEADWEAR  # noqa: E402
from evaluate import add_count, generate_and_read, write_probe_report  # noqa: E402

CAPTIONS = {"hat": ["a hat", "a fedora"], "beard": ["a beard", "a full beard"]}
HELD_OUT = {"hat": ["a trucker cap", "a snapback", "a bobble hat", "a stetson", "a deerstalker", "a straw hat"],
            "beard": ["a chinstrap beard", "a van dyke beard"]}
TRAINED = {"hat": HEADWEAR, "beard": BEARD_OTHER}
TEMPLATES = {"hat": ["a man wearing {}", "a woman in {}"], "beard": ["a man with {}"]}
ASKED = {"hat": ("hat", "yes"), "beard": ("facial_hair", "beard")}  # what the reader should read


def probe_items():
    """[(prompt, kind, word set, word)] for every word of every set in every template of its kind."""
    sets = {"captions": CAPTIONS, "chooser's other words": TRAINED, "held out": HELD_OUT}
    return [(template.format(word), kind, name, word) for name, table in sets.items() for kind, words in table.items()
            for word in words for template in TEMPLATES[kind]]


def leaked_words():
    """The held-out words that a training table (the captions' hat and facial-hair words, HEADWEAR, BEARD_OTHER)
    holds: a probe of generalisation needs none."""
    trained = {w for words in (HAT_YES, HEADWEAR, BEARD_OTHER, *FACIAL.values()) for w in words}
    return [w for words in HELD_OUT.values() for w in words if w in trained]


def tally(items, reads):
    """items from probe_items; reads [[{attribute: value} per seed] per item] ->
    {"<kind>: <word set>": {"followed", "n", "words": {word: [followed, n]}}}, a seed followed where the reader reads
    ASKED's value."""
    out = {}
    for (_, kind, name, word), seeds in zip(items, reads):
        attribute, value = ASKED[kind]
        entry = out.setdefault(f"{kind}: {name}", {"followed": 0, "n": 0, "words": {}})
        hits = sum(read[attribute] == value for read in seeds)
        entry["followed"] += hits
        entry["n"] += len(seeds)
        add_count(entry["words"], word, hits, len(seeds))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--seeds", type=int, default=4, help="avatars per prompt (seeds 1..N)")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--out", help="folder for the generated avatars (default: a temporary one, removed)")
    parser.add_argument("--json", help="write the tally here")
    args = parser.parse_args()
    leaked = leaked_words()
    if leaked:
        raise SystemExit(f"held-out words that a training table holds: {leaked}")
    reader = Reader.load(args.reader)
    items = probe_items()
    reads = generate_and_read(args.tera, args.model, reader, [prompt for prompt, *_ in items],
                              range(1, args.seeds + 1), args.out)
    result = tally(items, reads)
    for key, entry in result.items():
        print(f"{key}: {entry['followed']}/{entry['n']} = {entry['followed'] / entry['n']:.3f}")
        print("  " + "  ".join(f"'{w}' {h}/{n}" for w, (h, n) in entry["words"].items()))
    if args.json:
        write_probe_report(args.json, {"model": args.model, "seeds": args.seeds, "sets": result})


if __name__ == "__main__":
    main()
