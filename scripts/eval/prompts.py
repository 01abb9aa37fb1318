"""Validation prompts written in phrasings of their own (not the teacher's caption writer), each
naming a few attributes of a held-out avatar; the attributes it names are the expectations."""
import random

BUILD_WORDS = {"slim": ["skinny", "thin", "slender", "lean"], "heavyset": ["chubby", "stout", "overweight", "plump"],
               "muscular": ["athletic", "buff", "well-built", "brawny"]}
LENGTH_WORDS = {"short": ["short", "cropped", "close-cut"], "medium": ["chin-length", "medium-length", "mid-length"],
                "long": ["long", "flowing", "very long"]}
GENDER_WORDS = {"man": ["man", "guy", "gentleman", "male", "dude"], "woman": ["woman", "lady", "female", "gal"]}
TOP_WORDS = {"t-shirt": ["tee", "t-shirt"], "shirt": ["button-down", "shirt"], "jacket": ["blazer", "jacket"],
             "sweatshirt": ["pullover", "sweatshirt"], "crop top": ["crop top"], "suit": ["suit", "two-piece suit"]}
OUTFIT_TOPS = {"female_casualsuit01": "t-shirt", "female_casualsuit02": "t-shirt", "female_elegantsuit01": "jacket",
               "female_sportsuit01": "crop top", "male_casualsuit01": "shirt", "male_casualsuit03": "shirt",
               "male_casualsuit02": "sweatshirt", "male_casualsuit04": "t-shirt", "male_casualsuit06": "t-shirt",
               "male_casualsuit05": "jacket", "male_elegantsuit01": "suit", "male_worksuit01": "t-shirt"}
OPENERS = ["", "", "portrait of ", "3d character: ", "render a ", "i need ", "full-body avatar of "]


def article(phrase):
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def make_prompt(labels, outfit, rng):
    """labels: {attribute: class} of one avatar -> (prompt, {attribute: expected class})."""
    expected = {"gender": labels["gender"]}
    noun = rng.choice(GENDER_WORDS[labels["gender"]])
    adjectives = []
    if labels["build"] in BUILD_WORDS and rng.random() < 0.5:
        adjectives.append(rng.choice(BUILD_WORDS[labels["build"]]))
        expected["build"] = labels["build"]
    parts = []
    if labels["hair_length"] == "bald":
        if rng.random() < 0.8:
            parts.append(rng.choice(["bald", "with a shaved head", "with no hair"]))
            expected["hair_length"] = "bald"
    elif rng.random() < 0.9:
        length = rng.random() < 0.6
        colour = labels["hair_colour"]
        words = (rng.choice(LENGTH_WORDS[labels["hair_length"]]) + " " if length else "") + colour
        parts.append(rng.choice(["with {} hair", "who has {} hair", "sporting {} hair"]).format(words))
        expected["hair_colour"] = colour
        if length:
            expected["hair_length"] = labels["hair_length"]
    if rng.random() < 0.85:
        top = rng.choice(TOP_WORDS[OUTFIT_TOPS[outfit]])
        colour = labels["top_colour"]
        parts.append(rng.choice(["dressed in {}", "in {}", "wearing {}", "who has on {}"]).format(
            article(colour + " " + top)))
        expected["top_colour"] = colour
    if labels["glasses"] != "none" and rng.random() < 0.7:
        parts.append(rng.choice(["with spectacles", "wearing glasses", "with eyeglasses", "in specs"]))
        expected["glasses"] = "yes"
    elif labels["glasses"] == "none" and rng.random() < 0.2:
        parts.append(rng.choice(["no glasses", "without spectacles"]))
        expected["glasses"] = "no"
    if labels["gender"] == "man":
        if labels["facial_hair"] == "beard" and rng.random() < 0.7:
            parts.append(rng.choice(["with a full beard", "with a thick beard", "bearded"]))
            expected["beard"] = "yes"
        elif labels["facial_hair"] == "none" and rng.random() < 0.3:
            parts.append(rng.choice(["clean-shaven", "with no beard"]))
            expected["beard"] = "no"
    rng.shuffle(parts)
    subject = article(" ".join(adjectives + [noun]))
    prompt = rng.choice(OPENERS) + subject + (" " + ", ".join(parts) if parts else "")
    return prompt, expected


def validation_prompts(records, labels_of, seed):
    """[(prompt, expected, source avatar index)] for held-out records."""
    rng = random.Random(seed)
    out = []
    for index, record in records:
        labels = labels_of(record["attributes"])
        prompt, expected = make_prompt(labels, record["attributes"]["outfit"], rng)
        out.append((prompt, expected, index))
    return out
