"""Glasses, hats and facial hair said again in other words, for the chooser's own captions (train.py's stage
"chooser text", config `chooser_restated`): "isn't wearing glasses", "has a hat on", "no beard or moustache",
"has a beard".

everyday.py says these in a few fixed phrases ("no glasses", "hatless", "clean-shaven", "bespectacled"). The
chooser (networks.Chooser) then reads a negation only in those words and places: a prompt that says it otherwise,
or next to a word that makes glasses likely ("my aunt"), is read as glasses of some kind. These captions are
everyday rewrites with the avatar's glasses, hat and (for a man) facial hair said again, each with a chance, in one
of the phrases below, before or after the rest, in the caption's capitals. Absences and presences are said about
equally often over the teacher's avatars (SAY_CHANCE): said as absences alone, they taught the chooser that a
glasses word means none ("spectacled" read as no glasses). Everything they add is true of the avatar. Written for
this module; no phrase is one of the evaluation's prompt writer's (scripts/eval/validation_prompts.py), occurs in
it, or holds one of its phrases for these attributes, so that its figures still measure phrasings no training
caption uses (tests/train/everyday_test.py checks it).
"""
import random

from . import everyday
from .attributes import labels

GLASSES = {
    False: ["isn't wearing glasses", "doesn't wear glasses", "never wears glasses", "without any glasses",
            "glasses: no", "specs: none", "no specs on", "without specs", "no eyeglasses",
            "with no specs", "contacts, no glasses", "doesn't need glasses"],
    True: ["wears glasses", "has glasses on", "glasses: yes", "in specs", "has specs on", "a glasses wearer",
           "always in glasses", "needs glasses", "with specs on", "in spectacles", "specs: yes", "in eyeglasses"],
}
HAT = {
    False: ["isn't wearing a hat", "doesn't wear a hat", "no hat on", "without any hat", "no cap", "no headgear",
            "with a bare head", "no hat or cap", "never wears a hat"],
    True: ["wears a hat", "has a hat on", "hat: yes", "always in a hat", "under a hat", "sporting a hat",
           "a hat on the head"],
}
FACIAL_HAIR = {
    "none": ["no beard or moustache", "no stubble", "beard: none", "facial hair: none", "doesn't have a beard",
             "without a beard", "close-shaven", "shaved clean", "no moustache", "cleanly shaven",
             "not a hair on his chin", "beard: no"],
    "stubble": ["has stubble", "hasn't shaved for days", "a few days' stubble", "stubble on his jaw",
                "facial hair: stubble"],
    "moustache": ["has a moustache", "a moustache, no beard", "sports a mustache", "facial hair: moustache",
                  "a moustache on his lip"],
    "beard": ["has a beard", "beard: yes", "sports a beard", "facial hair: beard", "a beard on his chin"],
}

# The chance that each is said, present or absent: about as many captions say a presence as an absence over the
# teacher's avatars (glasses on 30 % of them, a hat on 13 %, facial hair on 53 % of the men).
SAY_CHANCE = {"glasses": {True: 0.9, False: 0.4}, "hat": {True: 0.9, False: 0.15},
              "facial hair": {True: 0.6, False: 0.6}}
JOINERS = [", ", "; ", " / ", " + ", " | ", " - ", ". "]  # how an added phrase meets the rest


def states(record):
    """[(group, present, phrases)] of the avatar of RECORD (a captions.jsonl record): its glasses, its hat and, for
    a man, its facial hair, with the phrases that say each as it is."""
    a = record["attributes"]
    out = [("glasses", a["glasses"] != "none", GLASSES[a["glasses"] != "none"]),
           ("hat", bool(a["hat"]), HAT[bool(a["hat"])])]
    if labels(record)["gender"] == "man":
        out.append(("facial hair", a["facial_hair"] != "none", FACIAL_HAIR[a["facial_hair"]]))
    return out


def _in_case_of(phrase, text):
    """PHRASE in TEXT's capitals: all upper, every word capitalised, or as written."""
    if text.isupper():
        return phrase.upper()
    words = [w for w in text.split() if w[:1].isalpha()]
    if words and all(w[:1].isupper() for w in words):
        return " ".join(w[:1].upper() + w[1:] for w in phrase.split(" "))
    return phrase


def with_states(text, record, rng):
    """TEXT (an everyday rewrite of RECORD's avatar) with its glasses, hat and facial hair said again, each with its
    SAY_CHANCE, drawn with RNG (random.Random); None where none was drawn."""
    said = [phrases for group, present, phrases in states(record) if rng.random() < SAY_CHANCE[group][present]]
    if not said:
        return None
    out = text.rstrip(" .!")
    for phrases in said:
        phrase = _in_case_of(rng.choice(phrases), text)
        joiner = rng.choice(JOINERS)
        out = phrase + joiner + out if rng.random() < 0.3 else out + joiner + phrase
    return out


def restated_rewrites(record, count, seed):
    """COUNT everyday rewrites of RECORD's avatar (everyday.rewrites) with their states said again, deterministic in
    SEED (a string); those where nothing was drawn are left out."""
    rng = random.Random(f"restated:{seed}")
    out = [with_states(text, record, rng) for text in everyday.rewrites(record, count, f"restated:{seed}")]
    return [text for text in out if text is not None]
