#!/usr/bin/python3
"""Every colour asked for equally often: plain prompts for each hair and top colour the attribute
reader knows, generated with a few seeds by `tera batch` and read back from the written .ply.

    .deps/venv/bin/python3 scripts/eval/colour_probe.py --model models/default [--tera build/tera] \\
        [--seeds 4] [--out DIR] [--json report.json]

evaluate.py's validation prompts draw their colours from held-out teacher avatars, so they ask for
the colours the teacher makes often (black, dark brown and white hair are 7 of 10) and a rare one
(blonde, pink, platinum) a few times at most. A user asks for blonde hair far more often than the
teacher makes it. This probe asks for each value the same number of times, in a few plain phrasings
(TEMPLATES: sentences and, for hair, a bare fragment such as "blonde hair", the kind of prompt
`tera edit` gets), so that a model which loses a rare colour shows it. It names one colour and
nothing else, so each read is of that attribute alone. The reader's ceiling on teacher avatars
(evaluate.py prints it) bounds every figure.

With --modified each colour word follows a word that leaves the colour as it is ("a man in a party
red t-shirt", "office-grey hair"), one of MODIFIERS in turn: words that neither the training captions
(colour_modifiers.py) nor the validation prompts' writer use, so the probe measures whether the model
reads the colour word past a modifier it has never seen.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from attribute_reader import DEFAULT_READER, Reader  # noqa: E402
from evaluate import add_count, generate_and_read, write_probe_report  # noqa: E402

TEMPLATES = {  # attribute -> phrasings of one colour; "{}" is the reader's class name
    "hair_colour": ["a woman with {} hair", "a man with {} hair", "{} hair"],
    "top_colour": ["a man in a {} t-shirt", "a woman wearing a {} jumper"],
}


# Words before a colour that leave it as it is, used by neither the training captions nor the validation prompts'
# writer (tests/train/everyday_test.py checks the training side's modifiers against the writer)
MODIFIERS = ["party", "picnic", "beach", "holiday", "designer", "club", "sports", "metro"]


def probe_items(classes, modified=False):
    """classes {attribute: [values]} -> [(prompt, attribute, value, template)], every value in every template;
    modified: each colour after one of MODIFIERS in turn, with a space or, every other time, a hyphen."""
    items = [(template, attribute, value) for attribute, templates in TEMPLATES.items() for template in templates
             for value in classes[attribute]]
    out = []
    for k, (template, attribute, value) in enumerate(items):
        words = value
        if modified:
            joint = "-" if (k // len(MODIFIERS)) % 2 and " " not in value else " "
            words = f"{MODIFIERS[k % len(MODIFIERS)]}{joint}{value}"
        out.append((template.format(words), attribute, value, template))
    return out


def tally(items, reads):
    """items from probe_items; reads [[{attribute: value} per seed] per item] ->
    {attribute: {"followed", "n", "values": {value: [followed, n]}, "templates": {template: [followed, n]}}}."""
    out = {}
    for (_, attribute, value, template), seeds in zip(items, reads):
        entry = out.setdefault(attribute, {"followed": 0, "n": 0, "values": {}, "templates": {}})
        for read in seeds:
            hit = int(read.get(attribute) == value)
            entry["followed"] += hit
            entry["n"] += 1
            for key, table in ((value, entry["values"]), (template, entry["templates"])):
                add_count(table, key, hit, 1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--seeds", type=int, default=4, help="avatars per prompt (seeds 1..N)")
    parser.add_argument("--reader", default=DEFAULT_READER)
    parser.add_argument("--out", help="folder for the generated avatars (default: a temporary one, removed)")
    parser.add_argument("--json", help="write the tally here")
    parser.add_argument("--modified", action="store_true", help="each colour after a modifier no caption uses")
    args = parser.parse_args()
    reader = Reader.load(args.reader)
    items = probe_items({a: reader.attributes[a]["classifier"].classes for a in TEMPLATES}, args.modified)
    reads = generate_and_read(args.tera, args.model, reader, [prompt for prompt, _, _, _ in items],
                              range(1, args.seeds + 1), args.out)
    result = tally(items, reads)
    for attribute, entry in result.items():
        print(f"{attribute}: {entry['followed']}/{entry['n']} = {entry['followed'] / entry['n']:.3f}")
        print("  " + "  ".join(f"{v} {h}/{n}" for v, (h, n) in entry["values"].items()))
        print("  " + "  ".join(f"'{t}' {h}/{n}" for t, (h, n) in entry["templates"].items()))
    if args.json:
        write_probe_report(args.json, {"model": args.model, "seeds": args.seeds, "modified": args.modified,
                                       "attributes": result})


if __name__ == "__main__":
    main()
