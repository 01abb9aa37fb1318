"""Everyday rewrites of a teacher avatar: captions in the words people use when they describe
someone, next to the teacher's own captions (tools/synth/src/captions.cpp).

    rewrite(record, rng) -> str                 one caption
    rewrites(record, count, seed) -> [str]      COUNT distinct captions, deterministic in SEED
    complete(text, record, rates, seed) -> str  TEXT with the colours it leaves out added, at RATES

`record` is a captions.jsonl record: its 'attributes' and the teacher's derived 'labels'. A
rewrite names the person by a noun of its gender ("nan", "hubby"), now and then as a relative ("my
wife"), or in one rewrite of ten by a noun that leaves the gender open ("someone", "an adult", "a
senior"; with "they"), which a third of those name after all by "male" or "female". It mentions a
random subset of the avatar's facets (gender and age words, build, height, hair colour and cut, facial
hair, glasses, hat, top, bottom, shoes, now and then skin and eyes), each in one of many everyday
phrasings ("lass", "granddad", "carrot-top", "salt-and-pepper", "portly", "wiry", "jumper",
"kicks", "bespectacled", "five-o'clock shadow", "clean-shaven", "no specs"), in free order, as a
sentence or as fragments ("ginger hair, specs, navy jumper"), with random capitals and occasional
typos (never inside a negation, so "no glasses" stays a negation).

Everything a rewrite says is true of the avatar: every word table below is keyed by the teacher's
canonical values, and words that need more than one fact carry their condition (a "granddad" is
a man of 65 or more, "lanky" needs slim and tall, "shades" only aviators, "blue jeans" only blue
ones). tests/train/everyday_test.py checks it with its own keyword table.

The word tables are written for this module and kept apart from the teacher's vocabulary and from
the evaluation's prompt writer (scripts/eval/validation_prompts.py), which uses other words.
"""
import random
import re

from . import colour_modifiers, wide_colours, wide_lengths
from .word_search import names
from .attributes import labels


# ---- people --------------------------------------------------------------------------------
# Person nouns: (words, condition on (gender, age in years)).
PEOPLE = {
    "man": [
        (["man", "guy", "bloke", "fella", "chap", "gent", "dude"], lambda age: True),
        (["lad", "young man", "young lad", "young fella", "young guy"], lambda age: age < 30),
        (["teenage boy", "teen lad", "teenager"], lambda age: age < 20),
        (["granddad", "grandpa", "gramps", "old man", "old fella", "old-timer", "pensioner", "OAP",
          "elderly gent", "old chap", "senior gent"], lambda age: age >= 65),
        (["middle-aged man", "middle-aged bloke", "middle-aged guy"], lambda age: 45 <= age < 65),
        (["gentleman", "mister", "husband", "hubby", "boyfriend"], lambda age: age >= 20),
        (["father", "papa", "daddy"], lambda age: age >= 25),
        (["grampa", "old gentleman", "elderly man", "grandpapa"], lambda age: age >= 65),
    ],
    "woman": [
        (["woman", "lady", "gal"], lambda age: True),
        (["lass", "girl", "young woman", "young lass", "young lady"], lambda age: age < 30),
        (["teenage girl", "teen girl", "teenager"], lambda age: age < 20),
        (["grandma", "granny", "nana", "old lady", "old woman", "pensioner", "OAP", "elderly lady",
          "senior lady"], lambda age: age >= 65),
        (["middle-aged woman", "middle-aged lady"], lambda age: 45 <= age < 65),
        (["wife", "girlfriend", "lady friend", "gentlewoman"], lambda age: age >= 20),
        (["mother", "mama", "mummy", "mam"], lambda age: age >= 25),
        (["nan", "nanna", "grandmama", "elderly woman", "old biddy"], lambda age: age >= 65),
    ],
}
# Nouns that leave the gender open, for captions that do not say it (about one in ten rewrites): a
# prompt that names no gender should not always give a man. (words, condition on age)
OPEN_PEOPLE = [
    (["person", "someone", "somebody", "adult", "individual", "human", "character", "figure"], lambda age: True),
    (["young person", "young adult", "young one"], lambda age: age < 30),
    (["senior", "senior citizen", "elderly person", "old person", "pensioner", "OAP"], lambda age: age >= 65),
    (["middle-aged person", "middle-aged adult"], lambda age: 45 <= age < 65),
]
OPEN_RATE = 0.1         # the share of rewrites that leave the gender open (a tenth keeps gendered ones the norm)
OPEN_GENDER_RATE = 0.3  # of those, the share that name it after all by an adjective: "a female character"
GENDER_ADJ = {"man": ["male"], "woman": ["female"]}
# Relatives: "my nan with white hair in a cardigan". (noun, lowest age, highest age) per gender
RELATIVES = {
    "man": [("husband", 20, 99), ("boyfriend", 18, 50), ("son", 18, 45), ("nephew", 18, 40), ("grandpa", 65, 99),
            ("father", 40, 99), ("stepdad", 35, 75), ("grandson", 18, 35)],
    "woman": [("wife", 20, 99), ("girlfriend", 18, 50), ("daughter", 18, 45), ("niece", 18, 40), ("nan", 65, 99),
              ("mother", 40, 99), ("stepmum", 35, 75), ("granddaughter", 18, 35)],
}
RELATIVE_RATE = 0.06    # the share of rewrites whose person is a relative
PRONOUN = {"man": ("he", "his", "he's"), "woman": ("she", "her", "she's"), "open": ("they", "their", "they're")}
DECADE_WORDS = {20: "twenties", 30: "thirties", 40: "forties", 50: "fifties", 60: "sixties", 70: "seventies",
                80: "eighties"}
SOMETHING = {20: "twentysomething", 30: "thirtysomething", 40: "fortysomething", 50: "fiftysomething",
             60: "sixtysomething"}

BUILD = {
    "slim": ["skinny", "slim", "wiry", "slender", "thin", "twiggy", "slight"],
    "heavyset": ["portly", "stocky", "chubby", "tubby", "plump", "chunky", "heavy-set", "big-bellied", "well-padded"],
    "muscular": ["beefy", "buff", "ripped", "brawny", "hench", "muscly", "built", "well-muscled"],
    "average": ["average-built", "medium-built", "regular-sized", "normal-sized"],
}
BUILD_PHRASE = {  # after the noun or as a fragment
    "slim": ["thin as a rake", "on the skinny side", "slim build"],
    "heavyset": ["on the heavy side", "a bit of a belly", "carrying some weight", "heavy build"],
    "muscular": ["built like a tank", "gym-built", "muscular build"],
    "average": ["average build", "medium build", "normal build"],
}
HEIGHT = {"tall": ["tall", "towering", "tallish", "long-legged"],
          "short": ["short", "shortish", "little", "pint-sized"]}

# ---- hair ----------------------------------------------------------------------------------
HAIR_COLOUR = {
    "black": ["black", "jet-black", "raven", "raven-black", "inky black", "jet black"],
    "dark brown": ["dark brown", "brunette", "chocolate-brown", "dark chestnut", "deep brown"],
    "brown": ["brown", "mousy brown", "mousy", "light brown", "chestnut", "mid-brown"],
    "auburn": ["auburn", "copper", "coppery", "reddish-brown", "auburn-red"],
    "red": ["red", "ginger", "carrot-coloured", "fiery red", "flame-red", "carroty"],
    "blonde": ["blonde", "blond", "flaxen", "golden", "honey-blonde", "sandy blonde", "golden blonde"],
    "platinum": ["platinum blonde", "platinum", "bleached-blonde", "peroxide blonde", "white-blonde"],
    "grey": ["grey", "gray", "salt-and-pepper", "silver", "greying", "silvery grey", "steel-grey"],
    "white": ["white", "snow-white", "snowy", "snowy white", "pure white"],
    "blue": ["blue", "electric blue", "dyed blue", "bright blue"],
    "pink": ["pink", "bubblegum pink", "hot pink", "pastel pink", "dyed pink"],
    "green": ["green", "neon green", "dyed green", "lime green"],
    "purple": ["purple", "lilac", "violet", "dyed purple"],
}
HAIR_COMPOUND = {  # "<word> woman", "a <word>"
    "black": ["raven-haired", "black-haired"], "dark brown": ["dark-haired", "brunette"],
    "brown": ["brown-haired"], "auburn": ["auburn-haired"], "red": ["ginger-haired", "red-headed", "ginger"],
    "blonde": ["fair-haired", "blonde-haired", "blond-haired"], "platinum": ["platinum-haired"],
    "grey": ["grey-haired", "gray-haired", "silver-haired"], "white": ["white-haired", "snowy-haired"],
    "blue": ["blue-haired"], "pink": ["pink-haired"], "green": ["green-haired"], "purple": ["purple-haired"],
}
HAIR_NICKNAME = {  # nouns that stand for a person with that hair: (words, gender or None for either)
    "red": [(["carrot-top", "redhead", "ginger"], None)],
    "blonde": [(["blonde"], "woman")],
    "dark brown": [(["brunette"], "woman")],
    "grey": [(["silver fox"], "man")],
}
# hair_style kind -> the cut as "words before the colour|the rest": "a long|braid" becomes "a long
# braid" or, with a colour, "a long ginger braid". Each cut implies its length.
CUT = {
    "short": ["short|hair", "cropped|hair", "close-cropped|hair", "a|buzz cut", "a|crew cut", "a short|crop",
              "short-cut|hair", "a short|haircut"],
    "bob": ["a|bob", "bobbed|hair", "a chin-length|bob", "a blunt|bob", "a neat|bob", "a|bob cut"],
    "afro": ["an|afro", "a big|afro", "a|'fro", "a natural|afro", "big curly|hair", "an|afro hairdo"],
    "braid": ["a|braid", "a long|braid", "a|plait", "a long|plait", "braided|hair", "a single|braid"],
    "ponytail": ["a|ponytail", "a|pony tail", "a long|ponytail", "a high|ponytail", "|hair tied back in a ponytail"],
    "loose": ["long|hair", "long flowing|hair", "a long|mane", "long|locks", "long loose|hair",
              "|hair down past the shoulders"],
}
CUT_GENDERED = {("short", "woman"): ["a|pixie cut", "a short|pixie crop"],
                ("short", "man"): ["a|short back and sides", "a|buzzcut"]}
LENGTH_WORD = {"short": ["short", "cropped", "short-cropped", "ear-length", "shorn", "closely cropped"],
               "medium": ["chin-length", "medium-length", "shoulder-length", "neck-length", "medium", "mid-neck"],
               "long": ["long", "flowing", "long flowing", "waist-length", "extra-long", "hip-length", "super long"]}
BALD = ["bald", "a shaved head", "a cue-ball head", "a shiny bald head", "bald as a coot", "no hair", "a bald head",
        "a clean-shaven head", "a bald dome"]
BALD_ADJ = ["bald", "bald-headed", "shaven-headed"]

FACIAL = {
    "none": ["clean-shaven", "clean shaven", "no beard", "beardless", "no facial hair"],
    "stubble": ["stubble", "a five-o'clock shadow", "a bit of stubble", "designer stubble", "unshaven", "stubbly",
                "scruffy stubble", "a stubbly chin"],
    "moustache": ["a moustache", "a mustache", "a 'tache", "a tash", "a moustache but no beard", "a big moustache",
                  "mustachioed", "a mustache and no beard"],
    "beard": ["a full beard", "a beard", "a bushy beard", "bearded", "a thick beard", "a big beard", "a full-on beard"],
}
FACIAL_NEGATIVE = {"none"}  # phrases that state an absence: never given typos

GLASSES_ANY = ["glasses", "specs", "spectacles", "eyeglasses", "bespectacled", "wearing specs", "in glasses"]
GLASSES_KIND = {
    "round": ["round glasses", "round specs", "round-rimmed glasses", "little round glasses", "circular specs"],
    "rectangular": ["rectangular glasses", "square specs", "square-framed glasses", "boxy frames", "rectangular specs"],
    "aviator": ["aviators", "aviator glasses", "aviator specs", "shades", "aviator shades"],
}
GLASSES_NONE = ["no glasses", "no specs", "without glasses", "glasses-free", "no spectacles"]

HAT_YES = ["a hat", "a fedora", "a trilby", "a brimmed hat", "a smart hat", "a felt fedora"]
HAT_NONE = ["no hat", "hatless", "bareheaded", "bare-headed", "without a hat"]
# The teacher makes one hat (a brimmed felt one), and the captions above name it as such; people name theirs by its
# kind. The chooser's own captions (train.py chooser_captions, config chooser_headwear) call a hatted avatar's hat by
# these, and a bearded one's beard by BEARD_OTHER, so that "a cap" or "a goatee" draws the teacher's nearest part
# (a chooser trained without them reads "a man in a flat cap" as no hat at 0.96). The denoiser's captions never use
# them. "A top hat" is left out: "top" is a garment's word.
HEADWEAR = ["a cap", "a baseball cap", "a flat cap", "a peaked cap", "a beanie", "a woolly hat", "a knitted hat",
            "a beret", "a bowler hat", "a cowboy hat", "a sun hat", "a panama hat", "a bucket hat", "a newsboy cap",
            "a boater", "a pork pie hat", "a wool cap", "a beanie hat"]
BEARD_OTHER = ["a goatee", "a goatee beard", "a chin beard"]  # grooming words ("a trimmed beard", "a neat beard")
# were tried too: the chooser then read the validation prompts' "freshly shaved" and "with a shaved face" as facial hair
FACIAL_OTHER = {**FACIAL, "beard": BEARD_OTHER}  # the facial-hair words of the captions that use BEARD_OTHER
OTHER_HEADWEAR_WORDS = [w.split(" ", 1)[1] for w in HEADWEAR + BEARD_OTHER]  # without their article: "flat cap"

# ---- clothes -------------------------------------------------------------------------------
COLOUR = {  # the clothing palette (attributes.PALETTE)
    "black": ["black", "jet black"], "white": ["white", "bright white"], "grey": ["grey", "gray", "heather grey"],
    "charcoal": ["charcoal", "dark grey", "dark gray", "slate grey"], "navy": ["navy", "navy blue", "dark blue"],
    "blue": ["blue", "royal blue", "bright blue"], "light blue": ["light blue", "baby blue", "sky blue", "powder blue"],
    "teal": ["teal", "blue-green", "dark turquoise"], "green": ["green", "emerald", "kelly green", "grass-green"],
    "olive": ["olive", "olive green", "army green"], "khaki": ["khaki", "tan"],
    "beige": ["beige", "sand-coloured", "stone-coloured"], "cream": ["cream", "off-white", "ivory"],
    "brown": ["brown", "chocolate", "chocolate brown", "coffee-coloured"],
    "burgundy": ["burgundy", "maroon", "wine", "claret", "oxblood"], "red": ["red", "scarlet", "crimson", "cherry red"],
    "orange": ["orange", "tangerine", "bright orange"], "yellow": ["yellow", "mustard", "lemon", "canary yellow"],
    "pink": ["pink", "rose pink", "salmon pink"], "purple": ["purple", "violet", "plum"],
    "gold": ["gold", "golden"], "silver": ["silver", "metallic silver"],
}
PATTERN = {"stripes": ["striped", "stripy", "stripey"], "checks": ["checked", "check", "plaid", "tartan", "checkered"],
           "dots": ["polka-dot", "spotty", "dotted"]}
TOP = {
    "t-shirt": ["t-shirt", "tee", "tshirt", "T-shirt", "t shirt", "short-sleeved tee"],
    "shirt": ["shirt", "button-up", "button-up shirt", "collared shirt", "button-down"],
    "sweatshirt": ["sweatshirt", "jumper", "sweater", "pullover", "long-sleeved top", "crewneck", "hoodie"],
    "jacket": ["jacket", "blazer", "fitted jacket"],
    "crop top": ["crop top", "cropped top", "sports top", "gym top", "workout top"],
    "suit": ["suit", "two-piece suit", "business suit", "suit and tie", "smart suit"],
}
BOTTOM = {
    "jeans": ["jeans", "denims", "denim jeans", "trousers", "pants"],
    "shorts": ["shorts", "denim shorts", "cut-offs"],
    "skirt": ["skirt", "pencil skirt"],
    "leggings": ["leggings", "yoga pants", "gym leggings"],
    "overalls": ["overalls", "dungarees", "work overalls", "bib overalls"],
    "suit": ["trousers", "slacks", "suit trousers", "pants"],
}
SHOES = {
    "sneakers": ["trainers", "sneakers", "kicks", "runners", "running shoes"],
    "leather shoes": ["brogues", "lace-ups", "leather shoes", "leather lace-ups"],
    "dress shoes": ["dress shoes", "formal shoes", "smart shoes", "oxfords", "shiny shoes"],
}
PLURAL = {"jeans", "denims", "denim jeans", "trousers", "pants", "shorts", "denim shorts", "cut-offs", "leggings",
          "yoga pants", "gym leggings", "overalls", "dungarees", "work overalls", "bib overalls", "slacks",
          "suit trousers"}
SKIN = {"light": ["pale", "fair-skinned", "pale-skinned"], "medium": ["olive-skinned", "tanned", "olive-toned"],
        "dark": ["dark-skinned", "brown-skinned", "deep-brown-skinned"]}
EYES = {"brown": ["brown eyes", "brown-eyed"], "blue": ["blue eyes", "baby blues", "blue-eyed"],
        "green": ["green eyes", "green-eyed"], "grey": ["grey eyes", "grey-eyed"],
        "hazel": ["hazel eyes", "hazel-eyed"]}

# ---- layout --------------------------------------------------------------------------------
OPENERS = ["", "", "", "", "", "picture ", "imagine ", "make me ", "give me ", "i want ", "i'd like ", "need ",
           "avatar: ", "character - ", "someone like ", "draw me ", "just ", "how about "]
LIST_OPENERS = ["", "", "", "avatar: ", "character - ", "description: ", "look: ", "traits: "]  # before fragments
WITH = ["with", "with", "who has", "w/", "sporting", "that has", "who's got"]
WEAR = ["in", "in", "wearing", "wearing", "dressed in", "got up in", "rocking", "who wears"]
JOIN = [", ", ", ", ", ", "; ", " + ", " / ", " - ", ". "]
TYPO_RATE = 0.25       # chance that a rewrite carries a typo (a second one at a fifth of that)
TYPO_KEYS = "qwertyuiopasdfghjklzxcvbnm"


class _Piece:
    """A phrase and how it attaches: 'adj' before the person noun, 'with'/'wear' items, or
    'frag' (stands alone). protect: no typos (negations)."""

    def __init__(self, text, kind, protect=False):
        self.text, self.kind, self.protect = text, kind, protect


def _article(phrase):
    """'a'/'an' before PHRASE unless it is plural ("navy slacks") or has its article already."""
    low = phrase.lower()
    first = low.split()[0]
    if first in ("a", "an", "no", "my") or any(low == p or low.endswith(" " + p) for p in PLURAL):
        return phrase
    return ("an " if first[0] in "aeiou8" and not first.startswith(("uni", "eu", "one")) else "a ") + phrase


def _facts(record, words="plain", lengths="plain"):
    """The avatar's facets by everyday name, the colour words to name its colours by: COLOUR_WORDS[words]
    (everyday's plain ones; "wide": those and wide_colours.py's; "modified": the plain ones after a
    colour_modifiers.py word), and the hair's length words: LENGTH_WORDS[lengths] ("plain": LENGTH_WORD; "wide":
    those and wide_lengths.py's)."""
    if words not in COLOUR_WORDS:
        raise ValueError(f"everyday: colour words {words!r}: expected one of {sorted(COLOUR_WORDS)}")
    if lengths not in LENGTH_WORDS:
        raise ValueError(f"everyday: length words {lengths!r}: expected one of {sorted(LENGTH_WORDS)}")
    colours, hair_colours = COLOUR_WORDS[words]
    a, named = record["attributes"], labels(record)
    top, bottom = named["top_garment"], named["bottom_garment"]
    return {
        "gender": named["gender"], "age": int(a["age_years"]), "build": named["build"], "height": named["height"],
        "hair_length": named["hair_length"], "hair_style": named["hair_style"], "hair_colour": a["hair_colour"],
        "facial_hair": a["facial_hair"], "glasses": a["glasses"], "glasses_colour": a["glasses_colour"],
        "hat": bool(a["hat"]), "hat_colour": a["hat_colour"], "top": top, "bottom": bottom,
        "top_colour": a["top_colour"], "bottom_colour": a["bottom_colour"], "pattern": a["top_pattern"],
        "shoes": named["shoes"], "shoes_colour": a["shoes_colour"], "skin": named["skin_tone"],
        "eyes": a["eye_colour"],
        "colours": colours, "hair_colours": hair_colours, "length_words": LENGTH_WORDS[lengths],
        "other_headwear": bool(record.get("other_headwear")),
        "hat_words": HEADWEAR if record.get("other_headwear") else HAT_YES,
        "facial_words": FACIAL_OTHER if record.get("other_headwear") else FACIAL,
    }


def _person(f, rng):
    """(noun phrase without article, pieces it already covers: {'age'}). A relative ("my nan") now and
    then; with f['voice'] "open", a noun that leaves the gender open."""
    if f["voice"] != "open" and rng.random() < RELATIVE_RATE:
        kin = [noun for noun, low, high in RELATIVES[f["gender"]] if low <= f["age"] <= high]
        if kin:
            return "my " + rng.choice(kin), "age"
    options = []
    for words, cond in (OPEN_PEOPLE if f["voice"] == "open" else PEOPLE[f["gender"]]):
        if cond(f["age"]):
            options.append(words)
    group = rng.choice(options)
    return rng.choice(group), ("age" if group is not options[0] else None)


def _age_pieces(f, rng):
    age, pron = f["age"], PRONOUN[f["voice"]]
    decade = age // 10 * 10
    out = []
    if decade in DECADE_WORDS:  # none for 90
        pos = "early " if age % 10 <= 3 else "late " if age % 10 >= 7 else "mid-" if rng.random() < 0.5 else ""
        out.append(_Piece(f"in {pron[1]} {pos}{DECADE_WORDS[decade]}", "after"))
        out.append(_Piece(f"in {pron[1]} {decade}s", "after"))
    if decade in SOMETHING:
        out.append(_Piece(SOMETHING[decade], "adj"))
    out.append(_Piece(f"{age}-year-old", "adj", protect=True))
    out.append(_Piece(f"{age} years old", "frag", protect=True))
    out.append(_Piece(f"aged {age}", "after", protect=True))
    if age >= 65:
        out += [_Piece("elderly", "adj"), _Piece("old", "adj"), _Piece("retired-looking", "adj")]
    elif age < 25:
        out += [_Piece("young", "adj"), _Piece("youthful", "adj")]
    elif 45 <= age < 65:
        out.append(_Piece("middle-aged", "adj"))
    return rng.choice(out)


def _hair_pieces(f, rng):
    colour, length, kind, gender = f["hair_colour"], f["hair_length"], f["hair_style"], f["gender"]
    if length == "bald":
        if rng.random() < 0.4:
            return _Piece(rng.choice(BALD_ADJ), "adj")
        phrase = rng.choice(BALD)
        return _Piece(phrase, "adj" if phrase in ("bald", "bald as a coot") else "with")
    c = rng.choice(f["hair_colours"][colour])
    form = rng.random()
    if form < 0.2:
        return _Piece(rng.choice(HAIR_COMPOUND[colour]), "adj")                # "raven-haired"
    if form < 0.4:
        return _Piece(f"{rng.choice(f['length_words'][length])} {c} hair", "with")  # "long ginger hair"
    if form < 0.5:
        return _Piece(f"{c} hair", "with")
    before, rest = rng.choice(CUT[kind] + CUT_GENDERED.get((kind, gender), [])).split("|")
    if form < 0.8:  # "a long ginger braid", "salt-and-pepper hair tied back in a ponytail"
        words = before.split()
        if words and words[0] in ("a", "an"):
            return _Piece(_article(" ".join(words[1:] + [c, rest])), "with")
        return _Piece(" ".join(words + [c, rest]), "with")
    if form < 0.9:
        return _Piece(f"{before} {rest}".strip(), "with")                    # "a crew cut"
    cut = f"{before} {rest}".strip()
    if cut.startswith(("a ", "an ")):
        return _Piece(f"{c} hair in {cut}", "with")                             # "grey hair in a bob"
    return _Piece(f"{c} hair, {cut}", "with")


def _facial_piece(f, rng):
    kind = f["facial_hair"]
    phrase = rng.choice(f["facial_words"][kind])
    if kind == "beard" and rng.random() < 0.35 and not f["other_headwear"]:  # "a bushy ginger beard"
        colour = rng.choice(f["hair_colours"][f["hair_colour"]])
        phrase = _article(" ".join(w for w in (rng.choice(["", "full", "thick", "bushy"]), colour, "beard") if w))
    adjective = phrase in ("clean-shaven", "clean shaven", "beardless", "unshaven", "stubbly", "mustachioed", "bearded")
    kind_of = ("adj" if rng.random() < 0.6 else "frag") if adjective else "with"
    return _Piece(phrase, kind_of, protect=kind in FACIAL_NEGATIVE)


def _glasses_piece(f, rng):
    if f["glasses"] == "none":
        return _Piece(rng.choice(GLASSES_NONE), "frag", protect=True)
    r = rng.random()
    if r < 0.2:
        return _Piece("bespectacled", "adj")
    if r < 0.45:
        phrase = rng.choice([g for g in GLASSES_ANY if g not in ("bespectacled",)])
        return _Piece(phrase, "frag" if phrase.startswith(("wearing", "in ")) else "wear")
    phrase = rng.choice(GLASSES_KIND[f["glasses"]])
    if r < 0.6 and phrase.endswith(("glasses", "specs")):
        phrase = f"{f['glasses_colour']}-rimmed {phrase.split()[-1]}"  # "gold-rimmed specs"
    return _Piece(phrase, "wear")


def _hat_piece(f, rng):
    if not f["hat"]:
        phrase = rng.choice(HAT_NONE)
        return _Piece(phrase, "adj" if phrase in ("hatless", "bareheaded", "bare-headed") else "frag", protect=True)
    phrase = rng.choice(f["hat_words"])
    if rng.random() < 0.5:
        phrase = _article(f"{rng.choice(f['colours'][f['hat_colour']])} {phrase.split(' ', 1)[1]}")
    return _Piece(phrase, "wear")


def _top_piece(f, rng):
    words = TOP[f["top"]]
    noun = rng.choice(words)
    parts = []
    if f["pattern"] != "plain" and rng.random() < 0.4:
        parts.append(rng.choice(PATTERN[f["pattern"]]))
    if rng.random() < 0.85:
        parts.append(rng.choice(f["colours"][f["top_colour"]]))
    phrase = " ".join(parts + [noun])
    if f["top"] == "suit" and noun == "suit and tie" and parts:
        phrase = " ".join(parts + ["suit and tie"])
    return _Piece(_article(phrase) if rng.random() < 0.7 else phrase, "wear")


def _bottom_piece(f, rng):
    noun = rng.choice(BOTTOM[f["bottom"]])
    colour = rng.choice(f["colours"][f["bottom_colour"]]) if rng.random() < 0.8 else ""
    if f["bottom"] == "jeans" and f["bottom_colour"] == "blue" and rng.random() < 0.3:
        colour, noun = "", "blue jeans"
    phrase = f"{colour} {noun}".strip()
    return _Piece(phrase if noun in PLURAL or noun == "blue jeans" else _article(phrase), "wear")


def _shoes_piece(f, rng):
    noun = rng.choice(SHOES[f["shoes"]])
    if rng.random() < 0.6:
        noun = f"{rng.choice(f['colours'][f['shoes_colour']])} {noun}"
    return _Piece(noun, "wear")


def _capitalise(text, rng):
    r = rng.random()
    if r < 0.4:
        return text.lower()
    if r < 0.75:
        return text[:1].upper() + text[1:]
    words = text.split(" ")
    if r < 0.85:
        return " ".join(w[:1].upper() + w[1:] for w in words)
    if r < 0.95:
        i = rng.randrange(len(words))
        words[i] = words[i].upper()
        return " ".join(words)
    return text.upper()


def _typo(word, rng):
    i = rng.randrange(len(word) - 1)
    r = rng.random()
    if r < 0.35:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]       # swapped pair
    if r < 0.6:
        return word[:i] + word[i + 1:]                               # dropped letter
    if r < 0.8:
        return word[:i] + word[i] + word[i:]                         # doubled letter
    return word[:i] + rng.choice(TYPO_KEYS) + word[i + 1:]           # wrong key


def _table_words():
    """Every word of the tables above: a typo must not turn one of them into another ("tshirt" -> "shirt")."""
    found = set()

    def walk(x):
        if isinstance(x, str):
            found.update(re.findall(r"[a-z']+", x.lower()))
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
    for table in (PEOPLE, OPEN_PEOPLE, GENDER_ADJ, RELATIVES, BUILD, BUILD_PHRASE, HEIGHT, HAIR_COLOUR, HAIR_COMPOUND,
                  HAIR_NICKNAME, CUT, CUT_GENDERED,
                  LENGTH_WORD, BALD, BALD_ADJ, FACIAL, GLASSES_ANY, GLASSES_KIND, GLASSES_NONE, HAT_YES, HAT_NONE,
                  COLOUR, PATTERN, TOP, BOTTOM, SHOES, SKIN, EYES, DECADE_WORDS, SOMETHING):
        walk(table)
    return found


def _with_typos(pieces, rng):
    """Applies at most two typos to words of 5+ letters of unprotected pieces; a typo never makes
    another word of the tables."""
    count = (rng.random() < TYPO_RATE) + (rng.random() < TYPO_RATE / 5)
    for _ in range(count):
        slots = [(k, j) for k, p in enumerate(pieces) if not p.protect
                 for j, w in enumerate(p.text.split(" ")) if re.fullmatch(r"[a-z]{5,}", w)]
        if not slots:
            return
        k, j = rng.choice(slots)
        words = pieces[k].text.split(" ")
        typo = _typo(words[j], rng)
        if typo in _WORDS:
            continue
        words[j] = typo
        pieces[k].text = " ".join(words)


def rewrite(record, rng, words="plain", lengths="plain"):
    """One everyday caption of the avatar described by RECORD (a captions.jsonl record, with its
    'attributes' and 'labels'), drawn with RNG (random.Random). Every fact it names is true of the avatar.
    words: the colour words it names colours by (_facts: "plain", "wide" or "modified"); lengths: the hair's length
    words (_facts: "plain" or "wide")."""
    f = _facts(record, words, lengths)
    # whose pronouns, and whether the noun says the gender
    f["voice"] = "open" if rng.random() < OPEN_RATE else f["gender"]
    pieces = []
    man = f["gender"] == "man"
    if f["voice"] == "open" and rng.random() < OPEN_GENDER_RATE:
        pieces.append(_Piece(rng.choice(GENDER_ADJ[f["gender"]]), "adj"))
    if f["height"] != "average" and rng.random() < 0.2:
        words = HEIGHT[f["height"]]
        if f["height"] == "tall" and f["build"] == "slim":
            words = words + ["lanky", "gangly", "beanpole"]
        if f["height"] == "short" and not man:
            words = words + ["petite"]
        pieces.append(_Piece(rng.choice(words), "adj"))
    if rng.random() < 0.3:
        if rng.random() < 0.7:
            pieces.append(_Piece(rng.choice(BUILD[f["build"]]), "adj"))
        else:
            pieces.append(_Piece(rng.choice(BUILD_PHRASE[f["build"]]), "frag"))
    if rng.random() < 0.35:
        pieces.append(_age_pieces(f, rng))
    if rng.random() < 0.75:
        pieces.append(_hair_pieces(f, rng))
    if man and rng.random() < 0.5:
        pieces.append(_facial_piece(f, rng))
    if rng.random() < (0.6 if f["glasses"] != "none" else 0.15):
        pieces.append(_glasses_piece(f, rng))
    if rng.random() < (0.7 if f["hat"] else 0.1):
        pieces.append(_hat_piece(f, rng))
    if rng.random() < 0.75:
        pieces.append(_top_piece(f, rng))
    if rng.random() < (0.4 if f["top"] != "suit" else 0.15):
        pieces.append(_bottom_piece(f, rng))
    if rng.random() < 0.25:
        pieces.append(_shoes_piece(f, rng))
    if rng.random() < 0.08:
        pieces.append(_Piece(rng.choice(SKIN[f["skin"]]), "adj"))
    if rng.random() < 0.08:
        eye = rng.choice(EYES[f["eyes"]])
        pieces.append(_Piece(eye, "adj" if eye.endswith("-eyed") else "with"))

    # the person: a noun (which may carry the age), a hair nickname, or nothing (fragments only)
    noun, covers = _person(f, rng)
    if covers == "age":
        pieces = [p for p in pieces if not (p.kind == "adj" and p.text in ("young", "youthful", "old", "elderly",
                                                                              "middle-aged"))]
    nick = [w for words, g in HAIR_NICKNAME.get(f["hair_colour"], []) if g in (None, f["voice"]) for w in words]
    if nick and f["hair_length"] != "bald" and not noun.startswith("my ") and rng.random() < 0.25:
        # "a carrot-top in a green jumper"
        noun = rng.choice(nick) + (" " + rng.choice(PEOPLE[f["gender"]][0][0])
                                   if f["voice"] != "open" and rng.random() < 0.3 else "")
    rng.shuffle(pieces)
    _with_typos(pieces, rng)
    if rng.random() < 0.12 or not pieces:
        pieces.append(_Piece(noun, "noun"))
        text = rng.choice(LIST_OPENERS) + _fragments(pieces, rng, include_noun=False)
    elif rng.random() < 0.3:
        text = rng.choice(LIST_OPENERS) + _fragments(pieces + [_Piece(_article(noun), "noun")], rng, include_noun=True)
    else:
        text = rng.choice(OPENERS) + _sentence(noun, pieces, f, rng)
    text = re.sub(r"\s+", " ", text).strip()
    if rng.random() < 0.25:
        text += rng.choice([".", ".", "!", "...", " pls", " please"])
    return _capitalise(text, rng)


def _fragments(pieces, rng, include_noun):
    """'ginger hair, specs, navy jumper' — the pieces as a list; the noun anywhere in it."""
    items = []
    for p in pieces:
        items.append(p.text)
    if include_noun:
        rng.shuffle(items)
    joiner = rng.choice(JOIN)
    return joiner.join(items)


def _sentence(noun, pieces, f, rng):
    adjectives = [p.text for p in pieces if p.kind == "adj"][:3]
    after = [p.text for p in pieces if p.kind == "after"]
    withs = [p.text for p in pieces if p.kind == "with"]
    wears = [p.text for p in pieces if p.kind == "wear"]
    frags = [p.text for p in pieces if p.kind == "frag"]
    frags += [p.text for p in pieces if p.kind == "adj"][3:]
    sep = ", " if rng.random() < 0.3 else " "
    if noun.startswith("my "):  # "my nan, tiny, white-haired": a relative takes no adjective before it
        subject = noun + (", " + ", ".join(adjectives) if adjectives else "")
    elif rng.random() < 0.85:
        subject = _article(sep.join(adjectives) + (" " if adjectives else "") + noun)
    else:
        subject = (sep.join(adjectives) + " " + noun).strip()
    if after:
        subject += " " + " ".join(after)

    def listing(items):
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + rng.choice([" and ", ", ", " & ", " + "]) + items[-1]

    parts = []
    pron = PRONOUN[f["voice"]]
    layout = rng.random()
    if withs:
        parts.append(("with", rng.choice(WITH) + " " + listing(withs)))
    if wears:
        parts.append(("wear", rng.choice(WEAR) + " " + listing(wears)))
    rng.shuffle(parts)
    if layout < 0.2 and parts:
        # "a bloke in his 50s. he's got a bushy beard and he's wearing a navy jumper"
        said = []
        for kind, _ in parts:
            items = withs if kind == "with" else wears
            if f["voice"] == "open":
                verbs = ["they have", "they've got", "they have got"] if kind == "with" else \
                    ["they're wearing", "they wear", "they're in"]
            else:
                verbs = ["{} has", "{}'s got", "{} has got"] if kind == "with" else \
                    ["{}'s wearing", "{} wears", "{}'s in"]
            said.append(rng.choice(verbs).format(pron[0]) + " " + listing(items))
        text = subject + rng.choice([". ", ", ", " - "]) + rng.choice([" and ", ", "]).join(said)
    else:
        text = subject + "".join((" " if k == 0 else rng.choice([", ", " ", " and "])) + p
                                 for k, (_, p) in enumerate(parts))
    if frags:
        text += ", " + ", ".join(frags)
    return text


def rewrites(record, count, seed, words="plain", lengths="plain"):
    """COUNT distinct everyday captions of an avatar, the same for the same SEED (an int or a string;
    the dataset record's 'seed' is a good choice); words, lengths: as rewrite's."""
    rng = random.Random(f"everyday:{seed}")
    out, seen = [], set()
    for _ in range(30 * max(count, 1)):  # redraw duplicates; the cap only bounds the work
        if len(out) >= count:
            break
        text = rewrite(record, rng, words, lengths)
        key = " ".join(text.lower().split())
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out


def swapped_top(record, rng):
    """RECORD as if its top were another garment of TOP, picked by RNG (random.Random), every other fact kept: the
    chooser's captions that pair a colour with a garment the teacher never gives it ("a purple jacket"), so that it
    reads a named colour from the colour's words whatever garment they go with (train.py chooser_captions)."""
    top = record["labels"]["top_garment"]
    other = rng.choice(sorted(g for g in TOP if g != top))
    return {**record, "labels": {**record["labels"], "top_garment": other}}


def other_headwear(record):
    """RECORD whose rewrites call its hat by HEADWEAR's words and its beard by BEARD_OTHER's, every fact kept, or None
    where it has neither (train.py chooser_captions)."""
    a = record["attributes"]
    if not a["hat"] and a["facial_hair"] != "beard":
        return None
    return {**record, "other_headwear": True}


def names_other_headwear(text):
    """Whether TEXT names a hat by HEADWEAR's words or a beard by BEARD_OTHER's."""
    return names(text.lower(), OTHER_HEADWEAR_WORDS)


def names_top_colour(text, record):
    """Whether TEXT names the top's colour in one of the words rewrite would use for it."""
    return names(text.lower(), COLOUR[record["attributes"]["top_colour"]])


def complete(text, record, rates, seed, words="plain"):
    """TEXT with a clause for each colour it does not name, added with that facet's chance in RATES
    ({"top_colour": p, "bottom_colour": p, "hair_colour": p}; missing keys are never added): ", in a
    teal jumper", ", in navy slacks", ", with ginger hair" — so that captions name the colours the
    denoiser follows worst more often, without every caption naming them (a prompt that leaves a
    colour open still has captions like it). Deterministic in SEED (an int or a string); true of the
    avatar, as the rewrites are. words: the added colours' words, as rewrite's."""
    f = _facts(record, words)
    rng = random.Random(f"complete:{seed}")
    low = text.lower()
    clauses = []
    if rng.random() < rates.get("hair_colour", 0.0) and f["hair_length"] != "bald" and not names(
            low, f["hair_colours"][f["hair_colour"]] + HAIR_COMPOUND[f["hair_colour"]]):
        clauses.append(f"with {rng.choice(f['hair_colours'][f['hair_colour']])} hair")
    wear = []
    for garment, nouns in (("top", TOP), ("bottom", BOTTOM)):
        colours = f["colours"][f[garment + "_colour"]]
        if rng.random() < rates.get(garment + "_colour", 0.0) and not names(low, colours):
            wear.append(_article(f"{rng.choice(colours)} {rng.choice(nouns[f[garment]])}"))
    if wear:
        clauses.append("in " + " and ".join(wear))
    if not clauses:
        return text
    return text.rstrip(" .!") + ", " + ", ".join(clauses)


LENGTH_WORDS = {"plain": LENGTH_WORD,  # rewrite's length words per length
                "wide": {length: LENGTH_WORD[length] + wide_lengths.LENGTHS[length] for length in LENGTH_WORD}}
COLOUR_WORDS = {  # rewrite's words: (a garment's colour words, the hair's) per value
    "plain": (COLOUR, HAIR_COLOUR),
    "wide": (wide_colours.widened(COLOUR, wide_colours.CLOTHES), wide_colours.widened(HAIR_COLOUR, wide_colours.HAIR)),
    "modified": (colour_modifiers.modified(COLOUR), colour_modifiers.modified(HAIR_COLOUR)),
}
_WORDS = _table_words()
