#!/usr/bin/python3
"""The reader's ceiling on decoded avatars (scripts/eval/decoded_ceiling.py ceilings) on hand-made reads, where every
figure can be worked out by hand: per attribute the share of avatars read true on the teacher's avatar and on the
decoded one, the avatars read true on the teacher's alone, and a truth of None (a bald avatar's hair colour) not
counted. Shares of small counts, compared exactly (the table rounds to 4 decimals; these are halves and wholes)."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from decoded_ceiling import ceilings  # noqa: E402
from fixtures import verdict  # noqa: E402


def main():
    truths = [{"glasses": "no", "hair_colour": None, "hat": "yes"},
              {"glasses": "yes", "hair_colour": "red", "hat": "no"}]
    teacher = [{"glasses": "no", "hair_colour": "black", "hat": "yes"},
               {"glasses": "yes", "hair_colour": "red", "hat": "yes"}]
    decoded = [{"glasses": "yes", "hair_colour": "black", "hat": "yes"},
               {"glasses": "yes", "hair_colour": "grey", "hat": "no"}]
    table = ceilings(truths, teacher, decoded)
    expected = {"glasses": {"n": 2, "teacher": 1.0, "decoded": 0.5, "decoded_only_misses": 1},
                "hair_colour": {"n": 1, "teacher": 1.0, "decoded": 0.0, "decoded_only_misses": 1},
                "hat": {"n": 2, "teacher": 0.5, "decoded": 1.0, "decoded_only_misses": 0}}
    print("table:", table)
    return verdict([] if table == expected else [f"ceilings gave {table}, expected {expected}"])


if __name__ == "__main__":
    sys.exit(main())
