#!/usr/bin/python3
"""Do plain build words give the build? Read from the generated latent by the teacher's own sliders.

    .deps/venv/bin/python3 scripts/eval/build_probe.py --model models/default --work WORK --data DATA \\
        [--tera build/tera] [--seeds 8] [--out DIR]

WORK is the package's training work folder (its latents.npy) and DATA the teacher dataset it trained on. The
body token's coordinates hold the teacher's body sliders nearly linearly: a least-squares fit of each slider
(weight, muscle, age) on the body token of the training avatars explains 0.975 of the weight's variance and more of
the others' (printed). The probe generates PROMPTS with SEEDS seeds each (`tera batch`, the product), applies the
fits to each avatar.latent's body token and cuts weight and muscle at the teacher's own thresholds
(attributes.build_class), so a build is read from the body itself, where the attribute reader reads it at 0.75 on
teacher avatars. Prompts without a build word report the fitted age, to show whether the build draw moves it
(a guided sample can lie outside the teacher's range, and the linear fit then reads ages beyond it).
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.attributes import build_class  # noqa: E402
from edit_locality import read_latent  # noqa: E402
from evaluate import run_batch  # noqa: E402

BUILDS = ("slim", "heavyset", "muscular")
PROMPTS = ([f"a {build} {person}" for build in BUILDS for person in ("man", "woman")]
           + [f"a {build} {person} in a blue t-shirt and jeans" for build in BUILDS for person in ("man", "woman")]
           + ["an old man", "a young woman", "an elderly woman", "a young man"])
FIRST_SEED = 5000   # apart from the seeds the README, the tests and the evaluation use
BODY = 0            # the body's token (docs/structured-latent.md)
SLIDERS = ("weight", "muscle", "age_years")


def slider_fits(work, data):
    """{slider: float64[C + 1]} least-squares weights on the body token (plus 1) of the training avatars, and R2."""
    latents = np.load(os.path.join(work, "latents.npy"), mmap_mode="r")
    with open(os.path.join(data, "captions.jsonl")) as f:
        records = [json.loads(line) for line, _ in zip(f, range(len(latents)))]
    body = np.c_[np.asarray(latents[:, BODY], np.float64), np.ones(len(latents))]
    fits, r2 = {}, {}
    for slider in SLIDERS:
        y = np.array([r["attributes"][slider] for r in records], np.float64)
        fits[slider] = np.linalg.lstsq(body, y, rcond=None)[0]
        r2[slider] = 1.0 - float(((body @ fits[slider] - y) ** 2).mean() / y.var())
    return fits, r2


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--work", required=True, help="the package's training work folder (latents.npy)")
    parser.add_argument("--data", required=True, help="the teacher dataset it trained on (captions.jsonl)")
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--seeds", type=int, default=8, help="avatars per prompt")
    parser.add_argument("--out", help="folder for the generated avatars (default: a temporary one, removed)")
    args = parser.parse_args()
    fits, r2 = slider_fits(args.work, args.data)
    print("sliders fitted on the body token: " + ", ".join(f"{k} R2 {v:.3f}" for k, v in r2.items()))
    followed = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or os.path.join(tmp, "generated")
        jsonl = os.path.join(tmp, "prompts.jsonl")
        with open(jsonl, "w") as f:
            for i, prompt in enumerate(PROMPTS):
                for s in range(args.seeds):
                    f.write(json.dumps({"prompt": prompt, "seed": FIRST_SEED + 100 * i + s, "name": f"p{i:02d}-{s}"})
                            + "\n")
        run_batch(args.tera, args.model, jsonl, folder)
        for i, prompt in enumerate(PROMPTS):
            read = []
            for s in range(args.seeds):
                z = read_latent(os.path.join(folder, f"p{i:02d}-{s}", "avatar.latent"))
                body = np.r_[z[BODY].astype(np.float64), 1.0]
                read.append({k: float(body @ w) for k, w in fits.items()})
            asked = next((b for b in BUILDS if b in prompt.split()), None)
            if asked:
                hits = sum(build_class(r["weight"], r["muscle"]) == asked for r in read)
                followed, total = followed + hits, total + len(read)
                print(f"'{prompt}': {hits}/{len(read)} {asked}")
            else:
                print(f"'{prompt}': fitted age {np.mean([r['age_years'] for r in read]):.0f}")
    print(f"builds followed: {followed} of {total}")


if __name__ == "__main__":
    main()
