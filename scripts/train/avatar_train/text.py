"""Captions for training: augmentation for robustness to wording, the sentencepiece tokenizer, and
token batches in the layout the runtime builds (BOS, pieces, EOS, padding; docs/model-package.md)."""
import io
import random
import re

import numpy as np
import sentencepiece as spm

PAD, BOS, EOS, UNK = 0, 1, 2, 3  # ids fixed in the tokenizer so the manifest can state them

# Words users add that name nothing about the avatar.
FILLERS = ["please", "a 3d avatar of", "3d model of", "generate", "create", "make me", "render of", "full body",
           "realistic", "high quality", "standing", "i want", "character:", "an avatar:", "detailed", "photo of",
           "a picture of", "just", "really", "very", "kind of", "somewhat", "nice", "looking", "person who is"]
SYNONYM_RATE = 0.15   # share of words with a synonym that get swapped: most captions keep most words
DROP_RATE = 0.25      # chance to drop one clause: captions the user writes leave details out
FILLER_RATE = 0.3     # chance to add one filler phrase
SHUFFLE_RATE = 0.3    # chance to reorder comma-separated clauses
TYPO_RATE = 0.03      # chance per word of a swapped letter pair: robustness to spelling slips


def normalise(text):
    """What the runtime does before encoding: ASCII lower-case (manifest 'lowercase': true)."""
    return text.lower()


def words_of(captions):
    """Distinct lower-case words of a caption corpus."""
    found = set()
    for c in captions:
        found.update(re.findall(r"[a-z][a-z'-]*", c.lower()))
    return sorted(found)


class Augmenter:
    """Rewrites a caption: synonym swaps, dropped or reordered clauses, fillers, rare typos."""

    def __init__(self, synonyms, seed):
        self.synonyms = synonyms
        self.rng = random.Random(seed)

    def __call__(self, caption):
        rng = self.rng
        text = normalise(caption)
        clauses = [c.strip() for c in re.split(r",|\.\s", text) if c.strip()]
        if len(clauses) > 2 and rng.random() < DROP_RATE:
            clauses.pop(rng.randrange(1, len(clauses)))
        if len(clauses) > 2 and rng.random() < SHUFFLE_RATE:
            head, tail = clauses[0], clauses[1:]
            rng.shuffle(tail)
            clauses = [head] + tail
        words = ", ".join(clauses).split(" ")
        out = []
        for w in words:
            core = w.strip(",.")
            if core in self.synonyms and rng.random() < SYNONYM_RATE:
                w = w.replace(core, rng.choice(self.synonyms[core]))
            elif len(core) > 3 and rng.random() < TYPO_RATE:
                i = rng.randrange(len(core) - 1)
                w = w.replace(core, core[:i] + core[i + 1] + core[i] + core[i + 2:])
            out.append(w)
        if rng.random() < FILLER_RATE:
            out.insert(0 if rng.random() < 0.7 else len(out), rng.choice(FILLERS))
        return " ".join(out)


def train_tokenizer(sentences, vocab_size):
    """Sentencepiece unigram model trained on lower-cased sentences -> serialized model bytes."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter([normalise(s) for s in sentences]), model_writer=model,
                                   vocab_size=vocab_size, model_type="unigram", character_coverage=1.0,
                                   hard_vocab_limit=False, pad_id=PAD, bos_id=BOS, eos_id=EOS, unk_id=UNK,
                                   num_threads=1, minloglevel=2, input_sentence_size=0,
                                   shuffle_input_sentence=False)  # one thread, no sampling: same corpus, same model
    return model.getvalue()


class Tokens:
    """Encodes prompts into (tokens, mask) int64[B, L] as the runtime does (truncating long ones)."""

    def __init__(self, model_bytes, max_length):
        self.sp = spm.SentencePieceProcessor(model_proto=model_bytes)
        self.max_length = max_length

    @property
    def vocab_size(self):
        return self.sp.get_piece_size()

    def encode(self, prompts):
        tokens = np.full((len(prompts), self.max_length), PAD, np.int64)
        mask = np.zeros((len(prompts), self.max_length), np.int64)
        for i, p in enumerate(prompts):
            ids = [BOS] + self.sp.encode(normalise(p))[: self.max_length - 2] + [EOS]
            tokens[i, : len(ids)] = ids
            mask[i, : len(ids)] = 1
        return tokens, mask
