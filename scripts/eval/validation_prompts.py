#!/usr/bin/python3
"""Validation prompts for held-out teacher avatars, written by a generator of their own.

    /usr/bin/python3 scripts/eval/validation_prompts.py --data DATA [--count 300] [--holdout 256] [--rewrites 16] \\
        [--seed 7] [--out prompts.jsonl]

Each prompt names a few attributes of one held-out avatar (the last HOLDOUT avatars of a dataset, in
turn; with more prompts than avatars an avatar gets a second prompt) and
records exactly which attributes it names and their values, in the attribute reader's classes
(attribute_reader.reader_labels): gender, hair_colour, hair_length (bald/short/medium/long),
top_colour, facial_hair (none/stubble/moustache/beard), hat (yes/no), glasses (yes/no), and now and
then build and bottom_colour.

The templates and word tables here are written apart from the teacher's caption writer
(tools/synth/data/vocabulary.json, captions.cpp) and from the training rewrites
(scripts/train/avatar_train/everyday.py): other sentence shapes (key-value lists, relatives such as
"my gran", questions, trailing "that's the look"), other synonyms and slang ("ginge", "greybeard",
"specky", "geezer", "gran", "slaphead", "curly-haired", "midnight blue", "bottle green"), free word
order. Words that only a few phrasings can carry are shared where English has no other (woman,
glasses, beard).

No prompt may occur among the dataset's captions or among everyday.rewrites of the training
avatars (case-insensitive, whitespace-normalised); a prompt that does is drawn again, and the
number found and redrawn is reported (`unseen_check`).

CLEAR_PROMPTS: ten plain prompts with their expected attributes (values the teacher can make),
for the fixed-threshold test (clear_prompts_test.py).
"""
import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.attributes import labels as teacher_labels  # noqa: E402  (after the path is set)

# ---- people -------------------------------------------------------------------------------------
# (words, lowest age, highest age) per gender
NOUNS = {
    "man": [(["man", "dude", "geezer", "fellow", "bro"], 18, 99), (["young dude", "youngster", "college guy"], 18, 24),
            (["dad", "family man"], 30, 60), (["uncle"], 40, 65),
            (["grandfather", "old geezer", "retiree", "old boy"], 65, 99)],
    "woman": [(["woman", "missus", "madam", "lady"], 18, 99), (["young woman", "college girl"], 18, 24),
              (["mum", "mom"], 30, 60), (["auntie"], 40, 65), (["gran", "grandmother", "old dear", "retiree"], 65, 99)],
}
# nouns in both genders' lists ("retiree"): a prompt whose only person word is one of them leaves the gender open
NEUTRAL_NOUNS = ({w for words, _, _ in NOUNS["man"] for w in words}
                 & {w for words, _, _ in NOUNS["woman"] for w in words})
RELATIVES = {"man": [("my dad", 35, 65), ("my grandad", 65, 99), ("my brother", 18, 35), ("my uncle", 40, 65)],
             "woman": [("my mum", 35, 65), ("my gran", 65, 99), ("my sister", 18, 35), ("my aunt", 40, 65)]}
GENDER_TAGS = {"man": ["male", "man", "M"], "woman": ["female", "woman", "F"]}
# the key-value form that names the gender by a tag ("sex: M"), and the words that name it otherwise (the nouns
# but those of both genders, and the relatives), longest first: evaluate.py counts the gender per word
TAG_GENDER = {tag.lower(): g for g, tags in GENDER_TAGS.items() for tag in tags}
GENDER_TAG = re.compile(r"\b(?:gender|sex|who): (" + "|".join(TAG_GENDER) + r")\b", re.IGNORECASE)
GENDER_WORDS = tuple(sorted({w for g in NOUNS for words, _, _ in NOUNS[g] for w in words if w not in NEUTRAL_NOUNS}
                            | {head for g in RELATIVES for head, _, _ in RELATIVES[g]}, key=lambda w: (-len(w), w)))

BUILD = {"slim": ["scrawny", "rail-thin", "svelte", "skinny-framed", "lean-limbed"],
         "heavyset": ["rotund", "pudgy", "heavyweight", "thickset", "overweight"],
         "muscular": ["jacked", "athletic-looking", "gym-toned", "strapping", "muscle-bound"]}

# ---- hair ---------------------------------------------------------------------------------------
HAIR = {
    "black": ["coal-black", "ebony", "black", "pitch-black", "jet"],
    "dark brown": ["espresso-brown", "dark-brown", "deep brown", "coffee-dark"],
    "brown": ["nut-brown", "hazelnut", "medium brown", "brown", "walnut-brown"],
    "auburn": ["auburn", "russet", "rust-red", "copper-brown"],
    "red": ["flaming red", "red", "tomato-red", "bright ginger"],
    "blonde": ["golden", "wheat-blonde", "sunny blonde", "blonde", "butter-blonde"],
    "platinum": ["ice-blonde", "bleach-blond", "platinum", "almost-white blonde"],
    "grey": ["ash-grey", "pewter", "grey", "gunmetal grey", "grizzled grey"],
    "white": ["milky white", "chalk-white", "bright white", "white"],
    "blue": ["cobalt", "azure", "blue-dyed", "sapphire blue"],
    "pink": ["candy pink", "fuchsia", "pink-dyed", "flamingo pink"],
    "green": ["emerald green", "mint green", "green-dyed", "seaweed green"],
    "purple": ["grape", "lavender", "purple-dyed", "amethyst"],
}
HAIR_PERSON = {"red": ["ginge"], "blonde": ["blondie"]}  # nouns that stand for the person
HAIR_LENGTH = {
    "short": ["close-cut", "buzzed", "very short", "clipped-short", "tightly trimmed"],
    "medium": ["jaw-length", "collar-length", "mid-length", "shoulder-skimming"],
    "long": ["very long", "back-length", "lengthy", "below-the-shoulder"],
}
BALD = ["totally bald", "with a smooth bald scalp", "with a hairless head", "with no hair on top", "chrome-domed",
        "with a polished bald head"]
BALD_PERSON = ["slaphead", "baldy"]
CURLY = ["curly-haired", "with a curly afro", "with big round curls"]      # afro (medium)
TIED = ["with a long plait down the back", "with a rope braid", "with hair in one long braid"]  # braid (long)
PONY = ["with a swinging ponytail", "ponytailed", "with a tied-back pony"]                       # ponytail (long)

FACE = {
    "beard": ["beardy", "full-bearded", "heavily bearded", "with a lumberjack beard", "with a thick full beard"],
    "moustache": ["with a 'stache", "mustached", "with a moustache only", "with just a mustache", "with a lip 'stache"],
    "stubble": ["scruffy-faced", "stubbled", "with a day's growth", "with scruff on the chin", "unshaved"],
    "none": ["smooth-shaven", "freshly shaved", "smooth-faced", "with a shaved face"],
}
GLASSES = {"yes": ["specky", "spectacled", "glasses-wearing", "with reading glasses", "with glasses on",
                   "wearing eyewear", "nerdy-glasses"],
           "no": ["no eyewear", "not wearing glasses", "with no glasses on", "eyewear: none"]}
HAT = {"yes": ["in a snap-brim hat", "topped with a hat", "with a hat on", "in a classic gangster hat",
               "wearing a hat with a brim"],
       "no": ["no headwear", "with nothing on the head", "uncovered head", "hat: none"]}

# ---- clothes ------------------------------------------------------------------------------------
COLOUR = {
    "black": ["black", "pitch-black", "ink-black"], "white": ["white", "snowy white", "chalk white"],
    "grey": ["grey", "ash grey", "stone grey"], "charcoal": ["charcoal", "graphite", "gunmetal"],
    "navy": ["navy", "midnight blue", "deep navy"], "blue": ["cobalt blue", "blue", "cornflower blue"],
    "light blue": ["pale blue", "ice blue", "light-blue"], "teal": ["teal", "deep teal", "peacock teal"],
    "green": ["bottle green", "green", "leaf green"], "olive": ["olive", "olive-drab", "moss"],
    "khaki": ["khaki", "safari khaki", "fawn"], "beige": ["beige", "oatmeal", "biscuit"],
    "cream": ["cream", "vanilla", "eggshell"], "brown": ["brown", "cocoa", "mocha"],
    "burgundy": ["burgundy", "bordeaux", "deep wine"], "red": ["red", "fire-engine red", "tomato red"],
    "orange": ["orange", "pumpkin", "traffic-cone orange"], "yellow": ["yellow", "sunflower yellow", "banana yellow"],
    "pink": ["pink", "blush pink", "bubblegum-pink"], "purple": ["purple", "grape purple", "aubergine"],
    "gold": ["gold", "gilded"], "silver": ["silver", "chrome"],
}
TOPS = {"t-shirt": ["tee shirt", "crew-neck tee", "short-sleeve top", "top", "tee"],
        "shirt": ["dress shirt", "button-front shirt", "shirt", "top"],
        "sweatshirt": ["sweat top", "long-sleeve sweat", "knit top", "top"],
        "jacket": ["sport coat", "suit jacket", "jacket", "top"],
        "crop top": ["midriff top", "belly top", "cropped tank", "top"],
        "suit": ["lounge suit", "formal suit", "office suit", "suit"]}
BOTTOMS = {"jeans": ["denim", "jeans", "five-pocket jeans"], "shorts": ["short shorts", "denim shorts", "shorts"],
           "skirt": ["skirt", "office skirt"], "leggings": ["tights", "leggings", "workout leggings"],
           "overalls": ["boiler overalls", "bib-and-brace overalls", "overalls"], "suit": ["suit trousers"]}
DRESS = ["kitted out in", "decked out in", "clad in", "donning", "who threw on", "in", "wearing", "togged up in"]

# ---- the ten clear prompts ------------------------------------------------------------------------
# Only values the teacher makes: a jacket comes in black, charcoal, navy, brown, grey, olive, khaki,
# beige, burgundy or green (not red); a suit in black, charcoal, navy, grey, brown or beige; a bob is
# medium length; tools/synth/src/attributes.cpp garment_colours().
CLEAR_PROMPTS = [
    ("a woman with long red hair in a blue t-shirt",
     {"gender": "woman", "hair_length": "long", "hair_colour": "red", "top_colour": "blue"}),
    ("a bald man with a grey beard in a black suit",
     {"gender": "man", "hair_length": "bald", "facial_hair": "beard", "top_colour": "black"}),
    ("a young man with short blonde hair, round glasses and a green t-shirt",
     {"gender": "man", "hair_length": "short", "hair_colour": "blonde", "glasses": "yes", "top_colour": "green"}),
    ("an old woman with white hair in a burgundy jacket and a hat",
     {"gender": "woman", "hair_colour": "white", "top_colour": "burgundy", "hat": "yes"}),
    ("a man with a black moustache wearing a white shirt",
     {"gender": "man", "facial_hair": "moustache", "top_colour": "white"}),
    ("a woman with a black bob, glasses and a yellow t-shirt",
     {"gender": "woman", "hair_length": "medium", "hair_colour": "black", "glasses": "yes", "top_colour": "yellow"}),
    ("a man with stubble and short brown hair in a navy sweatshirt",
     {"gender": "man", "facial_hair": "stubble", "hair_length": "short", "hair_colour": "brown", "top_colour": "navy"}),
    ("a woman with a blonde ponytail in a pink crop top",
     {"gender": "woman", "hair_length": "long", "hair_colour": "blonde", "top_colour": "pink"}),
    ("a man with a full brown beard and no glasses in a grey t-shirt",
     {"gender": "man", "facial_hair": "beard", "glasses": "no", "top_colour": "grey"}),
    ("a man in a hat with grey hair and a charcoal suit",
     {"gender": "man", "hat": "yes", "hair_colour": "grey", "top_colour": "charcoal"}),
]


def _a(phrase):
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _noun(gender, age, rng):
    options = [w for words, lo, hi in NOUNS[gender] if lo <= age <= hi for w in words]
    return rng.choice(options)


def make_prompt(labels, attributes, rng):
    """labels: the reader's classes of one avatar (attribute_reader.reader_labels) with its hair colour
    and the teacher's garment words; attributes: its teacher attributes -> (prompt, {attribute:
    expected class})."""
    gender, age = labels["gender"], int(attributes["age_years"])
    man = gender == "man"
    expected = {}
    traits = []  # (slot, text): 'pre' before the noun, 'post' after it
    bald = labels["hair_length"] == "bald"
    kind = attributes["hair_style"]
    colour = attributes["hair_colour"]
    person = None  # a noun that names hair or baldness instead of the gender

    # hair
    if bald and rng.random() < 0.6:
        expected["hair_length"] = "bald"
        if rng.random() < 0.3:
            person = rng.choice(BALD_PERSON)
        else:
            phrase = rng.choice(BALD)
            traits.append(("pre" if not phrase.startswith("with") else "post", phrase))
    elif not bald and rng.random() < 0.8:
        say_colour, say_length = rng.random() < 0.75, rng.random() < 0.6
        c = rng.choice(HAIR[colour])
        if say_colour and colour in HAIR_PERSON and rng.random() < 0.3:
            person = rng.choice(HAIR_PERSON[colour])
            expected["hair_colour"] = colour
        elif kind == "afro01" and say_length and rng.random() < 0.5:
            phrase = rng.choice(CURLY)
            traits.append(("post" if phrase.startswith("with") else "pre", phrase))
            expected["hair_length"] = "medium"
            if say_colour:
                traits.append(("post", f"{c} curls" if rng.random() < 0.5 else f"hair colour {c}"))
                expected["hair_colour"] = colour
        elif kind in ("braid01", "ponytail01") and say_length and rng.random() < 0.5:
            phrase = rng.choice(TIED if kind == "braid01" else PONY)
            if say_colour:
                phrase = phrase.replace("hair", f"{c} hair") if "hair" in phrase else f"{phrase}, {c} hair"
                expected["hair_colour"] = colour
            traits.append(("post", phrase))
            expected["hair_length"] = "long"
        elif say_colour or say_length:
            words = []
            if say_length:
                words.append(rng.choice(HAIR_LENGTH[labels["hair_length"]]))
                expected["hair_length"] = labels["hair_length"]
            if say_colour:
                words.append(c)
                expected["hair_colour"] = colour
            form = rng.random()
            if form < 0.4:
                traits.append(("post", f"with {' '.join(words)} hair"))
            elif form < 0.7:
                traits.append(("post", f"hair: {' '.join(words)}"))
            else:
                traits.append(("post", f"whose hair is {' and '.join(words)}"))
    # facial hair (men only; the teacher gives women none)
    if man and rng.random() < 0.55:
        fh = labels["facial_hair"]
        if fh == "beard" and labels["hair_colour"] == "grey" and rng.random() < 0.4 and person is None:
            person = "greybeard"
            expected["hair_colour"] = "grey"  # dropped again for a bald man: the reader reads hair
        else:
            phrase = rng.choice(FACE[fh])
            traits.append(("pre" if not phrase.startswith("with") else "post", phrase))
        expected["facial_hair"] = fh
    # glasses and hat
    glasses = labels["glasses"]
    if rng.random() < (0.7 if glasses == "yes" else 0.15):
        phrase = rng.choice(GLASSES[glasses])
        traits.append(("pre" if glasses == "yes" and " " not in phrase else "post", phrase))
        expected["glasses"] = glasses
    hat = labels["hat"]
    if rng.random() < (0.8 if hat == "yes" else 0.12):
        traits.append(("post", rng.choice(HAT[hat])))
        expected["hat"] = hat
    # build
    if labels["build"] in BUILD and rng.random() < 0.25:
        traits.append(("pre", rng.choice(BUILD[labels["build"]])))
        expected["build"] = labels["build"]
    # clothes
    top, bottom = labels["top_garment"], labels["bottom_garment"]
    clothes = []
    if rng.random() < 0.65:
        clothes.append(f"{rng.choice(COLOUR[labels['top_colour']])} {rng.choice(TOPS[top])}")
        expected["top_colour"] = labels["top_colour"]
    if top != "suit" and rng.random() < 0.2:
        clothes.append(f"{rng.choice(COLOUR[labels['bottom_colour']])} {rng.choice(BOTTOMS[bottom])}")
        expected["bottom_colour"] = labels["bottom_colour"]
    if clothes:
        joined = " and ".join(_a(c) if not c.endswith(("s", "denim", "tights", "jeans")) else c for c in clothes)
        traits.append(("post", f"{rng.choice(DRESS)} {joined}"))
    # gender: named by the noun (or a tag) unless a hair noun stands in for it
    say_gender = person is None or rng.random() < 0.5
    if say_gender:
        expected["gender"] = gender
    if not expected or (len(expected) == 1 and "gender" in expected and rng.random() < 0.7):
        # too little named: add the top's colour
        clothes = f"{rng.choice(COLOUR[labels['top_colour']])} {rng.choice(TOPS[top])}"
        traits.append(("post", f"{rng.choice(DRESS)} {_a(clothes)}"))
        expected["top_colour"] = labels["top_colour"]
    text, gender_named = _assemble(gender, age, person, say_gender, traits, rng)
    if not gender_named:  # no word of the text names it ("a retiree", "please model a ginge"): it is left open
        expected.pop("gender", None)
    return text, expected


def _assemble(gender, age, person, say_gender, traits, rng):
    """-> (prompt text, whether a word of it names the gender): say_gender asks for it, but a hair noun
    ("ginge") stands alone half the time and a noun of both genders ("retiree") names neither."""
    rng.shuffle(traits)
    pre = [t for s, t in traits if s == "pre"]
    post = [t for s, t in traits if s == "post"]
    if person is not None:
        noun = person
        if say_gender:
            noun = f"{person} {'geezer' if gender == 'man' else 'woman'}" if rng.random() < 0.5 else person
    else:
        noun = _noun(gender, age, rng)
    named_by_noun = noun != person if person is not None else noun not in NEUTRAL_NOUNS
    layout = rng.random()
    relatives = [r for r, lo, hi in RELATIVES[gender] if lo <= age <= hi]
    if layout < 0.15:
        # key-value list: "gender: female | hair: ... | top: ..."
        items = []
        if say_gender:
            items.append(f"{rng.choice(['gender', 'sex', 'who'])}: {rng.choice(GENDER_TAGS[gender])}")
        if person is not None:
            items.append(f"type: {person}")
        items += [t if ":" in t else f"{rng.choice(['look', 'detail', 'feature'])}: {t}" for t in pre + post]
        rng.shuffle(items)
        return rng.choice([" | ", "; ", " // ", ", "]).join(items), say_gender
    if layout < 0.3 and relatives and say_gender and person is None:
        # "my gran: specky, snow-white curls, in a teal top"
        head = rng.choice(relatives)
        return f"{head}{rng.choice([': ', ' - ', ', basically: '])}{', '.join(pre + post)}", True
    if layout < 0.45:
        # "specky, scruffy-faced geezer w/ ..."
        subject = ", ".join(pre + [noun]) if pre else noun
        return subject + (" " if post else "") + ", ".join(post), named_by_noun
    if layout < 0.6:
        # traits first, then the person: "in a bottle green tee and topped with a hat - that's the geezer"
        lead = rng.choice(["that is the " + noun, "thats the " + noun, "for " + _a(noun), "make it " + _a(noun)])
        return f"{', '.join(pre + post)}{rng.choice([' - ', ', '])}{lead}", named_by_noun
    if layout < 0.75:
        ask = rng.choice(["could you do ", "can i get ", "please model ", "3d person: ", "looking for "])
        subject = " ".join(pre + [noun])
        return (f"{ask}{_a(subject)}" + (" " + " and ".join(post) if post else "") + rng.choice(["?", "", " thx"]),
                named_by_noun)
    subject = " ".join(pre + [noun])
    return _a(subject) + (" " if post else "") + rng.choice([", ", " and ", " + "]).join(post), named_by_noun


def gender_word(text):
    """The word by which a prompt names the gender: "tag (man)" / "tag (woman)" for a key-value tag
    ("sex: M"), else the longest of GENDER_WORDS it holds as a word ("my gran" before "gran", "old geezer"
    before "geezer"); None where no word names it."""
    tag = GENDER_TAG.search(text)
    if tag:
        return f"tag ({TAG_GENDER[tag.group(1).lower()]})"
    return longest_word(text, GENDER_WORDS)


def longest_word(text, words):
    """The longest of WORDS (ties: alphabetical) that TEXT holds as a whole word, case-insensitive and not inside a
    longer hyphenated word ("grey" is not in "ash-grey"); None where none is."""
    lowered = text.lower()
    for word in sorted(words, key=lambda w: (-len(w), w.lower())):
        if re.search(r"(?<![\w-])" + re.escape(word.lower()) + r"(?![\w-])", lowered):
            return word
    return None


def normalise(text):
    """Case-insensitive, whitespace-normalised form used for the overlap check."""
    return " ".join(text.lower().split())


def _styled(text, rng):
    r = rng.random()
    if r < 0.15:
        return text.upper() if len(text) < 60 else text.title()
    if r < 0.5:
        return text[:1].upper() + text[1:]
    return text


def validation_prompts(records, seed=7, forbidden=None, attempts=20):
    """records: [(index, captions.jsonl record)] of held-out avatars; forbidden: set of normalised
    texts no prompt may equal. -> ([{'prompt', 'expected', 'index'}], redrawn count)."""
    from attribute_reader import reader_labels
    rng = random.Random(f"validation:{seed}")
    forbidden = forbidden or set()
    out, seen, redrawn = [], set(), 0
    for index, record in records:
        named = teacher_labels(record)
        labels = {**reader_labels(record), "hair_colour": record["attributes"]["hair_colour"],
                  "top_garment": named["top_garment"], "bottom_garment": named["bottom_garment"]}
        for attempt in range(attempts):
            prompt, expected = make_prompt(labels, record["attributes"], rng)
            prompt = _styled(re.sub(r"\s+", " ", prompt).strip(), rng)
            key = normalise(prompt)
            if key not in forbidden and key not in seen:
                break
            redrawn += 1
        if labels["hair_length"] == "bald":
            expected.pop("hair_colour", None)  # no hair: the reader's hair colour is undefined
        seen.add(key)
        out.append({"prompt": prompt, "expected": expected, "index": index})
    return out, redrawn


TRAIN_SEED = 0  # scripts/train/train.py --seed default; its rewrites of avatar i use seed * 1000003 + i


def training_texts(ds, train_ids, rewrite_count, train_seed=TRAIN_SEED):
    """Normalised captions of every dataset avatar and everyday rewrites of the training avatars:
    everyday.rewrites(record, rewrite_count, s) for s = train.py's seed of the avatar and the
    record's own seed. The first k of n rewrites are the k rewrites of the same seed, so n >= the
    trainer's count covers what it trained on."""
    from avatar_train.everyday import rewrites
    texts = set()
    for i in range(len(ds)):
        texts.update(normalise(c) for c in ds.record(i)["captions"])
    for i in train_ids:
        record = ds.record(i)
        for seed in (train_seed * 1000003 + i, record["seed"]):
            texts.update(normalise(c) for c in rewrites(record, rewrite_count, seed))
    return texts


def held_out_prompts(ds, count, seed=7, rewrite_count=16, holdout=None, train_seed=TRAIN_SEED):
    """COUNT prompts for the last HOLDOUT (default COUNT) avatars of dataset DS, one per avatar in turn,
    checked against the captions and the training avatars' rewrites. -> (prompts, report dict)."""
    holdout = holdout or count
    held = list(range(len(ds) - holdout, len(ds)))
    texts = training_texts(ds, range(len(ds) - holdout), rewrite_count, train_seed)
    records = [(held[k % len(held)], ds.record(held[k % len(held)])) for k in range(count)]
    prompts, redrawn = validation_prompts(records, seed, texts)
    found = sum(normalise(p["prompt"]) in texts for p in prompts)
    named = {}
    for p in prompts:
        for k in p["expected"]:
            named[k] = named.get(k, 0) + 1
    return prompts, {"prompts": len(prompts), "held_out_avatars": f"{held[0]}..{held[-1]}",
                     "checked_against": {"dataset_captions": sum(len(ds.record(i)["captions"]) for i in range(len(ds))),
                                         "everyday_rewrites_per_training_avatar": rewrite_count,
                                         "rewrite_seeds": f"train.py seed {train_seed} * 1000003 + index, "
                                                          "and the record's seed",
                                         "training_avatars": len(ds) - holdout, "distinct_texts": len(texts)},
                     "redrawn_because_seen": redrawn, "found_in_training_texts": found, "named": named}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--holdout", type=int, default=256, help="the model's held-out avatars at the end of the "
                                                                 "dataset (train.py's default configuration: 256)")
    parser.add_argument("--train-seed", type=int, default=TRAIN_SEED, help="train.py --seed of the model")
    parser.add_argument("--rewrites", type=int, default=16,
                        help="everyday rewrites per training avatar to check against")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", help="write the prompts as JSONL")
    args = parser.parse_args()
    from avatar_train.dataset import TeacherDataset
    prompts, report = held_out_prompts(TeacherDataset(args.data), args.count, args.seed, args.rewrites, args.holdout,
                                       args.train_seed)
    if args.out:
        with open(args.out, "w") as f:
            for p in prompts:
                f.write(json.dumps(p) + "\n")
    print(json.dumps(report, indent=1))
    for p in prompts[:15]:
        print(f"  {p['prompt']!r}  {p['expected']}")
    return 1 if report["found_in_training_texts"] else 0


if __name__ == "__main__":
    sys.exit(main())
