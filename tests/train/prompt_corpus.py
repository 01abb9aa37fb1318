"""Varied avatar prompts for the tokeniser tests: what users type, not only what the teacher's
captions say. Capitals, punctuation, accents, hyphens, apostrophes, numbers, typos, slang, emoji
(alone, attached to words, with skin tones and joiners) and some non-Latin text."""
import random

SUBJECTS = ["a woman", "a man", "an old man", "a young girl", "a teenage boy", "a guy", "a lady", "a person",
            "a kid", "a grandma", "a bloke", "a gal", "a dude", "an elderly woman", "a middle-aged man",
            "a 30-year-old woman", "a 6'2\" man", "a chubby guy", "a skinny teen", "a muscular athlete",
            "a nurse", "a chef", "a goth girl", "an e-girl", "a businessman", "a hipster", "a grandpa",
            "a Black woman", "an Asian man", "a Latina woman", "a redhead", "a blonde", "a brunette"]
HAIR = ["long red hair", "short blonde hair", "curly brown hair", "a buzz cut", "ginger hair", "raven-haired",
        "flaxen braids", "a bald head", "grey hair in a bun", "platinum pixie cut", "dreadlocks", "an afro",
        "a mohawk", "silver hair", "wavy auburn hair", "jet-black ponytail", "a man-bun", "cornrows",
        "balayage highlights", "a mullet", "bleached tips", "salt-and-pepper hair"]
FACE = ["a full beard", "a goatee", "stubble", "a handlebar moustache", "freckles", "blue eyes", "green eyes",
        "round glasses", "aviator sunglasses", "rosy cheeks", "a scar over one eye", "thick eyebrows",
        "a nose ring", "dimples", "crow's feet", "a five o'clock shadow"]
CLOTHES = ["a red hoodie", "a navy suit", "a white t-shirt", "blue jeans", "a floral sundress", "a leather jacket",
           "cargo shorts", "a tracksuit", "a denim jacket", "a plaid flannel shirt", "a black turtleneck",
           "khaki chinos", "a yellow raincoat", "a tuxedo", "scrubs", "overalls", "a crop top", "a puffer vest",
           "a knitted cardigan", "a pleated skirt", "a trench coat", "a hi-vis vest", "a kimono", "a sari"]
SHOES = ["white sneakers", "brown boots", "high heels", "flip-flops", "Doc Martens", "loafers", "Crocs",
         "combat boots", "running shoes", "sandals"]
EXTRAS = ["a baseball cap", "a beanie", "a fedora", "a cowboy hat", "a backpack", "a scarf", "earrings",
          "a wristwatch", "tattoos on both arms", "a gold chain", "headphones"]
STYLE = ["realistic", "cartoonish", "stylized", "photorealistic", "low-poly", "anime-style", "3D", "full body",
         "T-pose", "A-pose", "high quality", "4k", "8K HDR", "Pixar style", "hyper-detailed"]
SLANG = ["lowkey", "drip", "swole", "hench", "fit", "sus", "rizz", "vibes", "fr", "ngl", "tbh", "bussin",
         "slay", "y'all", "gonna", "wanna", "kinda", "sorta", "ain't", "dunno", "lol", "omg", "cool af"]
ACCENTED = ["café owner", "naïve look", "Zoë", "José", "Chloé", "crème jacket", "façade", "jalapeño-red",
            "über cool", "résumé-ready", "Björk vibes", "Beyoncé", "Ångström", "piñata colours", "São Paulo",
            "Øystein", "Łukasz", "Dvořák", "Müller", "Ðoàn", "Straße", "fiancée", "coöperative", "œuvre",
            "İstanbul", "Ægir", "déjà vu", "señorita", "Français", "Mañana", "ﬁne ﬂannel"]
EMOJI = ["🔥", "😎", "👩‍🦰", "🧔🏽", "❤️", "✨", "👗", "🥾", "💇‍♀️", "🤠", "👓", "🧢", "💯", "😂", "🙏🏿", "☕",
         "⭐", "🎸", "👨‍👩‍👧", "🏳️‍🌈", "♥", "☺", "🤖", "🫠", "👍🏻"]
FOREIGN = ["红头发的女人", "金髪の男性", "빨간 머리 여자", "рыжая женщина в платье", "γυναίκα με κόκκινα μαλλιά",
           "رجل ذو لحية", "लाल बालों वाली महिला", "איש עם זקן", "ผู้หญิงผมแดง", "homem de barba",
           "mujer con pelo rizado", "Mann mit Bart", "femme aux cheveux roux", "黒いスーツの男", "戴眼镜的老人",
           "кепка", "ชายใส่แว่น", "Ἀθηνᾶ", "ᏣᎳᎩ", "ⲁⲛⲟⲕ", "ꦗꦮ"]
PUNCT = [", ", ", ", "; ", " - ", " — ", " – ", "... ", "… ", " & ", " / ", " + ", ": ", "! ", "? ", " | "]
QUOTES = [('"', '"'), ("'", "'"), ("“", "”"), ("‘", "’"), ("(", ")"), ("[", "]"), ("«", "»"), ("**", "**")]
SPACES = [" ", " ", " ", " ", "  ", "\t", "\u00a0", "\n", " \u200b", "\u3000"]
NUMBERS = ["30", "1980s", "5 ft 10", "6'2\"", "25yo", "180cm", "3/4 sleeves", "#1", "$100", "50%", "2nd",
           "1.85 m", "007", "90's", "20-something", "v2", "x10", "3D", "½"]


def typo(word, rng):
    """One keyboard slip: swapped, dropped, doubled or replaced letter."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1:]


def recase(text, rng):
    r = rng.random()
    if r < 0.15:
        return text.upper()
    if r < 0.35:
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    if r < 0.45:
        return "".join(c.upper() if rng.random() < 0.3 else c for c in text)
    if r < 0.75:
        return text[:1].upper() + text[1:]
    return text


def prompt(rng):
    parts = [rng.choice(SUBJECTS)]
    for pool, p in ((HAIR, 0.8), (FACE, 0.5), (CLOTHES, 0.8), (CLOTHES, 0.3), (SHOES, 0.4), (EXTRAS, 0.3)):
        if rng.random() < p:
            parts.append(rng.choice(["with ", "wearing ", "in ", "", "and "]) + rng.choice(pool))
    for pool, p in ((STYLE, 0.3), (SLANG, 0.25), (ACCENTED, 0.3), (NUMBERS, 0.25), (FOREIGN, 0.08)):
        if rng.random() < p:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(pool))
    text = ""
    for i, part in enumerate(parts):
        text += part if i == 0 else rng.choice(PUNCT + [" ", " ", ", "]) + part
    words = text.split(" ")
    words = [typo(w, rng) if rng.random() < 0.06 else w for w in words]
    if rng.random() < 0.25:  # emoji: alone or glued to a word
        k = rng.randrange(len(words))
        e = rng.choice(EMOJI)
        words[k] = rng.choice([e + " " + words[k], words[k] + e, words[k] + " " + e, e + words[k]])
    text = rng.choice(SPACES).join(words) if rng.random() < 0.2 else " ".join(words)
    text = recase(text, rng)
    if rng.random() < 0.15:
        left, right = rng.choice(QUOTES)
        text = left + text + right
    if rng.random() < 0.3:
        text += rng.choice([".", "!", "!!", "?", " :)", " <3", " xD", " ;-)", "...", " pls", " 🙂", "."])
    if rng.random() < 0.05:
        text = "  " + text + " \n"
    return text


def prompts(count, seed=1234):
    rng = random.Random(seed)
    return [prompt(rng) for _ in range(count)]


if __name__ == "__main__":
    for p in prompts(30):
        print(repr(p))
