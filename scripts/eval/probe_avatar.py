#!/usr/bin/python3
"""Probes one generated avatar: decodes its avatar.latent with the package's decoder and prints the
attributes the probes read from the maps (JSON).

    /usr/bin/python3 scripts/eval/probe_avatar.py --model models/default --probes scripts/eval/probes.json out/avatar.latent
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.maps import texel_maps  # noqa: E402
from avatar_train.template import Template  # noqa: E402
from probes import PROBE_FEATURES, Geometry, SoftmaxProbe, features, stack  # noqa: E402

LATENT_MAGIC = b"TERALATN"  # avatar.latent's first bytes (docs/model-package.md)


def read_latent(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != LATENT_MAGIC:
        raise ValueError(f"{path}: not an avatar.latent")
    _, rank = np.frombuffer(data, "<u4", 2, 8)
    shape = np.frombuffer(data, "<u4", rank, 16)
    return np.frombuffer(data, "<f4", int(np.prod(shape)), 16 + 4 * rank).reshape(shape)


def load_probes(path):
    """Probes saved by evaluate.py --save-probes -> {attribute: SoftmaxProbe}."""
    return {k: SoftmaxProbe.from_dict(v) for k, v in json.load(open(path))["probes"].items()}


def probe_latents(model, probes, latents):
    """Decodes each avatar.latent with the package's decoder and probes the maps.

    probes: {attribute: SoftmaxProbe}; latents: [paths] -> [{attribute: class}]."""
    manifest = json.load(open(os.path.join(model, "manifest.json")))
    template = Template(os.path.join(model, manifest["template"]))
    geo = Geometry(template)
    decoder = torch.jit.load(os.path.join(model, manifest["modules"]["decoder"]))
    results = []
    with torch.no_grad():
        for path in latents:
            grid = decoder(torch.from_numpy(read_latent(path).copy())[None])[0].numpy()
            f = features(texel_maps(grid, template), geo)
            results.append({a: p.predict(stack([f], PROBE_FEATURES[a]))[0] for a, p in probes.items()})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--probes", default=os.path.join(HERE, "probes.json"))
    parser.add_argument("latents", nargs="+")
    args = parser.parse_args()
    for path, result in zip(args.latents, probe_latents(args.model, load_probes(args.probes), args.latents)):
        print(json.dumps({"latent": path, **result}))


if __name__ == "__main__":
    main()
