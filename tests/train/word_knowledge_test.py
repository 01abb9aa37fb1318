#!/usr/bin/python3
"""The encoder's own sense of the validation writer's words (scripts/eval/word_knowledge.py).

    word_knowledge_test.py --python .deps/venv/bin/python3

1. word_features takes a word's own tokens: for "a person whose hair is {}" and "salt-and-pepper" (five WordPiece
   tokens, the hyphens among them) its word feature is the unit mean of exactly those rows of the encoder's ctx (to
   1e-5 in cosine: the same fp16 encoder, batched alike), and a word after which the sentence goes on ("a person in a
   {} top") leaves the suffix's token out.
2. nearest_value: on hand-made unit vectors, a query goes to the centroid nearest it, and leaving a point out of its
   own centroid turns a point that only its own presence held (class 0's point lying towards class 1) over.
3. validation_prompts.longest_word (the word a prompt used): the longest of the words, as a whole word: "ash grey"
   rather than "grey" in "an ash grey tee", no "grey" inside "ash-grey", None where none occurs.
4. split_followed counts each read once, by the word its prompt used: placed, misplaced (a word probe() missed) and
   other (no word of the table), and an avatar not read counts nowhere.
5. followed_by_word counts each read by the word itself ("wearing eyewear" and "eyewear: none" apart), OTHER where the
   prompt used none, and worst_words orders the words by missed reads and leaves the fully followed ones out.
Runs in the project venv (the MiniLM weights); skips (77) without it, as the other text-encoder tests.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv_support  # noqa: E402

sys.argv = venv_support.enter_venv(sys.argv)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "scripts", "eval"))

import torch  # noqa: E402

import word_knowledge  # noqa: E402
from avatar_train import minilm  # noqa: E402
from fixtures import verdict  # noqa: E402

COSINE_TOLERANCE = 1e-5  # the same fp16 encoder on the same tokens: only the batch's summation order may differ


def span_failures(encoder, tokenizer):
    failures = []
    for template, word, first in (("a person whose hair is {}", "salt-and-pepper", 6), ("a person in a {} top",
                                                                                           "cobalt blue", 5)):
        got, pooled = word_knowledge.word_features(encoder, tokenizer, template, [word, "red"])
        tokens = len(tokenizer.encode([word])[0])
        features = minilm.encode_prompts(encoder, tokenizer, [template.format(word)], ctx_dtype=torch.float32)
        want = features["ctx"][0, first:first + tokens].mean(0)
        cosine = float(got[0] @ want / want.norm())
        if abs(1.0 - cosine) > COSINE_TOLERANCE:
            failures.append(f"{template!r} with {word!r}: the word feature is not the mean of rows {first} to "
                            f"{first + tokens - 1} of ctx (cosine {cosine:.6f})")
        for name, rows in (("word", got), ("sentence", pooled)):
            if rows.shape != (2, 384) or float((rows.norm(dim=1) - 1.0).abs().max()) > COSINE_TOLERANCE:
                failures.append(f"{template!r}: {name} features {tuple(rows.shape)}, not two unit rows of 384")
    if len(tokenizer.encode(["salt-and-pepper"])[0]) != 5:
        failures.append("salt-and-pepper is no longer five tokens: case 1 no longer spans punctuation")
    return failures


def nearest_failures():
    failures = []
    def at(degrees):
        angle = torch.tensor(degrees * 3.141592653589793 / 180.0)
        return torch.stack([angle.cos(), angle.sin()])
    # class 0: 0 and 60 degrees, class 1: 100 degrees. The 60-degree point lies 30 degrees from its class's centroid
    # with itself in it and 60 without, against 40 from class 1's
    points, labels = torch.stack([at(0), at(60), at(100)]), [0, 0, 1]
    e = torch.eye(2)
    classify = word_knowledge.nearest_value(points, labels, ["a", "b"])
    if classify(e[0]) != 0 or classify(e[1]) != 1:
        failures.append("nearest_value: an axis query did not go to the centroid on its side")
    if classify(points[1]) != 0 or classify(points[1], own=1) != 1:
        failures.append("nearest_value: the 60-degree point must read 0 with itself in its centroid, 1 without")
    return failures


def longest_word_failures():
    failures = []
    cases = [("a man in an ash grey tee", ["grey", "ash grey"], "ash grey"),
             ("hair: ash-grey", ["grey"], None), ("Hair: Ash-Grey", ["ash-grey", "grey"], "ash-grey"),
             ("a woman in red", ["blue"], None)]
    for prompt, words, want in cases:
        got = word_knowledge.writer.longest_word(prompt, words)
        if got != want:
            failures.append(f"longest_word({prompt!r}, {words}) = {got!r}, not {want!r}")
    return failures


def split_failures():
    report = {name: {"word": {"misses": []}} for name in word_knowledge.TABLES}
    report["hair colour"]["word"]["misses"] = [("ebony", "black", "dark brown")]
    base = {"gender": "man", "hair_colour": "black", "glasses": "no", "hat": "no"}
    items = [{"prompt": "a man, hair: ebony", "expected": {"hair_colour": "black"},
              "read": [base, {**base, "hair_colour": "dark brown"}]},
             {"prompt": "a man with coal-black hair", "expected": {"hair_colour": "black"}, "read": [base, None]},
             {"prompt": "a raven-haired man", "expected": {"hair_colour": "black"}, "read": [base]},
             {"prompt": "a man, specky", "expected": {"glasses": "yes"}, "read": [{**base, "glasses": "yes"}, base]}]
    got = word_knowledge.split_followed(items, report)
    failures = []
    if got["hair_colour"] != {"placed": [1, 1], "misplaced": [1, 2], "other": [1, 1]}:
        failures.append(f"split_followed hair colour {got['hair_colour']}: placed 1/1 (the unread avatar left out), "
                        "misplaced 1/2, other 1/1")
    if got["glasses"] != {"placed": [1, 2], "misplaced": [0, 0], "other": [0, 0]}:
        failures.append(f"split_followed glasses {got['glasses']}: a kind named by 'specky' is placed, 1/2")
    return failures


def per_word_failures():
    base = {"gender": "woman", "glasses": "no"}
    wearing = {**base, "glasses": "yes"}
    items = [{"prompt": "a woman wearing eyewear", "expected": {"glasses": "yes"}, "read": [base, base]},
             {"prompt": "a woman, eyewear: none", "expected": {"glasses": "no"}, "read": [wearing, base]},
             {"prompt": "a woman, specky", "expected": {"glasses": "yes"}, "read": [wearing, wearing]},
             {"prompt": "a woman in round glasses", "expected": {"glasses": "yes"}, "read": [wearing, None]}]
    got = word_knowledge.followed_by_word(items)["glasses"]
    want = {"wearing eyewear": [0, 2], "eyewear: none": [1, 2], "specky": [2, 2], word_knowledge.OTHER: [1, 1]}
    failures = [] if got == want else [f"followed_by_word glasses {got}, not {want}"]
    worst = word_knowledge.worst_words(want, shown=5)
    if [word for word, _ in worst] != ["wearing eyewear", "eyewear: none"]:
        failures.append(f"worst_words {worst}: 'wearing eyewear' (2 missed) before 'eyewear: none' (1), no others")
    return failures


def main():
    encoder, tokenizer = minilm.load_encoder(), minilm.load_tokenizer()
    return verdict(span_failures(encoder, tokenizer) + nearest_failures() + longest_word_failures() + split_failures()
                   + per_word_failures())


if __name__ == "__main__":
    sys.exit(main())
