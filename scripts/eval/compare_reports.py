#!/usr/bin/python3
"""Compares two evaluations of the same validation prompts and seeds (evaluate.py --out A, --out B): how many more
named reads B follows than A, per attribute and in all, with a 95 % interval for that difference.

    /usr/bin/python3 scripts/eval/compare_reports.py EVAL_A EVAL_B

Both evaluations must hold the same prompts with the same seeds (evaluate.py's defaults: the same --count, --seeds
and --holdout); anything else is refused. The difference is paired by prompt: for each prompt, B's followed reads of
an attribute minus A's, summed over the prompts; its standard error is taken over prompts, sqrt(P / (P - 1) x sum
(d_i - mean d)^2), since one prompt's seeds share its words and both models read the same prompts. A difference whose
interval holds 0 is one that another set of prompts from the same writer could reverse. "named" adds every attribute
but the beard (which facial hair names too), as docs/training.md counts them.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from evaluate import Z95, followed_reads, prompt_error  # noqa: E402

ALL_BUT_BEARD = "named"  # the row that adds every attribute but the beard


def load_items(folder):
    """<folder>/items.jsonl -> {(prompt, index): item}; an evaluation folder without it is refused by name."""
    path = os.path.join(folder, "items.jsonl")
    if not os.path.exists(path):
        raise SystemExit(f"{folder}: no items.jsonl (not an evaluate.py --out folder?)")
    items = {}
    with open(path) as f:
        for line_number, line in enumerate(f, 1):
            try:
                item = json.loads(line)
                items[(item["prompt"], item["index"])] = item
            except (ValueError, KeyError) as error:
                raise SystemExit(f"{path}:{line_number}: not an evaluation item ({error})")
    return items


def paired_differences(a_items, b_items):
    """-> {attribute: [B's followed reads minus A's, per prompt that names it]}, with ALL_BUT_BEARD's row; refuses
    evaluations of other prompts or seeds, or an avatar read in one and not the other."""
    if set(a_items) != set(b_items):
        raise SystemExit(f"the evaluations hold other prompts ({len(set(a_items) ^ set(b_items))} differ)")
    differences = {}
    for key, a in a_items.items():
        b = b_items[key]
        if a.get("names") != b.get("names"):
            raise SystemExit(f"prompt {key[0]!r}: seeds {a.get('names')} against {b.get('names')}")
        (a_counts, _), (b_counts, _) = followed_reads(a), followed_reads(b)
        a_reads, b_reads = ({k: n for k, (_, n) in c.items()} for c in (a_counts, b_counts))
        if a_reads != b_reads:
            raise SystemExit(f"prompt {key[0]!r}: avatars read {a_reads} against {b_reads}: compare only full reads")
        total = 0
        for attribute, (a_hits, _) in a_counts.items():
            d = b_counts[attribute][0] - a_hits
            differences.setdefault(attribute, []).append(d)
            total += d if attribute != "beard" else 0
        if a_counts:
            differences.setdefault(ALL_BUT_BEARD, []).append(total)
    return differences


def difference_interval(per_prompt):
    """[d_i] -> (sum, low, high): the summed difference and its 95 % interval (None, None for fewer than 2)."""
    total, count = sum(per_prompt), len(per_prompt)
    if count < 2:
        return total, None, None
    error = prompt_error([d - total / count for d in per_prompt])
    return total, total - Z95 * error, total + Z95 * error


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="the first evaluate.py --out folder (the baseline)")
    parser.add_argument("b", help="the second, compared against the first")
    args = parser.parse_args()
    differences = paired_differences(load_items(args.a), load_items(args.b))
    print(f"{'attribute':14s} {'prompts':>7s} {'B - A reads':>11s}  95 % interval")
    for attribute in sorted(differences, key=lambda a: (a == ALL_BUT_BEARD, a)):
        total, low, high = difference_interval(differences[attribute])
        span = "-" if low is None else f"{low:+.1f} to {high:+.1f}"
        print(f"{attribute:14s} {len(differences[attribute]):7d} {total:+11d}  {span}")


if __name__ == "__main__":
    main()
