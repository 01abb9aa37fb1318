#!/usr/bin/python3
"""Independent Python readers agree with tera's files (ctest: ThirdPartyPython.*).

  --reader plyfile    plyfile reads our binary .ply: header (format, one vertex element, the documented
                      float properties in order), count, and every property of every Gaussian, compared
                      with tera's reader (the values as stored) and with the written set turned 180
                      degrees about X (the y-down frame .ply stores). The other way round, tera's
                      reader takes the same values written by plyfile as ascii (properties in reverse
                      order) and as big-endian float64. A figure made by `tera scene` has the count and
                      bounds that `tera info --json` reports.
  --reader pygltflib  pygltflib opens our .glb: KHR_gaussian_splatting used but not required, one POINTS
                      primitive with the extension object, float accessors; count, POSITION min/max, and
                      every attribute (activated values, COLOR_0) compared with the written set and with
                      tera's reader. A figure made by `tera scene` has the count and bounds that
                      `tera info --json` reports.

The packages live in the project venv (.deps/venv, made by scripts/setup.sh from
scripts/requirements.txt). ctest runs this file with Debian's python3, which hands over to the venv's
Python. Without the venv or a package the test is skipped (exit 77) with the reason, or fails when
TERA_REQUIRE_PYTHON_TOOLS=1 (set by scripts/test.sh).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

C0 = 0.28209479177387814  # zeroth-order SH constant: colour = 0.5 + C0 * f_dc
COUNT = 300               # Gaussians of the random test sets
SEED = 17


def missing(reason):
    if os.environ.get("TERA_REQUIRE_PYTHON_TOOLS") == "1":
        print(f"FAILED: {reason} (TERA_REQUIRE_PYTHON_TOOLS=1 requires the third-party readers)")
        return 1
    print(f"SKIPPED: {reason}")
    return 77


def run_json(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(command)} exited with {result.returncode}: {result.stderr.strip()}")
    return json.loads(result.stdout)


class Checks:
    """Collects failures (each names the file and the field) so that one run reports all of them."""

    def __init__(self):
        self.failures = []

    def true(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition

    def close(self, np, what, got, want, tolerance, relative=False):
        """max |got - want| (relative to |want| when asked) must be <= tolerance; returns it."""
        got = np.asarray(got, dtype=np.float64)
        want = np.asarray(want, dtype=np.float64)
        if not self.true(got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"):
            return float("inf")
        diff = np.abs(got - want)
        if relative:
            diff = diff / np.maximum(np.abs(want), 1e-30)
        worst = float(diff.max()) if diff.size else 0.0
        if not worst <= tolerance:
            i = int(np.argmax(diff))
            index = np.unravel_index(i, diff.shape)
            self.failures.append(f"{what}: max {'relative ' if relative else ''}|diff| {worst:.3g} > {tolerance:g} "
                                 f"at {tuple(int(k) for k in index)} (got {got.flat[i]!r}, expected {want.flat[i]!r})")
        return worst


def as_arrays(np, dump):
    """tera_io_dump's JSON -> numpy float32 arrays shaped [N, ...]."""
    n, k = dump["count"], (dump["sh_degree"] + 1) ** 2
    return {
        "count": n,
        "sh_degree": dump["sh_degree"],
        "positions": np.array(dump["positions"], dtype=np.float32).reshape(n, 3),
        "log_scales": np.array(dump["log_scales"], dtype=np.float32).reshape(n, 3),
        "rotations": np.array(dump["rotations"], dtype=np.float32).reshape(n, 4),
        "opacity_logits": np.array(dump["opacity_logits"], dtype=np.float32).reshape(n),
        "sh": np.array(dump["sh"], dtype=np.float32).reshape(n, k, 3),
    }


def rotated_180_about_x(np, s):
    """The y-down frame that .ply stores, computed here from docs/formats.md, not with tera's code:
    positions (x, y, z) -> (x, -y, -z); quaternion q -> (0,1,0,0)*q, i.e. (w, x, y, z) -> (-x, w, -z, y);
    SH coefficient k = l*l + l + m scaled by (-1)^(l+m), times -1 more when m < 0. Only signs and order
    change: exact in float32."""
    out = dict(s)
    out["positions"] = s["positions"] * np.array([1, -1, -1], dtype=np.float32)
    w, x, y, z = (s["rotations"][:, a] for a in range(4))
    out["rotations"] = np.stack([-x, w, -z, y], axis=1)
    signs = []
    for k in range(s["sh"].shape[1]):
        l = int(np.floor(np.sqrt(k)))
        m = k - l * l - l
        signs.append(-1.0 if (l + m + (1 if m < 0 else 0)) % 2 else 1.0)
    out["sh"] = s["sh"] * np.array(signs, dtype=np.float32)[None, :, None]
    return out


def ply_columns(s):
    """A set's values as the .ply properties documented in docs/formats.md, in their order."""
    n, k = s["count"], s["sh"].shape[1]
    columns = [("x", s["positions"][:, 0]), ("y", s["positions"][:, 1]), ("z", s["positions"][:, 2])]
    columns += [(name, s["positions"][:, 0] * 0) for name in ("nx", "ny", "nz")]
    columns += [(f"f_dc_{c}", s["sh"][:, 0, c]) for c in range(3)]
    columns += [(f"f_rest_{c * (k - 1) + j}", s["sh"][:, j + 1, c]) for c in range(3) for j in range(k - 1)]
    columns += [("opacity", s["opacity_logits"])]
    columns += [(f"scale_{a}", s["log_scales"][:, a]) for a in range(3)]
    columns += [(f"rot_{a}", s["rotations"][:, a]) for a in range(4)]
    assert all(len(values) == n for _, values in columns)
    return columns


def info_bounds_check(np, checks, args, path, count, lo, hi, frame_note):
    """`tera info --json` of `path` reports `count` and bounds lo/hi (tera's y-up frame). Its bounds are
    printed with %.6g: six significant digits, so they agree within 5e-6 of the value's magnitude."""
    info = run_json(args.tera, "info", "--json", path)
    checks.true(info["count"] == count, f"{path}: tera info count {info['count']}, the reader found {count}")
    tolerance = 5e-6 * np.maximum(np.abs(np.concatenate([lo, hi])), 1.0) + 1e-7
    diff = np.abs(np.array(info["bounds"]["min"] + info["bounds"]["max"]) - np.concatenate([lo, hi]))
    checks.true(bool(np.all(diff <= tolerance)),
                f"{path}: tera info bounds {info['bounds']} differ from the reader's min {lo} max {hi} ({frame_note})")
    return float(diff.max())


def check_plyfile(args, checks):
    try:
        import numpy as np
        import plyfile
    except ImportError as error:
        return missing(f"{sys.executable} cannot import {error.name} (scripts/setup.sh installs it into .deps/venv)")
    from importlib.metadata import version
    print(f"plyfile {version('plyfile')}, numpy {np.__version__}, {sys.executable}")
    for degree in range(4):
        path = os.path.join(args.work, f"random_sh{degree}.ply")
        written = as_arrays(np, run_json(args.dump, "write", str(COUNT), str(degree), str(SEED + degree), path))
        ours = as_arrays(np, run_json(args.dump, "read", path, "yup"))  # yup: the values exactly as stored
        expected = ply_columns(rotated_180_about_x(np, written))
        data = plyfile.PlyData.read(path)
        checks.true(not data.text and data.byte_order == "<",
                    f"{path}: format {'ascii' if data.text else data.byte_order}, expected binary_little_endian")
        checks.true([e.name for e in data.elements] == ["vertex"],
                    f"{path}: elements {[e.name for e in data.elements]}, expected only vertex")
        vertex = data["vertex"]
        names = [p.name for p in vertex.properties]
        checks.true(names == [name for name, _ in expected],
                    f"{path}: properties {names}, expected {[name for name, _ in expected]}")
        types = sorted({str(vertex.data.dtype[name].base) for name in names})
        checks.true(types == ["float32"], f"{path}: property types {types}, expected float32 only")
        if not checks.true(vertex.count == COUNT, f"{path}: plyfile finds {vertex.count} vertices, wrote {COUNT}"):
            continue
        # .ply holds float32 as written and the frame turn only changes signs and order: exact (tolerance 0).
        worst_ours = worst_written = 0.0
        for (name, want), (_, stored) in zip(expected, ply_columns(ours)):
            if name not in names:
                continue
            worst_written = max(worst_written, checks.close(np, f"{path}: {name} vs the written set", vertex[name], want, 0.0))
            worst_ours = max(worst_ours, checks.close(np, f"{path}: {name} vs tera's reader", vertex[name], stored, 0.0))
        print(f"plyfile read {vertex.count} Gaussians of SH degree {degree} ({len(names)} float properties, "
              f"binary_little_endian) from {os.path.basename(path)}: max |diff| {worst_ours:g} vs tera's reader, "
              f"{worst_written:g} vs the written set turned 180 degrees about X")

        # The other way round: plyfile writes the values it read, and tera's reader must find them again.
        # ascii: plyfile prints %.18g, which parses back to the same float32 (tolerance 0).
        reverse = plyfile.PlyElement.describe(
            np.array(list(zip(*[vertex[n] for n in reversed(names)])), dtype=[(n, "f4") for n in reversed(names)]), "vertex")
        big = plyfile.PlyElement.describe(
            np.array(list(zip(*[vertex[n] for n in names])), dtype=[(n, ">f8") for n in names]), "vertex")
        for label, element, text, order in (("ascii .ply (properties in reverse order)", reverse, True, "="),
                                            ("binary_big_endian .ply (float64 properties)", big, False, ">")):
            other = path.replace(".ply", "_" + label.split()[0] + ".ply")
            plyfile.PlyData([element], text=text, byte_order=order).write(other)
            again = as_arrays(np, run_json(args.dump, "read", other, "yup"))
            checks.true(again["count"] == COUNT and again["sh_degree"] == degree,
                        f"{other}: tera reads {again['count']} Gaussians of degree {again['sh_degree']}, "
                        f"expected {COUNT} of degree {degree}")
            worst = 0.0
            if again["count"] == COUNT and again["sh_degree"] == degree:
                for (name, value), (_, stored) in zip(ply_columns(again), ply_columns(ours)):
                    worst = max(worst, checks.close(np, f"{other}: {name}", value, stored, 0.0))
            print(f"tera read {again['count']} Gaussians from plyfile's {label}: max |diff| {worst:g}")

    # A figure made by the CLI: plyfile's count and its y-down positions turned into tera's y-up frame
    # ((x, y, z) -> (x, -y, -z)) match `tera info --json`.
    figure = os.path.join(args.work, "figure.ply")
    subprocess.run([args.tera, "scene", "--kind", "figure", "--out", figure, "-q"], check=True, stdout=subprocess.DEVNULL)
    vertex = plyfile.PlyData.read(figure)["vertex"]
    x, y, z = (np.asarray(vertex[a], dtype=np.float64) for a in "xyz")
    lo = np.array([x.min(), -y.max(), -z.max()])
    hi = np.array([x.max(), -y.min(), -z.min()])
    worst = info_bounds_check(np, checks, args, figure, vertex.count, lo, hi, "y-down file turned into y-up")
    print(f"plyfile read {vertex.count} Gaussians from `tera scene` figure.ply: count and bounds agree with "
          f"`tera info --json` (max |diff| {worst:.2g}, info prints 6 significant digits)")
    return 0


ACCESSOR_COMPONENTS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4}
FLOAT = 5126  # glTF componentType for float32
POINTS = 0    # glTF primitive mode


def read_accessor(np, checks, gltf, blob, path, attribute, index):
    """The float values of accessor `index` as [count, components], read from the GLB's binary chunk."""
    accessor = gltf.accessors[index]
    view = gltf.bufferViews[accessor.bufferView]
    components = ACCESSOR_COMPONENTS[accessor.type]
    if not checks.true(accessor.componentType == FLOAT and accessor.sparse is None,
                       f"{path}: {attribute} accessor {index}: componentType {accessor.componentType} "
                       f"sparse {accessor.sparse}, expected float ({FLOAT}) and not sparse"):
        return None
    stride = view.byteStride or 4 * components
    start = (view.byteOffset or 0) + (accessor.byteOffset or 0)
    end = start + stride * (accessor.count - 1) + 4 * components
    checks.true(end <= (view.byteOffset or 0) + view.byteLength,
                f"{path}: {attribute} accessor {index} ends at byte {end}, past its buffer view")
    rows = np.lib.stride_tricks.as_strided(np.frombuffer(blob, dtype="<f4", offset=start),
                                           shape=(accessor.count, components), strides=(stride, 4))
    return np.array(rows, dtype=np.float32)


def check_pygltflib(args, checks):
    try:
        import numpy as np
        import pygltflib
    except ImportError as error:
        return missing(f"{sys.executable} cannot import {error.name} (scripts/setup.sh installs it into .deps/venv)")
    from importlib.metadata import version
    print(f"pygltflib {version('pygltflib')}, numpy {np.__version__}, {sys.executable}")
    ext = "KHR_gaussian_splatting"
    for degree in range(4):
        path = os.path.join(args.work, f"random_sh{degree}.glb")
        written = as_arrays(np, run_json(args.dump, "write", str(COUNT), str(degree), str(SEED + degree), path))
        ours = as_arrays(np, run_json(args.dump, "read", path))  # .glb stores tera's own y-up frame
        gltf = pygltflib.GLTF2().load_binary(path)
        blob = gltf.binary_blob()
        checks.true(ext in (gltf.extensionsUsed or []), f"{path}: extensionsUsed {gltf.extensionsUsed} lacks {ext}")
        checks.true(ext not in (gltf.extensionsRequired or []), f"{path}: extensionsRequired lists {ext}")
        primitives = [p for mesh in gltf.meshes for p in mesh.primitives]
        if not checks.true(len(primitives) == 1, f"{path}: {len(primitives)} mesh primitives, expected 1"):
            continue
        primitive = primitives[0]
        checks.true(primitive.mode == POINTS, f"{path}: primitive mode {primitive.mode}, expected POINTS (0)")
        checks.true((primitive.extensions or {}).get(ext) == {"kernel": "ellipse", "colorSpace": "srgb_rec709_display"},
                    f"{path}: primitive extensions {primitive.extensions}")
        attributes = {name: index for name, index in vars(primitive.attributes).items() if index is not None}
        sh_names = [f"{ext}:SH_DEGREE_{l}_COEF_{n}" for l in range(degree + 1) for n in range(2 * l + 1)]
        wanted = ["POSITION", "COLOR_0", f"{ext}:ROTATION", f"{ext}:SCALE", f"{ext}:OPACITY"] + sh_names
        checks.true(sorted(attributes) == sorted(wanted), f"{path}: attributes {sorted(attributes)}, expected {sorted(wanted)}")
        values = {}
        for name in wanted:
            if name in attributes:
                values[name] = read_accessor(np, checks, gltf, blob, path, name, attributes[name])
        if any(v is None for v in values.values()) or len(values) != len(wanted):
            continue
        counts = {name: len(v) for name, v in values.items()}
        if not checks.true(set(counts.values()) == {COUNT}, f"{path}: accessor counts {counts}, wrote {COUNT}"):
            continue

        position = values["POSITION"]
        accessor = gltf.accessors[attributes["POSITION"]]
        # Positions are float32 as held in memory, so min/max and values are exact (tolerance 0).
        checks.close(np, f"{path}: POSITION accessor min", accessor.min, position.min(axis=0), 0.0)
        checks.close(np, f"{path}: POSITION accessor max", accessor.max, position.max(axis=0), 0.0)
        checks.close(np, f"{path}: POSITION accessor min vs the written set", accessor.min, written["positions"].min(axis=0), 0.0)
        checks.close(np, f"{path}: POSITION accessor max vs the written set", accessor.max, written["positions"].max(axis=0), 0.0)
        worst = {}
        worst["POSITION"] = checks.close(np, f"{path}: POSITION", position, written["positions"], 0.0)
        # SH coefficient l*l + n, RGB interleaved, raw as held: exact.
        for l in range(degree + 1):
            for n in range(2 * l + 1):
                name = f"{ext}:SH_DEGREE_{l}_COEF_{n}"
                worst["SH"] = max(worst.get("SH", 0.0), checks.close(np, f"{path}: {name}", values[name], written["sh"][:, l * l + n], 0.0))
        # Activated values, computed by the writer in float32 and here in float64: each is one float32
        # operation or two from exact inputs, a few units in the last place (6e-8 near 1), so 1e-6
        # absolute (relative for sigma, which spans exp(-5)..exp(-3)) is far below any real mistake.
        q = written["rotations"].astype(np.float64)
        q = q / np.linalg.norm(q, axis=1, keepdims=True)
        worst["ROTATION"] = checks.close(np, f"{path}: {ext}:ROTATION (x, y, z, w)", values[f"{ext}:ROTATION"], q[:, [1, 2, 3, 0]], 1e-6)
        worst["SCALE"] = checks.close(np, f"{path}: {ext}:SCALE", values[f"{ext}:SCALE"],
                                      np.exp(written["log_scales"].astype(np.float64)), 1e-6, relative=True)
        alpha = 1.0 / (1.0 + np.exp(-written["opacity_logits"].astype(np.float64)))
        worst["OPACITY"] = checks.close(np, f"{path}: {ext}:OPACITY", values[f"{ext}:OPACITY"][:, 0], alpha, 1e-6)
        colour = np.clip(0.5 + C0 * written["sh"][:, 0].astype(np.float64), 0.0, 1.0)
        worst["COLOR_0"] = checks.close(np, f"{path}: COLOR_0", values["COLOR_0"], np.concatenate([colour, alpha[:, None]], axis=1), 1e-6)
        # tera's own reader of the same file: positions and SH exact; it takes log of sigma and the logit
        # of alpha in float32, so compare in the stored (activated) space with the same 1e-6.
        checks.true(ours["count"] == COUNT and ours["sh_degree"] == degree,
                    f"{path}: tera reads {ours['count']} Gaussians of degree {ours['sh_degree']}")
        if ours["count"] == COUNT and ours["sh_degree"] == degree:
            theirs_vs_ours = [
                checks.close(np, f"{path}: POSITION vs tera's reader", position, ours["positions"], 0.0),
                checks.close(np, f"{path}: SH vs tera's reader",
                             np.stack([values[name] for name in sh_names], axis=1), ours["sh"], 0.0),
                checks.close(np, f"{path}: SCALE vs tera's reader", values[f"{ext}:SCALE"],
                             np.exp(ours["log_scales"].astype(np.float64)), 1e-6, relative=True),
                checks.close(np, f"{path}: OPACITY vs tera's reader", values[f"{ext}:OPACITY"][:, 0],
                             1.0 / (1.0 + np.exp(-ours["opacity_logits"].astype(np.float64))), 1e-6),
            ]
            r = ours["rotations"].astype(np.float64)
            r = r / np.linalg.norm(r, axis=1, keepdims=True)
            theirs_vs_ours.append(checks.close(np, f"{path}: ROTATION vs tera's reader", values[f"{ext}:ROTATION"], r[:, [1, 2, 3, 0]], 1e-6))
            worst["ours"] = max(theirs_vs_ours)
        summary = ", ".join(f"{k} {v:.2g}" for k, v in worst.items() if k != "ours")
        print(f"pygltflib read {COUNT} Gaussians of SH degree {degree} ({len(attributes)} attributes) from "
              f"{os.path.basename(path)}: POSITION min/max exact; max |diff| vs the written set: {summary}; "
              f"vs tera's reader: {worst.get('ours', float('nan')):.2g}")

    # A figure made by the CLI: count and POSITION min/max (y-up, as tera's frame) match `tera info --json`.
    figure = os.path.join(args.work, "figure.glb")
    subprocess.run([args.tera, "scene", "--kind", "figure", "--out", figure, "-q"], check=True, stdout=subprocess.DEVNULL)
    gltf = pygltflib.GLTF2().load_binary(figure)
    accessor = gltf.accessors[gltf.meshes[0].primitives[0].attributes.POSITION]
    worst = info_bounds_check(np, checks, args, figure, accessor.count, np.array(accessor.min), np.array(accessor.max),
                              "both y-up")
    print(f"pygltflib read {accessor.count} Gaussians from `tera scene` figure.glb: count and POSITION min/max "
          f"agree with `tera info --json` (max |diff| {worst:.2g}, info prints 6 significant digits)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reader", choices=("plyfile", "pygltflib"), required=True)
    parser.add_argument("--venv-python", required=True, help="the project venv's python3 (TERA_VENV_PYTHON)")
    parser.add_argument("--dump", required=True, help="tests/io's tera_io_dump helper")
    parser.add_argument("--tera", required=True)
    parser.add_argument("--work", required=True, help="scratch folder (emptied first)")
    args = parser.parse_args()

    venv = os.path.dirname(os.path.dirname(args.venv_python))
    if os.path.realpath(sys.prefix) != os.path.realpath(venv):
        if not os.path.exists(args.venv_python):
            return missing(f"the project venv {args.venv_python} does not exist (scripts/setup.sh makes it)")
        sys.stdout.flush()
        os.execv(args.venv_python, [args.venv_python] + sys.argv)

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    checks = Checks()
    status = (check_plyfile if args.reader == "plyfile" else check_pygltflib)(args, checks)
    if status:
        return status
    for failure in checks.failures:
        print("FAILED:", failure)
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
