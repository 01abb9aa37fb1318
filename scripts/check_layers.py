#!/usr/bin/env python3
"""Checks libtera's layering (docs/ARCHITECTURE.md, "Layers"): every `#include "tera/<stage>/..."`
in src/ and include/tera/ must point at a stage on a lower layer than the including file's own.
Prints each upward include and exits 1 when there is one.

    python3 scripts/check_layers.py [REPO]
"""
import os
import re
import sys

LAYERS = [  # lowest first; a stage may include stages of lower layers only
    ("core",),
    ("io", "render", "gaussians"),
    ("decode", "diffusion"),
    ("pose", "view", "text"),
    ("model",),
    ("generate",),
    ("cli",),
]
LEVEL = {stage: level for level, stages in enumerate(LAYERS) for stage in stages}
INCLUDE = re.compile(r'^\s*#\s*include\s+"tera/([a-z_]+)/', re.MULTILINE)


def stage_of(root, path):
    parts = os.path.relpath(path, root).split(os.sep)
    return parts[0] if len(parts) > 1 else None


def upward_includes(repo):
    found = []
    for root in (os.path.join(repo, "src"), os.path.join(repo, "include", "tera")):
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                if not name.endswith((".h", ".cpp", ".cu", ".cuh")):
                    continue
                path = os.path.join(folder, name)
                stage = stage_of(root, path)
                if stage not in LEVEL:
                    found.append((path, stage, "(stage not in LAYERS)"))
                    continue
                with open(path, encoding="utf-8") as f:
                    for used in INCLUDE.findall(f.read()):
                        if used not in LEVEL:
                            found.append((path, stage, f"{used} (stage not in LAYERS)"))
                        elif used != stage and LEVEL[used] >= LEVEL[stage]:
                            found.append((path, stage, used))
    return found


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = upward_includes(repo)
    for path, stage, used in found:
        print(f"{os.path.relpath(path, repo)}: {stage} includes {used}, which is not on a lower layer")
    print(f"{len(found)} include(s) against the layering" if found else "layering holds: no stage includes one above or beside it")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
