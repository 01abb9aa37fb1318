#!/usr/bin/python3
"""The open-gender probe's prompts and tally (scripts/eval/open_gender.py):

1. no probe prompt names a gender: none has a gendered word of the validation writer
   (validation_prompts.GENDER_WORDS, its gender tags) or of the training rewrites (everyday.PEOPLE,
   RELATIVES, GENDER_ADJ, pronouns), and at least four use a noun that neither writer has;
2. the tally counts the avatars read as women per prompt and overall (hand-made reads, counts checked exactly).
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
from avatar_train import everyday  # noqa: E402
from avatar_train.word_search import names  # noqa: E402
from fixtures import verdict  # noqa: E402
from open_gender import PROMPTS, women_share  # noqa: E402
from validation_prompts import GENDER_TAG, GENDER_WORDS, NOUNS, NEUTRAL_NOUNS  # noqa: E402


def gendered_words():
    words = set(GENDER_WORDS) | set(everyday.PRONOUN["man"] + everyday.PRONOUN["woman"])
    for gender in ("man", "woman"):
        words |= {w for group, _ in everyday.PEOPLE[gender] for w in group}
        words |= {noun for noun, _, _ in everyday.RELATIVES[gender]} | set(everyday.GENDER_ADJ[gender])
    return words - {w for group, _ in everyday.OPEN_PEOPLE for w in group} - NEUTRAL_NOUNS


def main():
    failures = []
    gendered = gendered_words()
    known = {w for group, _ in everyday.OPEN_PEOPLE for w in group} | NEUTRAL_NOUNS | {
        w for g in NOUNS for group, _, _ in NOUNS[g] for w in group}
    unknown = 0
    for prompt in PROMPTS:
        named = [w for w in gendered if names(prompt.lower(), [w])]
        if named or GENDER_TAG.search(prompt):
            failures.append(f"{prompt!r} names a gender: {named}")
        unknown += not names(prompt.lower(), known)
    print(f"1. {len(PROMPTS)} prompts, none naming a gender among {len(gendered)} gendered words; "
          f"{unknown} with a noun neither writer uses (bar 4)")
    if unknown < 4:
        failures.append(f"only {unknown} prompts use a noun that neither writer has")

    reads = [[{"gender": "woman"}, {"gender": "man"}, {"gender": "woman"}], [{"gender": "man"}] * 3,
             [{"gender": "woman"}, {}, {"gender": "man"}]]
    per_prompt, share = women_share(reads)
    print(f"2. tally {per_prompt}, share {share:.4f} (expected [(2, 3), (0, 3), (1, 3)], 0.3333)")
    if per_prompt != [(2, 3), (0, 3), (1, 3)] or abs(share - 3 / 9) > 1e-12:
        failures.append(f"tally {per_prompt} {share}, expected [(2, 3), (0, 3), (1, 3)] 1/3")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
