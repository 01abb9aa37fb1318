#!/usr/bin/python3
"""The headwear probe's prompts and tally (scripts/eval/headwear_probe.py) on hand-made reads:

1. every word of every set is asked for in every phrasing of its kind, once, and the prompt holds the word;
2. no held-out word is one a training table holds (headwear_probe.leaked_words), and none of the other words or
   the held-out ones (the captions' own, "hat" and "beard", are the writer's too) occurs in the evaluation's prompt
   writer (scripts/eval/validation_prompts.py), whose figures are to measure phrasings no caption uses;
3. the tally counts a seed as followed only when the reader reads the asked value (a hat: "yes"; a beard: facial hair
   "beard", not "stubble"), per word set and per word (counts checked exactly).
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
from avatar_train.word_search import whole_words  # noqa: E402
from fixtures import verdict  # noqa: E402
from headwear_probe import CAPTIONS, HELD_OUT, TEMPLATES, TRAINED, leaked_words, probe_items, tally  # noqa: E402


def seeds_read(kind, word):
    """Two seeds' reads: every hat read yes then no; a goatee read beard twice, other beards beard then stubble."""
    if kind == "hat":
        return [{"hat": "yes", "facial_hair": "none"}, {"hat": "no", "facial_hair": "none"}]
    if word == "a goatee":
        return [{"hat": "no", "facial_hair": "beard"}, {"hat": "no", "facial_hair": "beard"}]
    return [{"hat": "no", "facial_hair": "beard"}, {"hat": "no", "facial_hair": "stubble"}]


def main():
    failures = []
    items = probe_items()
    sets = (CAPTIONS, TRAINED, HELD_OUT)
    want = sum(len(words) * len(TEMPLATES[kind]) for table in sets for kind, words in table.items())
    print(f"1. {len(items)} prompts (expected {want}), e.g. {[p for p, *_ in items[:3]]}")
    if len(items) != want:
        failures.append(f"{len(items)} prompts, expected {want}")
    for prompt, kind, _, word in items:
        if word not in prompt:
            failures.append(f"{prompt!r} does not ask for {word!r}")
    if len({(k, n, w, p) for p, k, n, w in items}) != len(items):
        failures.append("a word is asked for twice in one phrasing")

    with open(os.path.join(ROOT, "scripts", "eval", "validation_prompts.py")) as f:
        writer = f.read().lower()
    words = [w.split(" ", 1)[1] for table in (TRAINED, HELD_OUT) for ws in table.values() for w in ws]
    shared = whole_words(writer, words)
    leaked = leaked_words()
    print(f"2. held-out words a training table holds: {leaked}; words the validation writer uses: {shared}")
    if leaked or shared:
        failures.append(f"held out but trained: {leaked}; used by the validation writer: {shared}")

    result = tally(items, [seeds_read(kind, word) for _, kind, _, word in items])
    hats = len(HELD_OUT["hat"]) * len(TEMPLATES["hat"])
    beards = len(TRAINED["beard"]) * len(TEMPLATES["beard"])
    got = (result["hat: held out"]["followed"], result["hat: held out"]["n"],
           result["beard: chooser's other words"]["followed"], result["beard: chooser's other words"]["n"],
           result["beard: chooser's other words"]["words"]["a goatee"])
    want = (hats, 2 * hats, 2 * len(TEMPLATES["beard"]) + (beards - len(TEMPLATES["beard"])), 2 * beards,
            [2 * len(TEMPLATES["beard"]), 2 * len(TEMPLATES["beard"])])
    print(f"3. tally {got} (expected {want})")
    if got != want:
        failures.append(f"tally {got}, expected {want}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
