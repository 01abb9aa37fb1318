#!/usr/bin/python3
"""The runtime's tokenizer (C++ tera::Tokenizer through the sentencepiece shim, Debian's
libsentencepiece) gives the same tokens, mask and truncation flag as the Python side
(wordpiece_spm.WordPiece.batch, what training uses) with the converted all-MiniLM-L6-v2 model.

    tokenizer_runtime_test.py --python .deps/venv/bin/python3 --tool build/tests/train/test_tokenizer_ids

400 generated prompts plus edge cases (long prompts that truncate, a 150-letter word, emoji alone,
CJK, tabs and newlines, a typed U+2581, zero-width characters only), at L = 64 and L = 512. Every
prompt must agree exactly: both sides run the same sentencepiece library and the same greedy pass."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv_support  # noqa: E402

sys.argv = venv_support.enter_venv(sys.argv)

import prompt_corpus  # noqa: E402
from avatar_train import minilm, wordpiece_spm  # noqa: E402
from fixtures import verdict  # noqa: E402

EDGE_CASES = [
    "a tall woman " * 40,                                   # truncates at 64
    "A " + "very " * 600 + "long prompt",                   # truncates at 512 too
    "x" * 150 + " hair",                                    # a word over 100 characters is one [UNK]
    "🔥🔥🔥", "cool😎 guy", "😎cool", "红头发的女人 with a hat", "金髪の男性",
    "tab\tseparated\nlines\r\nand  spaces", "a\u2581b", "\u200b\u200d", "ÉLODIE’S CAFÉ-AU-LAIT JACKET!!!",
    "naïve Zoë, 6'2\", 1980s-style...", "İstanbul ΣΊΣΥΦΟΣ", "ﬁne ﬂannel ½",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", required=True, help="the test_tokenizer_ids binary")
    args = parser.parse_args(sys.argv[1:])
    python_side = minilm.load_tokenizer()
    prompts = prompt_corpus.prompts(400, seed=7) + EDGE_CASES
    failures = []
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "tokenizer.model"), "wb") as f:
            f.write(minilm.tokenizer_model())
        with open(os.path.join(work, "prompts.jsonl"), "w") as f:
            for p in prompts:
                f.write(json.dumps(p) + "\n")
        for length in (64, 512):
            out = os.path.join(work, f"tokens{length}.jsonl")
            command = [args.tool, work, "tokenizer.model", str(length), os.path.join(work, "prompts.jsonl"), out]
            run = subprocess.run(command, capture_output=True, text=True)
            if run.returncode != 0:
                print(run.stdout, run.stderr)
                failures.append(f"test_tokenizer_ids exited with {run.returncode}")
                continue
            runtime = [json.loads(line) for line in open(out)]
            tokens, mask = python_side.batch(prompts, length)
            full = python_side.encode(prompts)
            same = truncated = 0
            for i, p in enumerate(prompts):
                want = {"tokens": tokens[i].tolist(), "mask": mask[i].tolist(), "truncated": len(full[i]) > length - 2}
                truncated += want["truncated"]
                if runtime[i] == want:
                    same += 1
                elif len(failures) < 10:
                    failures.append(f"L={length} {p!r}: runtime {runtime[i]['tokens'][:24]}..., "
                                    f"python {want['tokens'][:24]}...")
            print(f"L={length}: {same}/{len(prompts)} prompts identical ({truncated} truncated)")
            if same != len(prompts):
                failures.append(f"L={length}: {len(prompts) - same} prompts differ")
    unk = python_side.batch(["x" * 150 + " hair"], 8)[0][0].tolist()
    if unk[:3] != [wordpiece_spm.CLS_ID, wordpiece_spm.UNK_ID, python_side.ids["\u2581hair"]]:
        failures.append(f"the 150-letter word: {unk}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
