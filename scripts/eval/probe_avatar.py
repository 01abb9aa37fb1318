#!/usr/bin/python3
"""Probes one generated avatar: decodes its avatar.latent with the package's decoder and prints the
attributes the probes read from the maps (JSON).

    /usr/bin/python3 scripts/eval/probe_avatar.py --model models/default --probes scripts/eval/probes.json out/avatar.latent
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from avatar_train.maps import gather  # noqa: E402
from avatar_train.template import Template  # noqa: E402
from evaluate import read_latent  # noqa: E402
from probes import PROBE_FEATURES, Geometry, SoftmaxProbe, features, stack  # noqa: E402


def probe_latents(model, probes_file, latents):
    """[avatar.latent paths] -> [{attribute: class}]."""
    manifest = json.load(open(os.path.join(model, "manifest.json")))
    template = Template(os.path.join(model, manifest["template"]))
    geo = Geometry(template)
    decoder = torch.jit.load(os.path.join(model, manifest["modules"]["decoder"]))
    probes = {k: SoftmaxProbe.from_dict(v) for k, v in json.load(open(probes_file))["probes"].items()}
    results = []
    with torch.no_grad():
        for path in latents:
            grid = decoder(torch.from_numpy(read_latent(path).copy())[None])[0].numpy()
            maps = gather(grid, template).reshape(grid.shape[0] // 11, 11, -1).transpose(0, 2, 1)
            f = features(maps, geo)
            results.append({a: p.predict(stack([f], PROBE_FEATURES[a]))[0] for a, p in probes.items()})
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--probes", default=os.path.join(HERE, "probes.json"))
    parser.add_argument("latents", nargs="+")
    args = parser.parse_args()
    for path, result in zip(args.latents, probe_latents(args.model, args.probes, args.latents)):
        print(json.dumps({"latent": path, **result}))


if __name__ == "__main__":
    main()
