"""Categorical attribute labels derived from the teacher's ground truth (docs/captions.md).

The thresholds repeat tools/synth/src/attributes.cpp (gender_word, age_group, build_class,
height_class, hair_length, skin_tone); the everyday caption rewrites and the evaluation's attribute
reader both use them."""


# What each teacher outfit shows as (top garment, bottom garment), in everyday words
# (tools/synth/src/attributes.cpp, outfit_table).
OUTFIT_GARMENTS = {
    "female_casualsuit01": ("t-shirt", "jeans"), "female_casualsuit02": ("t-shirt", "shorts"),
    "female_elegantsuit01": ("jacket", "skirt"), "female_sportsuit01": ("crop top", "leggings"),
    "male_casualsuit01": ("shirt", "jeans"), "male_casualsuit02": ("sweatshirt", "jeans"),
    "male_casualsuit03": ("shirt", "jeans"), "male_casualsuit04": ("t-shirt", "jeans"),
    "male_casualsuit05": ("jacket", "jeans"), "male_casualsuit06": ("t-shirt", "jeans"),
    "male_elegantsuit01": ("suit", "suit"), "male_worksuit01": ("t-shirt", "overalls"),
}


def hair_style_kind(style):
    if style == "none":
        return "none"
    if style.startswith("short"):
        return "short"
    if style.startswith("bob"):
        return "bob"
    return {"afro01": "afro", "braid01": "braid", "ponytail01": "ponytail", "long01": "loose"}[style]


def labels(a):
    """Teacher attributes (a captions.jsonl 'attributes' object) -> {attribute: class name}."""
    age = a["age_years"]
    if a["muscle"] > 0.7 and a["weight"] >= 0.32:
        build = "muscular"
    elif a["weight"] > 0.68:
        build = "heavyset"
    elif a["weight"] < 0.32:
        build = "slim"
    else:
        build = "average"
    kind = hair_style_kind(a["hair_style"])
    luma = 0.2126 * a["skin_rgb"][0] + 0.7152 * a["skin_rgb"][1] + 0.0722 * a["skin_rgb"][2]
    shoes = {"shoes01": "leather shoes", "shoes04": "leather shoes", "shoes03": "dress shoes"}.get(a["shoes"], "sneakers")
    return {
        "gender": "woman" if a["gender"] < 0.5 else "man",
        "age_group": "young" if age < 30 else "adult" if age < 45 else "middle-aged" if age < 65 else "elderly",
        "build": build,
        "height": "short" if a["height"] < 0.3 else "tall" if a["height"] > 0.7 else "average",
        "hair_length": {"none": "bald", "short": "short", "bob": "medium", "afro": "medium"}.get(kind, "long"),
        "hair_style": kind,
        "hair_colour": a["hair_colour"],
        "facial_hair": a["facial_hair"],
        "glasses": a["glasses"],
        "top_colour": a["top_colour"],
        "bottom_colour": a["bottom_colour"],
        "top_pattern": a["top_pattern"],
        "outfit": a["outfit"],
        "shoes": shoes,
        "hat": "yes" if a["hat"] else "no",
        "skin_tone": "light" if luma >= 0.68 else "dark" if luma < 0.45 else "medium",
        "eye_colour": a["eye_colour"],
    }
