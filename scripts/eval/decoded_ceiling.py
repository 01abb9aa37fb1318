#!/usr/bin/python3
"""The attribute reader's ceiling on decoded avatars: how often it reads the teacher's truth from held-out teacher
avatars encoded and decoded by a package (reconstruction.py's teacher.ply and decoded.ply), beside its reading of the
teacher's own avatars.

    .deps/venv/bin/python3 scripts/eval/decoded_ceiling.py --reconstruction REC --data DATA [--json OUT]

REC is reconstruction.py --out (one avatar-<index> folder per held-out avatar). The reader's own ceiling
(attribute_reader.json) is measured on teacher avatars; a generated avatar passes through the decoder, so what the
reader misreads on decoded avatars whose latent is the teacher's own is a floor under every generated figure: a
sample can be drawn exactly as the prompt asks and still be read otherwise.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)
from attribute_reader import Reader, reader_labels  # noqa: E402
from avatar_train.dataset import TeacherDataset  # noqa: E402


def ceilings(truths, teacher_reads, decoded_reads):
    """Per avatar the reader's classes of the truth, and its reads of the teacher's and the decoded avatar ([{attribute:
    class}], a truth of None not counted) -> {attribute: {"n", "teacher", "decoded", "decoded_only_misses"}}: the
    share read true on each, and how many avatars are read true on the teacher's but not on the decoded one."""
    out = {}
    for truth, teacher, decoded in zip(truths, teacher_reads, decoded_reads):
        for attribute, value in truth.items():
            if value is None or attribute not in teacher:
                continue
            row = out.setdefault(attribute, {"n": 0, "teacher": 0, "decoded": 0, "decoded_only_misses": 0})
            row["n"] += 1
            row["teacher"] += teacher[attribute] == value
            row["decoded"] += decoded[attribute] == value
            row["decoded_only_misses"] += teacher[attribute] == value and decoded[attribute] != value
    for row in out.values():
        row["teacher"] = round(row["teacher"] / row["n"], 4)
        row["decoded"] = round(row["decoded"] / row["n"], 4)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reconstruction", required=True, help="reconstruction.py --out")
    parser.add_argument("--data", required=True, help="the teacher dataset the avatars come from")
    parser.add_argument("--reader", default=None, help="attribute reader file (default: scripts/eval's)")
    parser.add_argument("--json", help="write the table here")
    args = parser.parse_args()
    reader = Reader.load(args.reader) if args.reader else Reader.load()
    dataset = TeacherDataset(args.data)
    folders = sorted(f for f in os.listdir(args.reconstruction) if f.startswith("avatar-"))
    if not folders:
        raise SystemExit(f"{args.reconstruction}: no avatar-<index> folders (reconstruction.py --out)")
    truths, teacher_reads, decoded_reads = [], [], []
    for k, folder in enumerate(folders):
        index = int(folder.split("-", 1)[1])
        path = os.path.join(args.reconstruction, folder)
        truths.append(reader_labels(dataset.record(index)))
        teacher_reads.append(reader.read_ply(os.path.join(path, "teacher.ply")))
        decoded_reads.append(reader.read_ply(os.path.join(path, "decoded.ply")))
        print(f"read {k + 1} of {len(folders)}", file=sys.stderr, flush=True)
    table = ceilings(truths, teacher_reads, decoded_reads)
    print(f"{'attribute':14s} {'n':>4s} {'teacher':>8s} {'decoded':>8s} {'decoded-only misses':>20s}")
    for attribute, row in sorted(table.items()):
        print(f"{attribute:14s} {row['n']:4d} {row['teacher']:8.3f} {row['decoded']:8.3f} "
              f"{row['decoded_only_misses']:20d}")
    if args.json:
        with open(args.json + ".tmp", "w") as f:
            json.dump({"avatars": len(folders), "attributes": table}, f, indent=1)
        os.replace(args.json + ".tmp", args.json)


if __name__ == "__main__":
    main()
