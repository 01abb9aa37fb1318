#!/usr/bin/python3
"""The attribute reader (scripts/eval/attribute_reader.py) reads a written .ply as it reads the
Gaussian arrays it came from, and the committed reader (scripts/eval/attribute_reader.json) reads
teacher avatars it was not fitted on about as well as its recorded ceiling says.

    attribute_reader_test.py --synth TERA_SYNTH --tera TERA --shared ../shared --work DIR

1. tera-synth generates AVATARS teacher avatars with a seed the reader was not fitted on.
2. Same Gaussians, same features: for the first three, the maps become tera's own .ply (y-down, the
   product's default) through `tera-synth assemble` (the library's assembly and writer: what
   from_maps reads), and `tera convert --frame yup` stores a y-up copy. Read with its frame, the copy
   gives exactly the features of the original (the same float32 values; a turn of 180 degrees about X
   is exact), and so do the reader's answers. Read as y-down by mistake, the features differ (the
   frame is honoured).
3. Fresh avatars: the committed reader reads AVATARS avatars; over the attributes the evaluation holds
   to the 90 % bar (gender, hair colour where there is hair, hair length, top colour, facial hair,
   beard, hat, glasses) at most MAX_MISS_SHARE of all reads may be wrong. The recorded ceilings are
   0.96-1.0 per attribute (about 1.5 % misses over these), so the bar leaves room for chance on 40
   avatars and still fails a reader that is broken or fitted on another teacher.
Exit 77 (skipped) without the MakeHuman assets.
"""
import argparse
import os
import sys
import warnings

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
sys.path.insert(0, os.path.join(ROOT, "scripts", "eval"))
import attribute_reader  # noqa: E402
from fixtures import SKIP, run, teacher_data, verdict  # noqa: E402

AVATARS = 40
SEED = 77                # the reader is fitted on dataset seed 20261130
MAX_MISS_SHARE = 0.05    # of all reads of the held attributes
HELD = ["gender", "hair_colour", "hair_length", "top_colour", "facial_hair", "beard", "hat", "glasses"]


def write_raw(maps, folder):
    """maps -> the raw float32 file `tera-synth assemble --maps` reads."""
    path = os.path.join(folder, "maps.f32")
    np.ascontiguousarray(maps[:, :, :11], dtype="<f4").tofile(path)
    return path


def same_features(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--synth", required=True)
    parser.add_argument("--tera", required=True)
    parser.add_argument("--shared", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--reader", default=attribute_reader.DEFAULT_READER)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)  # empty regions: nan means, expected
    data = teacher_data(args.synth, args.shared, args.work, AVATARS, SEED)
    if data is None:
        return SKIP
    from avatar_train.dataset import TeacherDataset
    ds = TeacherDataset(data)
    reader = attribute_reader.Reader.load(args.reader)
    failures = []

    for i in range(3):
        maps = ds.maps(i)
        arrays = attribute_reader.from_maps(maps, ds.template_path, args.synth)
        ydown = os.path.join(args.work, f"avatar{i}.ply")
        yup = os.path.join(args.work, f"avatar{i}-yup.ply")
        run(args.synth, "assemble", "--template", ds.template_path, "--maps", write_raw(maps, args.work), "--out", ydown)
        run(args.tera, "convert", ydown, yup, "--frame", "yup", "-q")
        if not same_features(attribute_reader.features(reader.avatar(arrays)),
                             attribute_reader.features(reader.avatar(attribute_reader.read_ply(ydown)))):
            failures.append(f"avatar {i}: from_maps does not read what tera-synth assemble writes to {ydown}")
        from_copy = attribute_reader.read_ply(yup, frame="yup")
        f_arrays = attribute_reader.features(reader.avatar(arrays))
        f_copy = attribute_reader.features(reader.avatar(from_copy))
        if not same_features(f_arrays, f_copy):
            worst = max(float(np.nanmax(np.abs(f_arrays[k] - f_copy[k]))) for k in f_arrays)
            failures.append(f"avatar {i}: features from {yup} differ from the original's (largest difference {worst})")
        if reader.read(arrays) != reader.read_ply(yup, "yup"):
            failures.append(f"avatar {i}: the reader answers differently for {ydown} and {yup}")
        try:
            wrong = attribute_reader.features(reader.avatar(attribute_reader.read_ply(yup, frame="ydown")))
            if same_features(f_arrays, wrong):
                failures.append(f"avatar {i}: reading {yup} in the wrong frame gives the same features")
        except ValueError:
            pass  # upside down there is no face to find: the frame is honoured
        print(f"avatar {i}: {os.path.basename(ydown)} and its y-up copy give the same features: "
              f"{same_features(f_arrays, f_copy)}", flush=True)

    misses = reads = 0
    by_attribute = {}
    for i in range(len(ds)):
        truth = attribute_reader.reader_labels(ds.record(i))
        got = reader.read(attribute_reader.from_maps(ds.maps(i), ds.template_path, args.synth))
        for attribute in HELD:
            if truth[attribute] is None:
                continue
            wrong = got[attribute] != truth[attribute]
            reads, misses = reads + 1, misses + wrong
            h, n = by_attribute.get(attribute, (0, 0))
            by_attribute[attribute] = (h + (not wrong), n + 1)
            if wrong:
                print(f"avatar {i}: {attribute} {truth[attribute]} read as {got[attribute]}")
    for attribute, (h, n) in by_attribute.items():
        print(f"{attribute:12s} {h}/{n} (recorded ceiling {reader.ceiling[attribute]['accuracy']})")
    print(f"{misses} misses in {reads} reads ({misses / reads:.3f}; bar {MAX_MISS_SHARE})")
    if misses > MAX_MISS_SHARE * reads:
        failures.append(f"{misses} of {reads} reads wrong, more than {MAX_MISS_SHARE:.0%}")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
