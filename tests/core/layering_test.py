"""The stages' layering (docs/ARCHITECTURE.md, "Layers"): the source tree has no include that points
up or sideways, and the checker finds one planted in a scratch tree (so a pass means something).

    python3 tests/core/layering_test.py REPO
"""
import os
import sys
import tempfile

REPO = sys.argv[1]
sys.path.insert(0, os.path.join(REPO, "scripts"))
from check_layers import upward_includes  # noqa: E402


def write(root, path, text):
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    with open(os.path.join(root, path), "w") as f:
        f.write(text)


found = upward_includes(REPO)
for path, stage, used in found:
    print(f"FAIL {os.path.relpath(path, REPO)}: {stage} includes {used}")
assert not found, f"{len(found)} include(s) against the layering"

with tempfile.TemporaryDirectory() as scratch:
    write(scratch, "src/decode/ok.cpp", '#include "tera/core/error.h"\n#include "tera/decode/assembly.h"\n')
    write(scratch, "include/tera/decode/up.h", '#pragma once\n#include "tera/model/manifest.h"\n')
    write(scratch, "src/diffusion/sideways.cpp", '#include "tera/decode/assembly.h"\n')
    planted = sorted((os.path.relpath(p, scratch), s, u) for p, s, u in upward_includes(scratch))
    expected = [("include/tera/decode/up.h", "decode", "model"), ("src/diffusion/sideways.cpp", "diffusion", "decode")]
    assert planted == expected, f"checker found {planted}, expected {expected}"
print("layering holds; the checker catches a planted upward and a sideways include")
