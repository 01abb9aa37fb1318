"""Version-neutral weights: a module's state as a numpy archive plus a JSON sidecar.

torch 1.13 and 2.x both read these (torch.save's zip format changed between them), and the
archives hold plain float32 arrays whatever device trained them."""
import json
import os

import numpy as np
import torch


def save(stem, module, info):
    """Writes <stem>.npz (state dict) and <stem>.json (info) atomically."""
    state = {k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}
    with open(stem + ".json.tmp", "w") as f:
        json.dump(info, f)
    np.savez(stem + ".tmp.npz", **state)
    os.replace(stem + ".json.tmp", stem + ".json")
    os.replace(stem + ".tmp.npz", stem + ".npz")


def load(stem, module):
    """Loads <stem>.npz into module (strict) and returns the info of <stem>.json."""
    with np.load(stem + ".npz") as archive:
        module.load_state_dict({k: torch.from_numpy(archive[k]) for k in archive.files})
    with open(stem + ".json") as f:
        return json.load(f)
