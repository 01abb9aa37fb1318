#!/usr/bin/python3
"""The colour probe's prompts and tally (scripts/eval/colour_probe.py) on hand-made reads:

1. every value of an attribute is asked for in every phrasing of that attribute, once, and the
   prompt names the value;
2. the tally counts a seed as followed only when its read equals the asked value, and splits the
   counts by value and by phrasing (counts checked exactly);
3. with --modified (probe_items(..., modified=True)) the same items, each colour after one of MODIFIERS, every
   modifier used once the items outnumber them, and a hyphen never joined to a colour of two words.
"""
import re
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from colour_probe import MODIFIERS, TEMPLATES, probe_items, tally  # noqa: E402
from fixtures import verdict  # noqa: E402


def seeds_read(attribute, value):
    """Two seeds' reads for an item: blonde hair read red once, other hair right twice, tops right once."""
    if attribute == "top_colour":
        return [{"top_colour": "blue"}, {"top_colour": "light blue"}]
    if value == "blonde":
        return [{"hair_colour": "red"}, {"hair_colour": "blonde"}]
    return [{"hair_colour": "black"}, {"hair_colour": "black"}]


def main():
    failures = []
    classes = {"hair_colour": ["blonde", "black"], "top_colour": ["light blue"]}
    items = probe_items(classes)
    want = len(TEMPLATES["hair_colour"]) * 2 + len(TEMPLATES["top_colour"])
    print(f"1. {len(items)} prompts (expected {want}): {[p for p, _, _, _ in items]}")
    if len(items) != want:
        failures.append(f"{len(items)} prompts, expected {want}")
    for prompt, attribute, value, template in items:
        if value not in prompt or template not in TEMPLATES[attribute]:
            failures.append(f"{prompt!r} does not ask for {attribute} {value} in a phrasing of its own")
    pairs = {(a, v, t) for _, a, v, t in items}
    if len(pairs) != len(items):
        failures.append("a value is asked for twice in one phrasing")

    hair = [i for i, item in enumerate(items) if item[1] == "hair_colour"]
    reads = [seeds_read(attribute, value) for _, attribute, value, _ in items]
    result = tally(items, reads)
    templates = len(TEMPLATES["hair_colour"])
    got = (result["hair_colour"]["followed"], result["hair_colour"]["n"], result["hair_colour"]["values"]["blonde"],
           result["hair_colour"]["values"]["black"], result["top_colour"]["followed"], result["top_colour"]["n"],
           result["hair_colour"]["templates"][TEMPLATES["hair_colour"][0]])
    want = (3 * templates, 2 * len(hair), [templates, 2 * templates], [2 * templates, 2 * templates],
            len(TEMPLATES["top_colour"]), 2 * len(TEMPLATES["top_colour"]), [3, 4])
    print(f"2. tally {got} (expected {want})")
    if got != want:
        failures.append(f"tally {got}, expected {want}")

    many = {"hair_colour": ["blonde", "black", "dark brown", "red", "white"], "top_colour": ["light blue", "navy"]}
    plain, modified = probe_items(many), probe_items(many, modified=True)
    used = set()
    for (p, a, v, t), (m, ma, mv, mt) in zip(plain, modified):
        found = re.search(r"(\S+)[ -]" + re.escape(v), m)
        if (a, v, t) != (ma, mv, mt) or found is None or found.group(1) not in MODIFIERS or m == p:
            failures.append(f"modified {m!r} is not {p!r} with a modifier before {v!r}")
            continue
        used.add(found.group(1))
        if " " in v and found.group(1) + "-" in m:
            failures.append(f"{m!r} joins a colour of two words by a hyphen")
    print(f"3. {len(modified)} modified prompts, e.g. {[m for m, _, _, _ in modified[:4]]}; modifiers used "
          f"{len(used)} of {len(MODIFIERS)}")
    if len(modified) != len(plain) or len(used) != len(MODIFIERS):
        failures.append(f"modified prompts {len(modified)} (plain {len(plain)}), modifiers used {sorted(used)}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
