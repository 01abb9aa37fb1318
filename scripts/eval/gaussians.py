"""Teacher-layout maps -> Gaussians through `tera-synth assemble`: the library's own assembly
(tera::assemble_gaussians, docs/template-format.md "Using it") and writers, for evaluations that
read or render maps. There is no second implementation of either here."""
import os
import subprocess
import tempfile

import numpy as np


def write_avatar(maps, template_path, out_path, synth):
    """maps float[3, M, 11 or 12] in the teacher's layout (template texel order) -> the Gaussians in
    out_path, whose extension names the format (.ply is stored y-down, as tera writes it)."""
    with tempfile.TemporaryDirectory() as scratch:
        raw = os.path.join(scratch, "maps.f32")
        np.ascontiguousarray(maps, dtype="<f4").tofile(raw)
        done = subprocess.run([synth, "assemble", "--template", template_path, "--maps", raw, "--out", out_path],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{synth} assemble -> {out_path} failed (exit {done.returncode}): {done.stderr.strip()}")
