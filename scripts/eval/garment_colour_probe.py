#!/usr/bin/python3
"""Every top colour on every kind of top: does a model follow "a purple jacket", which its teacher never makes?

    .deps/venv/bin/python3 scripts/eval/garment_colour_probe.py --model models/default --data DATA \\
        [--tera build/tera] [--seeds 2] [--out DIR] [--json report.json]

The teacher dresses each garment in a few colours only (tools/synth: jackets are never purple, orange or pink), so
the validation prompts, written from teacher avatars, never pair a top with a colour it does not come in. A user
does. This probe asks for each of the reader's top colours on each top (TEMPLATES: a man's and a woman's tops, the
crop top a woman's and the suit a man's), each with --seeds seeds through `tera batch`, reads the top's colour back
from the written .ply, and reports how often it is followed where the teacher's training avatars (--data: the
dataset's records; a pair of fewer than PAIR_MIN of them counts as one the teacher does not make) have that colour
on that garment and where they do not. The reader's ceiling on teacher avatars (evaluate.py prints it) bounds both.
"""
import argparse
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402
from avatar_train.attributes import labels  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402
from evaluate import add_count, generate_and_read, write_probe_report  # noqa: E402

TEMPLATES = [  # (prompt with "{}" for the colour, the teacher's garment it names)
    ("a man in a {} t-shirt", "t-shirt"), ("a woman in a {} t-shirt", "t-shirt"),
    ("a man in a {} shirt", "shirt"), ("a man in a {} jumper", "sweatshirt"),
    ("a man in a {} jacket", "jacket"), ("a woman in a {} jacket", "jacket"),
    ("a woman in a {} crop top", "crop top"), ("a man in a {} suit", "suit"),
]
PAIR_MIN = 5  # training avatars of a garment and colour below which the teacher counts as not making that pair
HOLDOUT = 256  # the last avatars of the dataset, which train.py's default configuration does not train on


def teacher_pairs(data, holdout=HOLDOUT):
    """Counter of (top garment, top colour) over the dataset's training avatars."""
    ds = TeacherDataset(data)
    pairs = Counter()
    for i in range(len(ds) - holdout):
        named = labels(ds.record(i))
        pairs[(named["top_garment"], named["top_colour"])] += 1
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True, help="the teacher dataset the model trained on")
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--seeds", type=int, default=2, help="avatars per prompt (seeds 1..N)")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--out", help="folder for the generated avatars (default: a temporary one, removed)")
    parser.add_argument("--json", help="write the tally here")
    args = parser.parse_args()
    reader = Reader.load(args.reader)
    pairs = teacher_pairs(args.data)
    colours = reader.attributes["top_colour"]["classifier"].classes
    items = [(template.format(colour), garment, colour) for template, garment in TEMPLATES for colour in colours]
    reads = generate_and_read(args.tera, args.model, reader, [prompt for prompt, _, _ in items],
                              range(1, args.seeds + 1), args.out)
    tally = {"made": [0, 0], "not made": [0, 0]}
    per_garment = {}
    misses = []
    for (prompt, garment, colour), seeds in zip(items, reads):
        kind = "made" if pairs[(garment, colour)] >= PAIR_MIN else "not made"
        for seed, read in enumerate(seeds, 1):
            hit = int(read.get("top_colour") == colour)
            for table, key in ((tally, kind), (per_garment, f"{garment}, {kind}")):
                add_count(table, key, hit, 1)
            if not hit:
                misses.append(f"{prompt} (seed {seed}): read {read.get('top_colour')}")
    for key, (hit, n) in list(tally.items()) + sorted(per_garment.items()):
        print(f"{key}: {hit}/{n} = {hit / max(n, 1):.3f}")
    if args.json:
        write_probe_report(args.json, {"model": args.model, "seeds": args.seeds, "pairs": tally,
                                       "per_garment": per_garment, "misses": misses})


if __name__ == "__main__":
    main()
