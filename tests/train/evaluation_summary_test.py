#!/usr/bin/python3
"""The evaluation's summary (scripts/eval/evaluate.py) on hand-made reads, where every figure can be
worked out by hand:

1. accuracy per attribute counts every seed of every prompt that names it, and a named facial hair
   also names the beard;
2. diversity: the share of open attributes that differ between a prompt's two seeds, apart from
   the named ones;
3. the teacher's own diversity: among the teacher avatars with every attribute a prompt names, two
   drawn at random differ in an open attribute with chance 1 - sum of squared shares (two values in
   equal shares: 1/2; one value: 0; four in equal shares: 3/4), and avatars that do not have the
   named attributes do not count.
4. the gender by the word that names it: reads of every seed counted under the prompt's word (a tag of
   a key-value prompt, the longest gendered noun or relative), prompts that do not name the gender left
   out, an unread avatar not counted, the worst followed word first.
5. the accuracy's 95 % interval treats a prompt's seeds as one draw: three prompts each followed at one seed of two
   give 0.5 with an interval of width 0 (every prompt is followed alike), two followed at both seeds and two at
   none give 0.5 with a standard error of sqrt(4/3 x 4) / 8 = 0.2887, so 0.5 -/+ 1.96 x 0.2887 = [0, 1] clipped
   (0.0 and 1.0), and a single prompt gives none.
6. two evaluations compared (compare_reports.py): the difference is paired by prompt and summed (B follows the
   gender at 2, 1, 2 reads of three prompts where A follows 1, 1, 0: +3, the per-prompt differences 1, 0, 2 with a
   standard error of sqrt(3/2 x 2) = 1.732, so 3 -/+ 3.395), "named" adds every attribute but the beard, and
   evaluations of other prompts, or with an avatar read in one and not the other, are refused.
The figures are ratios of small counts; the report rounds them to 4 decimals, so they are compared
to 1e-4.
"""
import json
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from evaluate import accuracy_interval, gender_by_word, summarise, teacher_diversity  # noqa: E402
from compare_reports import load_items, paired_differences, difference_interval  # noqa: E402
from fixtures import verdict  # noqa: E402

CEILING = {a: {"accuracy": 0.99} for a in ("gender", "glasses", "hat", "facial_hair", "beard")}


def read(gender, glasses, hat, facial_hair="none"):
    return {"gender": gender, "glasses": glasses, "hat": hat, "facial_hair": facial_hair,
            "beard": "yes" if facial_hair == "beard" else "no"}


def main():
    failures = []

    def check(name, got, want):
        print(f"{name}: {got} (expected {want})")
        if got is None or abs(got - want) > 1e-4:
            failures.append(f"{name} is {got}, expected {want}")

    items = [
        {"expected": {"gender": "man", "facial_hair": "beard"},
         "read": [read("man", "no", "no", "beard"), read("woman", "yes", "no", "none")]},
        {"expected": {"glasses": "yes"},
         "read": [read("man", "yes", "yes"), read("man", "yes", "no")]},
    ]
    per_attribute, diversity, missing = summarise(items, CEILING, 2)
    check("gender followed", per_attribute["gender"]["accuracy"], 0.5)
    check("beard followed (named through the facial hair)", per_attribute["beard"]["accuracy"], 0.5)
    check("glasses followed", per_attribute["glasses"]["accuracy"], 1.0)
    # open: item 1 glasses (differ), hat (same); item 2 gender (same), hat (differ), facial hair, beard (same)
    check("open attributes differing", diversity["open_attributes_differing"], 2 / 6)
    # named: item 1 gender, facial hair, beard (all differ); item 2 glasses (same)
    check("named attributes differing", diversity["named_attributes_differing"], 3 / 4)
    if missing:
        failures.append(f"{missing} reads counted as missing, expected none")

    teacher = ([read("man", "yes", "no")] * 2 + [read("man", "no", "no")] * 2 +
               [read("woman", "no", "yes")] * 4)
    attributes = ["gender", "glasses", "hat"]
    share, pairs = teacher_diversity(teacher, [{"expected": {"gender": "man"}}], attributes)
    check("teacher, men: glasses half and half, no hats", share, (0.5 + 0.0) / 2)
    share, pairs = teacher_diversity(teacher, [{"expected": {}}], attributes)
    # gender 1/2 each: 1/2; glasses 2 of 8 yes: 1 - (1/16 + 9/16) = 3/8; hat 4 of 8: 1/2
    check("teacher, nothing named", share, (0.5 + 0.375 + 0.5) / 3)
    if pairs != 3:
        failures.append(f"{pairs} open pairs counted, expected 3")
    share, pairs = teacher_diversity(teacher, [{"expected": {"gender": "woman", "glasses": "yes"}}], attributes)
    if share is not None or pairs:
        failures.append(f"no teacher avatar is a woman with glasses, yet {pairs} pairs gave {share}")
    words = gender_by_word([
        {"prompt": "a missus in a red top", "expected": {"gender": "woman"},
         "read": [read("man", "no", "no"), read("woman", "no", "no")]},
        {"prompt": "Missus, specky", "expected": {"gender": "woman", "glasses": "yes"},
         "read": [read("man", "yes", "no"), None]},
        {"prompt": "sex: M // look: in a red top", "expected": {"gender": "man"},
         "read": [read("man", "no", "no"), read("man", "no", "no")]},
        {"prompt": "my gran - in a hat", "expected": {"gender": "woman", "hat": "yes"},
         "read": [read("woman", "no", "yes"), read("woman", "no", "yes")]},
        {"prompt": "a retiree in a hat", "expected": {"hat": "yes"}, "read": [read("man", "no", "yes")] * 2},
    ])
    want = {"missus": {"followed": 1, "n": 3}, "tag (man)": {"followed": 2, "n": 2},
            "my gran": {"followed": 2, "n": 2}}
    print(f"gender by word: {words}")
    if words != want or list(words)[0] != "missus":
        failures.append(f"gender by word gave {words}, expected {want} with missus first")
    alike = [{"expected": {"gender": "man"}, "read": [read("man", "no", "no"), read("woman", "no", "no")]}] * 3
    apart = ([{"expected": {"gender": "man"}, "read": [read("man", "no", "no")] * 2}] * 2 +
             [{"expected": {"gender": "man"}, "read": [read("woman", "no", "no")] * 2}] * 2)
    for name, group, want in (("prompts followed alike", alike, [0.5, 0.5]),
                              ("prompts followed all or nothing", apart, [0.0, 1.0])):
        got = summarise(group, CEILING, 2)[0]["gender"]["interval_95"]
        print(f"interval, {name}: {got} (expected {want})")
        if got is None or max(abs(g - w) for g, w in zip(got, want)) > 1e-4:
            failures.append(f"interval, {name}: {got}, expected {want}")
    # 6 of 10: squares (h - 0.6 n)^2 0.64 + 0.04 + 0.04 + 1.44 + 0.64 = 2.8, SE sqrt(5/4 x 2.8) / 10 = 0.1871
    two = accuracy_interval([(2, 2), (1, 2), (1, 2), (0, 2), (2, 2)])
    print(f"interval, five prompts 6 of 10: {two} (expected [0.2333, 0.9667])")
    if two is None or abs(two[0] - 0.2333) > 1e-4 or abs(two[1] - 0.9667) > 1e-4:
        failures.append(f"interval of five prompts: {two}, expected [0.2333, 0.9667]")
    if accuracy_interval([(1, 2)]) is not None:
        failures.append("a single prompt was given an interval")
    failures += comparison_failures()
    return verdict(failures)


def comparison_failures():
    def item(index, genders, facial=None):
        expected = {"gender": "man", **({"facial_hair": facial} if facial else {})}
        return {"prompt": f"prompt {index}", "index": index, "names": [f"p{index}-s0", f"p{index}-s1"],
                "expected": expected, "read": [read(g, "no", "no", facial or "none") for g in genders]}

    a = [item(0, ["man", "woman"], "beard"), item(1, ["man", "woman"]), item(2, ["woman", "woman"])]
    b = [item(0, ["man", "man"], "beard"), item(1, ["woman", "man"]), item(2, ["man", "man"])]
    failures = []
    with tempfile.TemporaryDirectory() as root:
        folders = []
        for name, items in (("a", a), ("b", b), ("other", a[:2]), ("unread", a[:2] + [{**a[2], "read": [None, None]}])):
            os.makedirs(os.path.join(root, name))
            with open(os.path.join(root, name, "items.jsonl"), "w") as f:
                f.writelines(json.dumps(i) + "\n" for i in items)
            folders.append(os.path.join(root, name))
        differences = paired_differences(load_items(folders[0]), load_items(folders[1]))
        total, low, high = difference_interval(differences["gender"])
        print(f"comparison: gender {differences['gender']} -> {total} ({low:.3f} to {high:.3f}), named "
              f"{differences['named']}, beard {differences['beard']}")
        if differences["gender"] != [1, 0, 2] or abs(low - (3 - 3.395)) > 1e-3 or abs(high - (3 + 3.395)) > 1e-3:
            failures.append(f"paired gender differences {differences['gender']}, interval {low} to {high}")
        # prompt 0 names the facial hair (both follow it at both seeds) and so the beard, left out of "named"
        if differences["named"] != [1, 0, 2] or differences["beard"] != [0]:
            failures.append(f"named {differences['named']} (expected [1, 0, 2]), beard {differences['beard']}")
        for other in folders[2:]:
            try:
                paired_differences(load_items(folders[0]), load_items(other))
                failures.append(f"{os.path.basename(other)}: an evaluation that does not match was compared")
            except SystemExit as refusal:
                print(f"refused: {refusal}")
    return failures


if __name__ == "__main__":
    sys.exit(main())
