#!/usr/bin/python3
"""The validation prompts record the gender only where a word of the prompt names it
(scripts/eval/validation_prompts.py, _assemble): over 4,000 drawn prompts of every person kind
(a gendered noun, a noun of both genders such as "retiree", a hair or bald noun such as "ginge" with and
without the gender asked for) and every layout, a prompt that records the gender holds a word of that
gender's own (its nouns, relatives, tags, "geezer"/"woman") and none of the other's; one that does not
record it holds no gendered word at all. Exact: a word is there or it is not.
"""
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
from validation_prompts import GENDER_TAGS, NEUTRAL_NOUNS, NOUNS, RELATIVES, _assemble  # noqa: E402
from fixtures import verdict  # noqa: E402

DRAWS = 4000
PERSONS = [None, "ginge", "blondie", "slaphead"]  # None: the gender's noun; the rest stand for the person
TRAITS = [("pre", "glasses-wearing"), ("post", "in a red top"), ("post", "hair: long")]  # no gendered word


def gender_words(gender):
    """The words that name `gender` in a prompt, lower case: nouns (but those of both genders), relatives,
    tags, and the word a hair noun takes ("ginge geezer", "ginge woman")."""
    words = {w for group, _, _ in NOUNS[gender] for w in group} - NEUTRAL_NOUNS
    words |= {head for head, _, _ in RELATIVES[gender]}
    words |= {tag.lower() for tag in GENDER_TAGS[gender]}
    words.add("geezer" if gender == "man" else "woman")
    return words


def names(text, words):
    lowered = text.lower()
    return any(re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", lowered) for w in words)


def main():
    rng = random.Random("validation-gender-test")
    words = {g: gender_words(g) for g in ("man", "woman")}
    failures, counts = [], {"named": 0, "open": 0, "neutral noun": 0}
    for _ in range(DRAWS):
        gender = rng.choice(["man", "woman"])
        other = "woman" if gender == "man" else "man"
        age = rng.choice([20, 40, 55, 70, 85])  # every age band of NOUNS and RELATIVES
        person = rng.choice(PERSONS)
        say_gender = person is None or rng.random() < 0.5  # as make_prompt asks for it
        text, named = _assemble(gender, age, person, say_gender, list(TRAITS), rng)
        counts["named" if named else "open"] += 1
        counts["neutral noun"] += names(text, NEUTRAL_NOUNS)
        if named and not names(text, words[gender]):
            failures.append(f"{text!r} records the gender {gender} without a word that names it")
        if names(text, words[other]):
            failures.append(f"{text!r} ({gender}) holds a word of the other gender")
        if not named and names(text, words[gender]):
            failures.append(f"{text!r} names the gender {gender} but does not record it")
    print(f"{DRAWS} prompts: {counts['named']} record the gender, {counts['open']} leave it open; "
          f"{counts['neutral noun']} use a noun of both genders ({sorted(NEUTRAL_NOUNS)})")
    if not counts["open"] or not counts["neutral noun"]:
        failures.append("no prompt left the gender open or used a noun of both genders: the cases are untested")
    return verdict(failures[:10])


if __name__ == "__main__":
    sys.exit(main())
