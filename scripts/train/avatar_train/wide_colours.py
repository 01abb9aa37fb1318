"""A wider colour vocabulary for the chooser's own captions (train.py's stage "chooser text"): fashion and
hairdressing colour names beside everyday.py's plain ones, each keyed by the teacher's palette value it stands for
(attributes.PALETTE for clothes, the hair colours for hair).

The chooser (networks.Chooser) learns a colour from the words its captions use; everyday.py has a few per colour,
and a colour word no caption uses it reads only by the text encoder's likeness to those. These captions are the everyday rewrites drawn with
each colour's plain words and these together (everyday.rewrites(..., wide=True)). Written for this module; every
word the evaluation's prompt writer (scripts/eval/validation_prompts.py) also uses is left out, so that its figures
still measure colour words no training caption uses (tests/train/everyday_test.py checks it).
"""

# A garment's words leave out hair colours' own words ("copper", "platinum", "lilac"), which name the hair, and words
# that mean something else in a caption ("buff", "old gold"); tests/train/everyday_test.py reads them back.
CLOTHES = {  # palette value -> further words for a garment of that colour
    "black": ["coal black", "onyx", "inky", "midnight black"],
    "white": ["optic white", "pearl white", "pure white", "crisp white"],
    "grey": ["dove grey", "light grey", "mid-grey", "grey marl"],
    "charcoal": ["slate", "anthracite", "smoke grey", "iron grey", "dark slate"],
    "navy": ["ink blue", "marine blue", "dark indigo", "navy-ink"],
    "blue": ["denim blue", "electric blue", "ultramarine", "true blue", "ocean blue"],
    "light blue": ["duck-egg blue", "periwinkle", "aqua", "forget-me-not blue", "arctic blue"],
    "teal": ["turquoise", "petrol blue", "peacock blue", "aquamarine"],
    "green": ["forest green", "jade", "apple green", "lime", "pine green"],
    "olive": ["sage", "sage green", "fern green", "military green", "olive drab", "camo green"],
    "khaki": ["camel", "desert tan", "light tan", "sandy tan"],
    "beige": ["taupe", "ecru", "nude", "sandstone", "mushroom"],
    "cream": ["bone", "buttermilk", "alabaster", "natural white", "champagne"],
    "brown": ["espresso", "walnut", "tobacco", "chestnut", "toffee", "coffee", "cinnamon"],
    "burgundy": ["merlot", "garnet", "cranberry", "dark cherry", "beetroot", "mulberry"],
    "red": ["cherry", "ruby", "brick red", "poppy red", "lipstick red", "vermilion"],
    "orange": ["rust", "burnt orange", "terracotta", "apricot", "amber", "marigold", "mandarin", "flame orange"],
    "yellow": ["butter yellow", "ochre", "primrose", "saffron", "lemon yellow", "mustard yellow"],
    "pink": ["magenta", "hot pink", "coral pink", "rose", "dusty pink"],
    "purple": ["orchid", "mauve", "deep purple", "royal purple", "ultraviolet", "heather purple"],
    "gold": ["metallic gold", "gilt", "brass", "bronze", "antique gold"],
    "silver": ["steel", "quicksilver", "silvery", "metallic", "silver-tone"],
}

HAIR = {  # teacher hair colour -> further words for hair of that colour
    "black": ["blue-black", "onyx", "inky", "midnight black"],
    "dark brown": ["espresso", "dark chocolate", "deep chestnut", "coffee-brown"],
    "brown": ["hazel", "walnut", "toffee", "nutmeg"],
    "auburn": ["henna", "mahogany", "rust-coloured", "copper-red"],
    "red": ["fire-red", "scarlet", "cherry red", "vivid red", "bright red"],
    "blonde": ["honey", "butter blonde", "ash blonde", "dirty blonde", "wheat-coloured"],
    "platinum": ["ice blonde", "silver blonde", "bleach blonde", "platinum-white"],
    "grey": ["iron grey", "dove grey", "smoky grey", "storm grey", "pepper-grey"],
    "white": ["silver-white", "bone-white", "frosty white", "pearly white"],
    "blue": ["ocean blue", "royal blue", "cyan"],
    "pink": ["magenta", "rose", "candyfloss pink"],
    "green": ["forest green", "jade", "toxic green"],
    "purple": ["plum", "mauve", "orchid", "ultraviolet"],
}


def widened(plain, further):
    """{value: plain words + further words} for every value of plain (everyday.COLOUR or everyday.HAIR_COLOUR)."""
    return {value: list(words) + further.get(value, []) for value, words in plain.items()}
