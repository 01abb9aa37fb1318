#!/usr/bin/python3
"""How much of the validation writer's vocabulary the frozen text encoder already places by its meaning.

    .deps/venv/bin/python3 scripts/eval/word_knowledge.py [--items EVAL/items.jsonl] [--json OUT]

The training captions name each attribute's values by the everyday rewrites' words (everyday.py), the validation
prompts by other words (validation_prompts.py: "ebony", "midnight blue", "back-length", "smooth-shaven"). A chooser
or denoiser trained on the first can follow the second only as far as the frozen encoder places each new word near
the known words of its value. This asks the encoder alone, with nothing trained: every word of both tables is put in
one sentence per attribute ("a person whose hair is ebony"), and its features are classified by the nearest value
centroid (cosine) of the training words' features, in two ways:

* "word": the mean of the encoder's last-layer features over the word's own tokens (the ctx the choosers and the
  denoiser read);
* "sentence": the sentence's pooled feature (the masked mean all-MiniLM-L6-v2 was trained to give for similarity).

For the training words the centroid of their own value leaves the word out (leave-one-out), which says how well the
nearest centroid works at all where the words are known to belong together. For the writer's words it says how often
the encoder, unaided, places the word with its value. A trained reader can do better than a nearest centroid (it
weighs the features' directions), so this is not a bound; where the two differ widely it shows how much the
training words teach beyond the encoder's own sense of a word.

--items takes an evaluate.py run's items.jsonl and splits what the package followed by the writer's word each prompt
used for the attribute (the longest of the named value's words found in it, as a whole word): words the encoder's
word features place with their value ("placed"), words they place elsewhere ("misplaced"), and prompts that name the
attribute by none of these words ("other": a bald head, an afro or a braid names the hair's length by its cut).
It also counts what was followed per word the prompts used, and prints each attribute's words with the most missed
reads: where an attribute's shortfall lies ("wearing eyewear", "freshly shaved").
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train import everyday, minilm  # noqa: E402
import validation_prompts as writer  # noqa: E402
from evaluate import followed_by_group  # noqa: E402

# misplaced words printed per attribute: one screen line or two; --json keeps every one
MISSES_SHOWN = 12
# words with the most missed reads printed per attribute: the few that hold most of its shortfall
WORST_SHOWN = 5
OTHER = "(no word of the table)"  # followed_by_word's key for a prompt that names the value another way
# evaluate.py's attribute -> TABLES' name
ITEM_ATTRIBUTES = {"hair_colour": "hair colour", "top_colour": "top colour", "hair_length": "hair length",
                   "facial_hair": "facial hair", "glasses": "glasses", "hat": "hat"}
# attribute -> (sentence around the word: "{}" is the word, the training words per value, the writer's)
TABLES = {
    "hair colour": ("a person whose hair is {}", everyday.HAIR_COLOUR, writer.HAIR),
    "top colour": ("a person in a {} top", {v: w for v, w in everyday.COLOUR.items() if v in writer.COLOUR},
                   writer.COLOUR),
    "hair length": ("a person with {} hair", everyday.LENGTH_WORD, writer.HAIR_LENGTH),
    "facial hair": ("a man, {}", everyday.FACIAL, writer.FACE),
    "glasses": ("a person, {}", {"yes": everyday.GLASSES_ANY + [w for k in everyday.GLASSES_KIND.values() for w in k],
                                 "no": everyday.GLASSES_NONE}, writer.GLASSES),
    "hat": ("a person, {}", {"yes": everyday.HAT_YES, "no": everyday.HAT_NONE}, writer.HAT),
}


def word_features(encoder, tokenizer, template, words):
    """-> (word float[N, 384]: the mean last-layer feature over each word's own tokens, sentence float[N, 384]: the
    pooled feature), both unit length, for the sentences TEMPLATE.format(word)."""
    before, after = template.split("{}")
    prefix = len(tokenizer.encode([before.strip()])[0]) if before.strip() else 0
    suffix = len(tokenizer.encode([after.strip()])[0]) if after.strip() else 0
    features = minilm.encode_prompts(encoder, tokenizer, [template.format(w) for w in words],
                                     ctx_dtype=torch.float32)
    count = features["mask"].sum(1)  # [CLS] + prefix + word + suffix + [SEP]
    word = torch.stack([features["ctx"][i, 1 + prefix:int(count[i]) - 1 - suffix].mean(0) for i in range(len(words))])
    unit = lambda x: x / x.norm(dim=1, keepdim=True)  # noqa: E731
    return unit(word), unit(features["pooled"])


def nearest_value(features, labels, values):
    """features float[N, 384] (unit) of the training words, labels [N] (index into values) -> a function (query
    float[384], own: the index of a training word to leave out of its centroid, or None) -> the index of the value
    whose centroid lies nearest in cosine."""
    labels = torch.tensor(labels)
    sums = torch.stack([features[labels == v].sum(0) for v in range(len(values))])  # [V, 384]; 0 for no word
    counts = torch.stack([(labels == v).sum() for v in range(len(values))])  # [V]

    def classify(query, own=None):
        centroids, present = sums.clone(), counts.clone()
        if own is not None:
            centroids[labels[own]] -= features[own]
            present[labels[own]] -= 1
        scores = centroids @ query / centroids.norm(dim=1).clamp_min(1e-12)  # the centroid's scale does not matter
        scores[present == 0] = -2.0  # a value with no word left has no centroid
        return int(scores.argmax())
    return classify


def probe(encoder, tokenizer, template, known, new):
    """-> {"word"|"sentence": {"known": (right, n), "new": (right, n), "misses": [(word, value, read as)]}}."""
    values = sorted(set(known) | set(new))
    known_words = [(w, values.index(v)) for v, words in known.items() for w in words]
    new_words = [(w, values.index(v)) for v, words in new.items() for w in words if v in known]
    k_word, k_sentence = word_features(encoder, tokenizer, template, [w for w, _ in known_words])
    n_word, n_sentence = word_features(encoder, tokenizer, template, [w for w, _ in new_words])
    labels = [v for _, v in known_words]
    out = {}
    for kind, k_feat, n_feat in (("word", k_word, n_word), ("sentence", k_sentence, n_sentence)):
        classify = nearest_value(k_feat, labels, values)
        known_right = sum(classify(k_feat[i], own=i) == v for i, (_, v) in enumerate(known_words))
        read = [classify(n_feat[i]) for i in range(len(new_words))]
        out[kind] = {"known": (known_right, len(known_words)),
                     "new": (sum(r == v for r, (_, v) in zip(read, new_words)), len(new_words)),
                     "misses": [(w, values[v], values[r]) for r, (w, v) in zip(read, new_words) if r != v]}
    return out


def split_followed(items, report):
    """evaluate.py's items (dicts with prompt, expected, read), probe()'s report per TABLES name -> {attribute:
    {"placed"|"misplaced"|"other": [followed reads, reads]}} by the writer's word the prompt used (module docstring)."""
    out = {}
    for attribute, name in ITEM_ATTRIBUTES.items():
        table = TABLES[name][2]
        misplaced = {word for word, _, _ in report[name]["word"]["misses"]}

        def kind(item):
            word = writer.longest_word(item["prompt"], table.get(item["expected"][attribute], []))
            return "other" if word is None else "misplaced" if word in misplaced else "placed"
        out[attribute] = {"placed": [0, 0], "misplaced": [0, 0], "other": [0, 0]}
        out[attribute].update(followed_by_group(items, attribute, kind))
    return out


def followed_by_word(items):
    """evaluate.py's items -> {attribute: {writer's word: [followed reads, reads]}}, by the word of the named value's
    table each prompt used (OTHER where it used none)."""
    out = {}
    for attribute, name in ITEM_ATTRIBUTES.items():
        table = TABLES[name][2]
        out[attribute] = followed_by_group(
            items, attribute, lambda item: writer.longest_word(item["prompt"], table.get(item["expected"][attribute],
                                                                                         [])) or OTHER)
    return out


def worst_words(counts, shown=WORST_SHOWN):
    """{word: [followed, reads]} -> the `shown` words with the most missed reads (ties: more reads, then the word),
    those with a miss only."""
    missed = [(n - h, n, word) for word, (h, n) in counts.items() if n > h]
    return [(word, counts[word]) for _, _, word in sorted(missed, key=lambda m: (-m[0], -m[1], m[2]))[:shown]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", help="an evaluate.py run's items.jsonl: what it followed, split by the word used")
    parser.add_argument("--json", help="also write the figures and each missed word here")
    args = parser.parse_args()
    encoder, tokenizer = minilm.load_encoder(), minilm.load_tokenizer()  # the package's fp16 weights
    report = {}
    for attribute, (template, known, new) in TABLES.items():
        report[attribute] = result = probe(encoder, tokenizer, template, known, new)
        for kind in ("word", "sentence"):
            (kr, kn), (nr, nn) = result[kind]["known"], result[kind]["new"]
            print(f"{attribute:12s} {kind:8s} training words (leave-one-out) {kr:3d}/{kn:<3d} {kr / kn:.2f}   "
                  f"writer's words {nr:3d}/{nn:<3d} {nr / nn:.2f}")
        misses = result["word"]["misses"]
        shown = ", ".join(f"{w} ({v} as {r})" for w, v, r in misses[:MISSES_SHOWN])
        if len(misses) > MISSES_SHOWN:
            shown += f" and {len(misses) - MISSES_SHOWN} more" + (" (all in --json)" if args.json else "")
        print(f"{'':12s} writer's words the word features place elsewhere: {shown or 'none'}")
    if args.items:
        with open(args.items) as f:
            items = [json.loads(line) for line in f if line.strip()]
        split = split_followed(items, report)
        print(f"followed in {args.items}, by the writer's word each prompt used:")
        for attribute, counts in split.items():
            print(f"{attribute:12s} " + "   ".join(f"{kind} {h}/{n}" + (f" {h / n:.2f}" if n else "")
                                                   for kind, (h, n) in counts.items()))
        per_word = followed_by_word(items)
        print("the words with the most missed reads (followed/reads):")
        for attribute, counts in per_word.items():
            shown = ", ".join(f"{word!r} {h}/{n}" for word, (h, n) in worst_words(counts))
            print(f"{attribute:12s} {shown or 'none missed'}")
        report = {"probe": report, "followed_by_word": split, "followed_per_word": per_word}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
