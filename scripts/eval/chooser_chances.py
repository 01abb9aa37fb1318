#!/usr/bin/python3
"""The chooser's chances for prompts of your own: what each drawn group reads from them, as read (before sharpening).

    .deps/venv/bin/python3 scripts/eval/chooser_chances.py --work WORK "a man in a flat cap" "a woman in a beanie"

WORK is a train.py work folder after its chances stage (chances.json and the chooser's weights). For each prompt and
drawn group (hair colour, top colour, hat, glasses, facial hair, top pattern, build in the default configuration) it
prints the three values read likeliest with their chances: the work folder's choosers read together, as the sampler
reads them, or with --members K[,K...] those of them alone. chooser_reads.py counts the same on the validation prompts.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from chooser_reads import member_list, read_prompts  # noqa: E402

SHOWN = 3  # values printed per group: the likeliest few are what decides a draw


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder, after its chances stage")
    parser.add_argument("--members", type=member_list, metavar="K[,K...]",
                        help="read with those of the work folder's choosers alone (0: the first)")
    parser.add_argument("prompts", nargs="+")
    args = parser.parse_args()
    groups, _, read = read_prompts(args.work, args.prompts, args.members)
    chances = read.exp()
    for i, prompt in enumerate(args.prompts):
        print(prompt)
        for g, group in enumerate(groups):
            ranked = sorted(zip(chances[i, g, :len(group["values"])].tolist(), group["values"]), reverse=True)
            print(f"    {group['attribute']:<12} " + "  ".join(f"{v} {p:.2f}" for p, v in ranked[:SHOWN]))


if __name__ == "__main__":
    main()
