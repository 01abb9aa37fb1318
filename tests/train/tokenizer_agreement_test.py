#!/usr/bin/python3
"""The sentencepiece model converted from all-MiniLM-L6-v2's vocab.txt tokenises like the reference
WordPiece tokenizer (Hugging Face tokenizers, the model's own tokenizer.json, special tokens off).

    tokenizer_agreement_test.py --python .deps/venv/bin/python3

Checks, on 5,000 generated prompts (tests/train/prompt_corpus.py: capitals, punctuation, accents,
typos, slang, emoji, non-Latin text):
* identical ids for at least 99 % of the prompts (the brief's bar; the greedy pass makes it exact
  up to Unicode-version differences, so anything lower means a real fault);
* the normaliser against the reference's normaliser + pre-tokeniser, code point by code point
  ("x<c>y" for every code point): at most 2,000 code points differ outside the supplementary
  private-use planes (which the rules leave out on purpose); the ~800 measured differences are
  characters whose Unicode properties changed between Python's tables and the reference's.
Prints the agreement figures and the disagreements it sees."""
import collections
import difflib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv_support  # noqa: E402

sys.argv = venv_support.enter_venv(sys.argv)

from tokenizers import Tokenizer  # noqa: E402

import prompt_corpus  # noqa: E402
from avatar_train import minilm, wordpiece_spm  # noqa: E402
from fixtures import verdict  # noqa: E402

PROMPTS = 5000
MIN_AGREEMENT = 0.99
MAX_CODE_POINT_DIFFERENCES = 2000


def show(vocab, prompt, want, got):
    a, b = [vocab[i] for i in want], [vocab[i] for i in got]
    print(f"  {prompt!r}")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            print(f"    reference {a[i1:i2]} sentencepiece {b[j1:j2]}")


def main():
    directory = minilm.model_dir()
    vocab = wordpiece_spm.read_vocab(os.path.join(directory, "vocab.txt"))
    start = time.time()
    ours = minilm.load_tokenizer(directory)
    print(f"converted vocab.txt in {time.time() - start:.1f} s: {ours.vocab_size} pieces")
    reference = Tokenizer.from_file(os.path.join(directory, "tokenizer.json"))
    reference.no_truncation()
    reference.no_padding()
    failures = []

    prompts = prompt_corpus.prompts(PROMPTS)
    want = [e.ids for e in reference.encode_batch(prompts, add_special_tokens=False)]
    start = time.time()
    got = ours.encode(prompts)
    seconds = time.time() - start
    plain = ours.sp.encode(prompts)  # sentencepiece's own unigram segmentation, no greedy pass
    same = sum(a == b for a, b in zip(want, got))
    same_plain = sum(a == b for a, b in zip(want, plain))
    tokens = sum(len(w) for w in want)
    print(f"{len(prompts)} prompts, {tokens} reference tokens, encoded in {seconds:.2f} s")
    print(f"agreement: {same}/{len(prompts)} = {same / len(prompts):.4%} "
          f"(sentencepiece's unigram segmentation alone: {same_plain / len(prompts):.2%})")
    bad = [i for i in range(len(prompts)) if want[i] != got[i]]
    for i in bad[:20]:
        show(vocab, prompts[i], want[i], got[i])
    if same / len(prompts) < MIN_AGREEMENT:
        failures.append(f"agreement {same / len(prompts):.4%} < {MIN_AGREEMENT:.0%}")

    # Special ids and layout.
    tokens, mask = ours.batch(["A Café!", "x" * 500], 8)
    cafe = reference.encode("A Café!", add_special_tokens=False).ids
    if tokens[0].tolist() != [101] + cafe + [102] + [0] * (8 - 2 - len(cafe)):
        failures.append(f"batch layout: {tokens[0].tolist()}")
    if tokens[1].tolist() != [101, 100, 102, 0, 0, 0, 0, 0] or mask[1].tolist() != [1, 1, 1, 0, 0, 0, 0, 0]:
        failures.append(f"a 500-letter word is not one [UNK]: {tokens[1].tolist()} {mask[1].tolist()}")

    # Code point by code point.
    start = time.time()
    codes = [c for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    texts = [f"x{chr(c)}y" for c in codes]
    differing = collections.Counter()
    examples = collections.defaultdict(list)
    for code, text, normalised in zip(codes, texts, ours.normalise(texts)):
        words = normalised.split(wordpiece_spm.WORD_MARK)[1:]
        ref = [w for w, _ in reference.pre_tokenizer.pre_tokenize_str(reference.normalizer.normalize_str(text))]
        if words != ref:
            kind = "supplementary private use" if code >= 0xF0000 else "other"
            differing[kind] += 1
            if len(examples[kind]) < 8:
                examples[kind].append(f"U+{code:04X} {ref} vs {words}")
    print(f"code points whose normalisation differs ({time.time() - start:.0f} s): {dict(differing)}")
    for kind, found in examples.items():
        print(f"  {kind}: " + "; ".join(found))
    if differing["other"] > MAX_CODE_POINT_DIFFERENCES:
        failures.append(f"{differing['other']} code points normalise differently "
                        f"(at most {MAX_CODE_POINT_DIFFERENCES})")

    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
