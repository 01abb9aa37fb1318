#!/usr/bin/python3
"""The chooser's noise on colour words alone (config chooser_noise_words "colours";
scripts/train/avatar_train/colour_tokens.py and draws.NoisyWords).

    colour_tokens_test.py --python .deps/venv/bin/python3

1. The flags of stored token rows, on captions encoded as the text stage stores them (trimmed to their tokens,
   [CLS] and [SEP] included): exactly the pieces of colour words are 1 — in "a woman with raven-black hair in a
   navy blue tee" the tokens of "raven", "black", "navy" and "blue" and no other, "salt-and-pepper"'s "salt" and
   "pepper" but not its "and", and a colour word the tokeniser splits into pieces ("tangerine") on every piece;
   [CLS], [SEP] and a caption without a colour word all 0.
2. A store whose stored lengths disagree with the tokeniser's (features of other captions) is refused, naming the
   caption.
3. draws.NoisyWords: with the flags, the flagged token features move and every other one (and the padding) is
   left bit for bit; without flags every real token moves and the padding stays; the mask is the store's.
Runs in the project venv (the MiniLM vocabulary); skips (77) without it, as the other text-encoder tests.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv_support  # noqa: E402

sys.argv = venv_support.enter_venv(sys.argv)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from avatar_train import colour_tokens, draws, minilm, text_features  # noqa: E402
from fixtures import verdict  # noqa: E402

CAPTIONS = ["a woman with raven-black hair in a navy blue tee",
            "salt-and-pepper hair, a tangerine top",
            "a tall man with a beard"]
WANTED = [{"raven", "black", "navy", "blue"}, {"salt", "pepper", "tangerine"}, set()]


class StoredCaptions:
    """text_features.FeatureStore's fields for captions encoded with random features of their real token counts."""

    def __init__(self, captions, tokenizer, extra_token=False):
        self.captions = captions
        counts = [min(len(ids), minilm.MAX_LENGTH - 2) + 2 for ids in tokenizer.encode(captions)]
        if extra_token:
            counts[-1] += 1
        self.lengths = np.array(counts, np.int64)
        self.first = np.concatenate([[0], np.cumsum(self.lengths)[:-1]])
        self.rows = np.random.default_rng(0).standard_normal((int(self.lengths.sum()), 8)).astype(np.float16)
        self.avatar = np.arange(len(captions))

    batch = text_features.FeatureStore.batch
    batch_of = text_features.FeatureStore.batch_of
    empty = np.zeros((2, 8), np.float16)


def flag_failures(tokenizer):
    store = StoredCaptions(CAPTIONS, tokenizer)
    flags = colour_tokens.colour_token_rows(store, tokenizer)
    failures = []
    for c, (caption, wanted) in enumerate(zip(CAPTIONS, WANTED)):
        ids = tokenizer.encode([caption])[0]
        row = flags[store.first[c]:store.first[c] + store.lengths[c]]
        pieces = [tokenizer.sp.id_to_piece(i) for i in ids]
        flagged = [p for p, f in zip(pieces, row[1:-1]) if f]
        words = set(" ".join(flagged).replace(" ", "").split("\u2581")) - {""}  # pieces joined into their words
        print(f"1. {caption!r}: flagged {flagged}")
        if words != wanted or row[0] or row[-1]:
            failures.append(f"{caption!r}: flagged words {sorted(words)}, wanted {sorted(wanted)}; [CLS] {row[0]}, "
                            f"[SEP] {row[-1]}")
        if "tangerine" in wanted and not all(f for p, f in zip(pieces, row[1:-1]) if p in ("\u2581tang", "erine")):
            failures.append(f"{caption!r}: not every piece of 'tangerine' flagged: {flagged}")
    try:
        colour_tokens.colour_token_rows(StoredCaptions(CAPTIONS, tokenizer, extra_token=True), tokenizer)
        failures.append("features stored for other captions (a token too many) were accepted")
    except ValueError as error:
        print(f"2. refused: {error}")
        if CAPTIONS[-1] not in str(error):
            failures.append(f"the refusal does not name the caption: {error}")
    return failures, store, flags


def noise_failures(store, flags):
    failures = []
    captions = [0, 1, 2]
    ctx, mask = store.batch(captions, "cpu")  # ctx float[3, L, 8], mask int64[3, L]
    where = store.batch_of(flags, captions, "cpu") > 0  # bool[3, L]
    torch.manual_seed(0)
    noisy, noisy_mask = draws.NoisyWords(store, 0.5, flags).batch(captions, "cpu")
    moved = (noisy != ctx).any(2)  # bool[3, L]
    print(f"3. with flags: {int(moved.sum())} tokens moved of {int(mask.sum())}, {int(where.sum())} flagged")
    if not torch.equal(moved, where) or not torch.equal(noisy_mask, mask):
        failures.append(f"noise on the flagged tokens alone: moved {moved.tolist()}, flagged {where.tolist()}")
    everywhere, _ = draws.NoisyWords(store, 0.5).batch(captions, "cpu")
    moved = (everywhere != ctx).any(2)
    print(f"   without flags: {int(moved.sum())} tokens moved of {int(mask.sum())}")
    if not torch.equal(moved, mask > 0):
        failures.append(f"noise on every token: moved {moved.tolist()}, real tokens {(mask > 0).tolist()}")
    return failures


def main():
    tokenizer = minilm.load_tokenizer()
    failures, store, flags = flag_failures(tokenizer)
    failures += noise_failures(store, flags)
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
