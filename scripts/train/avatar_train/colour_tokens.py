"""Which stored prompt tokens are pieces of colour words: where config chooser_noise_words "colours" puts the
chooser's training noise (draws.fit_chooser). Noise on every token taught the chooser to read more of the validation
writer's colour words, and also to bind a colour to the wrong garment (docs/model-development.md, "Noise on the
chooser's prompt features"); on the colour words alone, the words that tie a colour to its garment ("hair", "tee",
"in a") keep the encoder's features. Tried, it binds worse still (docs/model-development.md, "Noise on the colour
words alone").

A colour word is any word of the caption writers' colour tables: the teacher's (tools/synth/data/vocabulary.json,
"colour" and "hair_colour") and the everyday rewrites' (everyday.COLOUR, everyday.HAIR_COLOUR). Every WordPiece
piece of a caption's word that is a word of one of them is flagged, wherever it stands ("dark" in "dark-skinned"
too: such a token still reads as its words say, only less sharply).
"""
import json
import os

import numpy as np

from . import everyday, minilm

VOCABULARY = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tools", "synth", "data", "vocabulary.json")
TEACHER_TABLES = ("colour", "hair_colour")  # the teacher's colour tables, each {value: [words]}
JOINING = {"and"}  # a word inside a colour phrase that is no colour


def colour_words(vocabulary=VOCABULARY):
    """Every colour word or phrase the caption writers use, sorted."""
    with open(vocabulary) as f:
        tables = json.load(f)["tables"]
    words = set()
    for table in [tables[name] for name in TEACHER_TABLES] + [everyday.COLOUR, everyday.HAIR_COLOUR]:
        for phrases in table.values():
            words.update(phrases)
    return sorted(words)


def colour_word_set(tokenizer, phrases):
    """The normalised words of the colour phrases that are letters, bar the joining "and" of "salt-and-pepper"."""
    words = {w for text in tokenizer.normalise(phrases) for w in tokenizer.words(text)}
    return {w for w in words if w.isalpha() and w not in JOINING}


def colour_token_rows(store, tokenizer=None):
    """float32[store rows]: 1 where a stored token row (text_features.FeatureStore, [CLS] and [SEP] included) is a
    piece of a colour word, 0 elsewhere. Checks that the tokeniser gives each caption as many tokens as were stored."""
    tokenizer = tokenizer or minilm.load_tokenizer()
    colours = colour_word_set(tokenizer, colour_words())
    flags = np.zeros(len(store.rows), np.float32)
    for c, text in enumerate(tokenizer.normalise(store.captions)):
        row = []
        for word in tokenizer.words(text):
            row += [1.0 if word in colours else 0.0] * len(tokenizer.word_ids(word))
        row = row[:minilm.MAX_LENGTH - 2]
        if len(row) + 2 != store.lengths[c]:
            raise ValueError(f"caption {c} ({store.captions[c]!r}): {len(row) + 2} tokens, {store.lengths[c]} stored")
        first = store.first[c] + 1  # past [CLS]
        flags[first:first + len(row)] = row
    return flags
