#!/usr/bin/python3
"""Attribute reader: what a person would say an avatar has, read from its Gaussians alone.

    /usr/bin/python3 scripts/eval/attribute_reader.py fit --data DATA --synth build/tera-synth \
        --out scripts/eval/attribute_reader.json [--train 1500] [--test N] [--jobs 2]
    /usr/bin/python3 scripts/eval/attribute_reader.py read [--reader FILE] [--frame ydown] avatar.ply ...

It reads an avatar as `tera` writes it (an INRIA 3DGS .ply, stored y-down: docs/formats.md) or as
Gaussian arrays in tera's y-up frame (teacher maps made a .ply by `tera-synth assemble`), and never looks at
anything a model package holds: no maps, no layers, no latents, no Gaussian order. Both inputs go
through the same arrays (float32 positions, f_dc, opacity logits), so the same Gaussians give the
same features bit for bit (tests/train/attribute_reader_test.py checks it through `tera convert`).

Features (attribute_features.py): opacity-composited views of the Gaussians, landmarks found on
them, region statistics per attribute; docs/evaluation.md lists them and the ceiling.

Classifiers: multinomial logistic regression on standardised features (numpy), fitted on teacher
avatars with the teacher's ground truth. `fit` reports the accuracy on held-out teacher avatars
(the reader's ceiling: what it can read at best) and saves everything needed to read (the nose
profile and the classifiers) as one JSON file.
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from attribute_features import (NOSE_CELL, NOSE_DEPTH, NOSE_HALF, NOSE_ROWS, Avatar, features,  # noqa: E402
                                fit_nose_profile, from_maps, read_ply, teacher_nose)

FORMAT = "tera-attribute-reader"
VERSION = 1


def reader_value(attribute, value):
    """A teacher value of attribute -> the reader's class for it: the glasses' kinds read as "yes"."""
    if attribute == "glasses":
        return "no" if value == "none" else "yes"
    return value


def reader_labels(record):
    """A teacher avatar's captions.jsonl record -> the reader's classes; hair colour only where there is hair."""
    from avatar_train.attributes import labels
    named = labels(record)
    out = {k: named[k] for k in ("gender", "build", "hair_length", "top_colour", "bottom_colour", "facial_hair")}
    out["hair_colour"] = named["hair_colour"] if named["hair_length"] != "bald" else None
    out["beard"] = "yes" if named["facial_hair"] == "beard" else "no"
    out["glasses"] = reader_value("glasses", named["glasses"])
    out["hat"] = named["hat"]
    return out


# ---------------------------------------------------------------------------------------------
# Classifier

class SoftmaxClassifier:
    """Multinomial logistic regression on standardised features; nans become the training mean."""

    STEPS = 3000   # full-batch gradient steps: held-out accuracy has settled by then
    RATE = 0.5     # step size on standardised features
    L2 = 1e-3      # weight decay: keeps weights finite when classes separate

    def fit(self, x, labels, l2=None):
        self.classes = sorted(set(labels))
        y = np.array([self.classes.index(v) for v in labels])
        self.mean = np.nanmean(x, 0)
        self.mean[~np.isfinite(self.mean)] = 0.0
        z = self._fill(x)
        self.std = z.std(0) + 1e-6
        z = z / self.std - self.mean / self.std
        l2 = self.L2 if l2 is None else l2
        k = len(self.classes)
        onehot = np.eye(k)[y]
        self.w, self.b = np.zeros((z.shape[1], k)), np.log(onehot.mean(0) + 1e-9)
        for _ in range(self.STEPS):
            logits = z @ self.w + self.b
            p = np.exp(logits - logits.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            g = (p - onehot) / len(z)
            self.w -= self.RATE * (z.T @ g + l2 * self.w)
            self.b -= self.RATE * g.sum(0)
        return self

    def _fill(self, x):
        x = np.array(x, dtype=np.float64)
        bad = ~np.isfinite(x)
        x[bad] = np.broadcast_to(self.mean, x.shape)[bad]
        return x

    def probabilities(self, x):
        z = (self._fill(x) - self.mean) / self.std
        logits = z @ self.w + self.b
        p = np.exp(logits - logits.max(1, keepdims=True))
        return p / p.sum(1, keepdims=True)

    def predict(self, x):
        return [self.classes[i] for i in np.argmax(self.probabilities(x), 1)]

    def to_dict(self):
        return {"classes": self.classes, "mean": self.mean.tolist(), "std": self.std.tolist(),
                "w": self.w.tolist(), "b": self.b.tolist()}

    @staticmethod
    def from_dict(d):
        c = SoftmaxClassifier()
        c.classes = list(d["classes"])
        for k in ("mean", "std", "w", "b"):
            setattr(c, k, np.array(d[k], dtype=np.float64))
        return c


def stack(feature_list, groups):
    return np.stack([np.concatenate([f[g] for g in groups]) for f in feature_list])


# ---------------------------------------------------------------------------------------------
# The fitted reader

DEFAULT_READER = os.path.join(HERE, "attribute_reader.json")


def _compact(values):
    """float arrays -> JSON lists with 7 significant digits (float32 precision); nan -> null."""
    return [None if not np.isfinite(v) else float(f"{v:.7g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def _array(values, shape=None):
    a = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return a.reshape(shape) if shape is not None else a


class Reader:
    """The nose profile and one classifier per attribute, with the reader's measured ceiling."""

    def __init__(self, nose_profile, attributes, fitted_on):
        self.nose_profile = nose_profile    # float[2 * NOSE_ROWS + 1, 2 * NOSE_HALF + 1]
        self.attributes = attributes        # {name: {"groups", "classifier", "ceiling"}}
        self.fitted_on = fitted_on

    @property
    def ceiling(self):
        """{attribute: {"accuracy", "n", ...}}: accuracy on held-out teacher avatars."""
        return {k: v["ceiling"] for k, v in self.attributes.items() if v.get("ceiling")}

    def avatar(self, g):
        return Avatar(g, self.nose_profile)

    def read(self, g):
        """Gaussian arrays (read_ply or from_maps) -> {attribute: class}."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=RuntimeWarning)  # empty regions: nan means, expected
            f = features(self.avatar(g))
        return {k: v["classifier"].predict(stack([f], v["groups"]))[0] for k, v in self.attributes.items()}

    def read_ply(self, path, frame="ydown"):
        return self.read(read_ply(path, frame))

    def to_dict(self):
        return {"format": FORMAT, "version": VERSION, "fitted_on": self.fitted_on,
                "nose_profile": {"shape": list(self.nose_profile.shape), "values": _compact(self.nose_profile)},
                "attributes": {k: {"groups": v["groups"], "ceiling": v.get("ceiling"),
                                   "classifier": {"classes": v["classifier"].classes,
                                                  "mean": _compact(v["classifier"].mean),
                                                  "std": _compact(v["classifier"].std),
                                                  "w": _compact(v["classifier"].w), "b": _compact(v["classifier"].b),
                                                  "w_shape": list(v["classifier"].w.shape)}}
                               for k, v in self.attributes.items()}}

    @staticmethod
    def from_dict(d, source="reader"):
        if d.get("format") != FORMAT or d.get("version") != VERSION:
            raise ValueError(f"{source}: not a {FORMAT} file of version {VERSION}")
        profile = _array(d["nose_profile"]["values"], d["nose_profile"]["shape"])
        attributes = {}
        for name, v in d["attributes"].items():
            c = SoftmaxClassifier()
            k = v["classifier"]
            c.classes = list(k["classes"])
            c.mean, c.std, c.b = _array(k["mean"]), _array(k["std"]), _array(k["b"])
            c.w = _array(k["w"], k["w_shape"])
            attributes[name] = {"groups": list(v["groups"]), "classifier": c, "ceiling": v.get("ceiling")}
        return Reader(profile, attributes, d.get("fitted_on"))

    def save(self, path):
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.to_dict(), f, separators=(",", ":"))
        os.replace(tmp, path)

    @staticmethod
    def load(path=DEFAULT_READER):
        with open(path) as f:
            return Reader.from_dict(json.load(f), path)


# ---------------------------------------------------------------------------------------------
# Fitting on a teacher dataset

NOSE_FIT_AVATARS = 400  # training avatars whose true nose tips make the mean profile


def _teacher_features(args):
    """(dataset folder, ids, nose profile, tera-synth) -> [(features, labels, nose error / H)] (a worker's share)."""
    folder, ids, profile, synth = args
    from avatar_train.dataset import TeacherDataset
    ds = TeacherDataset(folder)
    out = []
    for i in ids:
        maps = ds.maps(i)
        av = Avatar(from_maps(maps, ds.template_path, synth), profile)
        error = (av.nose_y - teacher_nose(maps, ds.template)[1]) / av.H
        out.append((features(av), reader_labels(ds.record(i)), error))
    return out


def _subsets(labels):
    """Named subsets of held-out avatars the ceiling is also reported on."""
    return {"men": labels["gender"] == "man", "with_hat": labels["hat"] == "yes",
            "with_glasses": labels["glasses"] == "yes"}


def fit(folder, train_ids, test_ids, synth, jobs=1, log=print):
    """Fits a Reader on teacher avatars train_ids of the dataset in FOLDER (made Gaussians by the
    tera-synth binary SYNTH) and measures it on test_ids."""
    from multiprocessing import Pool
    from avatar_train.dataset import TeacherDataset
    warnings.filterwarnings("ignore", category=RuntimeWarning)  # empty regions give nan means: expected
    ds = TeacherDataset(folder)
    began = time.time()
    depth_images, rows = [], []
    for i in train_ids[:NOSE_FIT_AVATARS]:
        maps = ds.maps(i)
        av = Avatar(from_maps(maps, ds.template_path, synth), None)
        nose = teacher_nose(maps, ds.template)
        depth_images.append(av.nose_depth_image())
        rows.append((nose[1] - (av.top - NOSE_DEPTH * av.H)) / (NOSE_CELL * av.H) - 0.5)  # at scale 1
    profile = fit_nose_profile(depth_images, rows)
    log(f"nose profile from {len(rows)} avatars ({time.time() - began:.0f} s)")
    ids = list(train_ids) + list(test_ids)
    shares = [(folder, ids[k::jobs], profile, synth) for k in range(jobs)]
    if jobs > 1:
        with Pool(jobs) as pool:
            parts = pool.map(_teacher_features, shares)
    else:
        parts = [_teacher_features(shares[0])]
    by_id = {}
    for k, part in enumerate(parts):
        for i, item in zip(ids[k::jobs], part):
            by_id[i] = item
    log(f"features of {len(ids)} avatars ({time.time() - began:.0f} s)")
    nose_errors = np.abs([by_id[i][2] for i in test_ids])
    attributes = {}
    for name, groups in ATTRIBUTE_GROUPS.items():
        tr = [i for i in train_ids if by_id[i][1][name] is not None]
        te = [i for i in test_ids if by_id[i][1][name] is not None]
        c = SoftmaxClassifier().fit(stack([by_id[i][0] for i in tr], groups), [by_id[i][1][name] for i in tr])
        attributes[name] = {"groups": groups, "classifier": c, "ceiling": None}
    reader = Reader.from_dict(Reader(profile, attributes, None).to_dict())  # measure what is saved (7 digits)
    for name, v in reader.attributes.items():
        te = [i for i in test_ids if by_id[i][1][name] is not None]
        got = v["classifier"].predict(stack([by_id[i][0] for i in te], v["groups"]))
        right = np.array([g == by_id[i][1][name] for g, i in zip(got, te)])
        ceiling = {"accuracy": round(float(right.mean()), 4), "n": len(te), "subsets": {}}
        for subset in ("men", "with_hat", "with_glasses"):
            keep = np.array([_subsets(by_id[i][1])[subset] for i in te])
            if keep.any():
                ceiling["subsets"][subset] = {"accuracy": round(float(right[keep].mean()), 4), "n": int(keep.sum())}
        confusions = {}
        for g, i in zip(got, te):
            if g != by_id[i][1][name]:
                key = f"{by_id[i][1][name]} read as {g}"
                confusions[key] = confusions.get(key, 0) + 1
        ceiling["confusions"] = dict(sorted(confusions.items(), key=lambda kv: -kv[1])[:6])
        v["ceiling"] = ceiling
    reader.fitted_on = {
        "dataset": f"tera-synth generate --count {ds.manifest.get('count')} --seed {ds.manifest.get('seed')} "
                   f"(dataset format version {ds.manifest.get('version')}, R = {ds.manifest.get('resolution')})",
        "dataset_seed": ds.manifest.get("seed"), "avatars": len(ds),
        "train": f"{train_ids[0]}..{train_ids[-1]}", "held_out": f"{test_ids[0]}..{test_ids[-1]}",
        "input": "teacher maps -> tera-synth assemble -> .ply (the Gaussians a .ply holds)",
        "nose_error_over_height": {"median": round(float(np.median(nose_errors)), 5),
                                   "p99": round(float(np.quantile(nose_errors, 0.99)), 5),
                                   "max": round(float(nose_errors.max()), 5)},
    }
    return reader


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fit", help="fit on a teacher dataset, report the ceiling, save the reader")
    p.add_argument("--data", required=True)
    p.add_argument("--synth", default="build/tera-synth", help="the tera-synth binary (its assemble command makes the Gaussians)")
    p.add_argument("--out", default=DEFAULT_READER)
    p.add_argument("--train", type=int, default=1500, help="the first TRAIN avatars are fitted on")
    p.add_argument("--test", type=int, help="held-out avatars after them (default: all the rest)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes for the features")
    r = sub.add_parser("read", help="read .ply files (as tera writes them) with a fitted reader")
    r.add_argument("--reader", default=DEFAULT_READER)
    r.add_argument("--frame", default="ydown", choices=["ydown", "yup"], help="the frame the files store")
    r.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.command == "read":
        reader = Reader.load(args.reader)
        for path in args.files:
            print(json.dumps({"file": path, **reader.read_ply(path, args.frame)}))
        return 0
    from avatar_train.dataset import TeacherDataset
    count = len(TeacherDataset(args.data))
    train_ids = list(range(min(args.train, count - 1)))
    test_ids = list(range(len(train_ids), count if args.test is None else min(count, len(train_ids) + args.test)))
    reader = fit(args.data, train_ids, test_ids, args.synth, args.jobs)
    reader.save(args.out)
    print(f"{'attribute':14s} {'held-out accuracy':>18s} {'n':>5s}  men / with hat / with glasses")
    for name, v in reader.attributes.items():
        c = v["ceiling"]
        extra = " / ".join(f"{c['subsets'][s]['accuracy']:.3f}" if s in c["subsets"] else "-"
                           for s in ("men", "with_hat", "with_glasses"))
        print(f"{name:14s} {c['accuracy']:18.4f} {c['n']:5d}  {extra}")
    print(f"nose tip error / height: {reader.fitted_on['nose_error_over_height']}; saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
