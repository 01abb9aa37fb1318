"""Colour words with a word before them that does not change the colour, for the chooser's own captions (train.py's
stage "chooser text", config chooser_modified): "a velvet blue tee", "storm-grey hair".

People name a colour by a thing or a finish before the colour word ("cobalt blue", "ash grey", "coal-black"), and
the chooser (networks.Chooser) has only seen the modifiers its captions use: a word it has never seen before "blue"
can turn its reading to another colour altogether. These captions put one of MODIFIERS before each colour word, at
random, so that the colour word decides what is read. The modifiers are words that leave the colour's class as it
is; they were written for this module, and every one the evaluation's prompt writer (scripts/eval/validation_prompts.py)
uses is left out, so that its figures still measure modifiers no training caption uses (tests/train/everyday_test.py
checks both that and that the keyword table reads nothing false in these captions).
"""

# Finishes, moods, seasons, materials and places: none names a hue, a shade (light, dark, pale, deep) or an attribute
# a caption reads ("clean" would read as clean-shaven, "plain" as a plain top, "natural" as a hair style).
MODIFIERS = ["rich", "soft", "muted", "dusty", "bold", "faded", "washed-out", "warm", "cool", "glossy", "matte",
             "shiny", "vivid", "mellow", "smart", "vintage", "retro", "summer", "winter", "autumn", "spring", "river",
             "lake", "storm", "velvet", "silk", "satin", "canvas", "marble", "berry", "meadow", "garden", "harbour",
             "feather", "petal", "crayon", "poster", "city", "harvest", "festival", "jewel", "signal", "racing",
             "school", "studio"]



def modified(plain):
    """{value: every word of PLAIN's value with every modifier before it} for every value of plain (everyday.COLOUR
    or everyday.HAIR_COLOUR): a caption draws one of them at random. A one-word colour takes it with a space or a
    hyphen, as people write both ("storm blue", "storm-blue"); a colour of more words with a space ("storm navy
    blue")."""
    return {value: [f"{m}{s}{w}" for w in words for m in MODIFIERS for s in separators(w)]
            for value, words in plain.items()}


def separators(word):
    """How a modifier joins WORD: " " or "-" before one word, " " alone before a compound ("sky blue", "jet-black")."""
    return (" ",) if (" " in word or "-" in word) else (" ", "-")
