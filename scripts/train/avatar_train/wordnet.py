"""Synonyms from WordNet 3.0 (Debian's wordnet-base) for caption augmentation.

Only the first senses of a word are used (WordNet lists senses by frequency), so 'blue' becomes
'bluish' but not 'gloomy'. Parsed from the plain data and index files; no NLTK needed."""
import os

WORDNET_DIR = "/usr/share/wordnet"  # where Debian's wordnet-base installs the database
SENSES = 2                          # first senses per word: later ones drift away from appearance
# Lexicographer files kept: adjectives (all, pertainyms) and the nouns of artefacts (clothes),
# body parts (hair, beard) and people; the rest ('suit' as a lawsuit) is not about looks.
LEXICON_FILES = {"adj": {0, 1, 44}, "noun": {6, 8, 18}}


def _synsets(pos_file, keep):
    """data.<pos> -> {byte offset: [lemmas]} plus similar-to pointers for adjectives."""
    lemmas, similar = {}, {}
    with open(pos_file, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue  # licence header
            parts = line.split(" | ")[0].split()
            offset, count = int(parts[0]), int(parts[3], 16)
            if int(parts[1]) not in keep:
                continue
            words = [parts[4 + 2 * i].lower().split("(")[0] for i in range(count)]
            lemmas[offset] = words
            p = 4 + 2 * count
            pointers = int(parts[p])
            similar[offset] = [int(parts[p + 1 + 4 * i + 1]) for i in range(pointers) if parts[p + 1 + 4 * i] == "&"]
    return lemmas, similar


def load_synonyms(words, directory=WORDNET_DIR):
    """{word: sorted synonyms} for the given caption words (multi-word lemmas joined by spaces).

    Returns an empty table when WordNet is not installed: augmentation then uses the hand lists."""
    if not os.path.exists(os.path.join(directory, "index.adj")):
        return {}
    table = {}
    for pos in ("adj", "noun"):
        lemmas, similar = _synsets(os.path.join(directory, "data." + pos), LEXICON_FILES[pos])
        index = {}
        with open(os.path.join(directory, "index." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                parts = line.split()
                synset_count = int(parts[2])
                index[parts[0]] = [int(o) for o in parts[-synset_count:]]
        for word in words:
            key = word.replace(" ", "_")
            senses = index.get(key) or index.get(key[:-1] if key.endswith("s") else key, [])
            for offset in [o for o in senses if o in lemmas][:SENSES]:
                found = set(lemmas[offset]) | {w for s in similar.get(offset, []) for w in lemmas.get(s, [])}
                found = {w.replace("_", " ") for w in found if w.replace("_", "").replace("-", "").isalpha()}
                found.discard(word)
                if found:
                    table.setdefault(word, set()).update(found)
    return {w: sorted(s) for w, s in table.items()}
