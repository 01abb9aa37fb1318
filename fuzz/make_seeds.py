#!/usr/bin/env python3
"""Writes the small seed corpora of the fuzz targets into fuzz/corpus/<target>/ (committed).

Gaussian files come from tera's own writers (`tera scene` and `tera convert` of the binary given
with --tera); the other files are made here, a few hundred bytes each, following the layouts in
the readers' sources. Inputs of targets with a selector byte (docs/reliability.md) start with it.
  python3 fuzz/make_seeds.py --tera build/tera
"""
import argparse
import gzip
import hashlib
import json
import pathlib
import struct
import subprocess
import tempfile
import zlib

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def gaussian_seeds(tera):
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        for degree in (0, 1, 3):
            for ext in ("ply", "splat", "spz", "glb"):
                if ext == "splat" and degree:
                    continue  # .splat holds no SH bands
                out = work / f"cloud_sh{degree}.{ext}"
                subprocess.run([tera, "-q", "scene", "--kind", "cloud", "--count", "2", "--sh-degree", str(degree),
                                "--seed", str(degree + 1), "--out", str(out)], check=True)
                data = out.read_bytes()
                if ext == "spz":
                    put("spz", f"cloud_sh{degree}_file", b"\x00" + data)
                    put("spz", f"cloud_sh{degree}_content", b"\x01" + gzip.decompress(data))
                else:
                    put(ext, f"cloud_sh{degree}", data)
    # ASCII and big-endian .ply with every PLY property type, extra properties and a face element.
    names = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2",
             "rot_0", "rot_1", "rot_2", "rot_3"]
    types = ["float", "double", "float32", "float64", "char", "uchar", "short", "ushort", "int", "uint",
             "int8", "uint8", "int16", "uint16"]
    header = "ply\nformat ascii 1.0\ncomment every property type\nelement vertex 2\n"
    header += "".join(f"property {t} {n}\n" for t, n in zip(types, names))
    header += "property float nx\nproperty list uchar int extra\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n"
    body = "0.5 -1 2 1 2 3 4 -3 -2 -1 1 0 0 0 0 2 1 0\n1 2 3 4 5 6 7 8 9 10 11 12 13 14 0 1 7\n3 0 1 1\n"
    put("ply", "ascii_every_type", header + body)
    be = "ply\nformat binary_big_endian 1.0\nelement vertex 1\n" + "".join(
        f"property {t} {n}\n" for t, n in zip(["double"] * 3 + ["float"] * 11, names)) + "end_header\n"
    put("ply", "big_endian", be.encode() + struct.pack(">3d11f", 0, 1, 2, *range(11)))


def template_seed():
    m, v, t, b = 2, 3, 1, 2  # two texels on one triangle, two bones
    payload = struct.pack("<2I", 0, 1) + struct.pack("<2I", 0, 0) + struct.pack("<6f", 1, 0, 0, 0, 1, 0)
    for _ in range(4):  # position, normal, tangent, bitangent
        payload += struct.pack("<6f", 0, 0, 1, 0, 1, 0)
    payload += bytes([1, 2]) + struct.pack("<8H", 0, 1, 0, 0, 1, 0, 0, 0) + struct.pack("<8f", 1, 0, 0, 0, 0.5, 0.5, 0, 0)
    payload += struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0) + struct.pack("<3I", 0, 1, 2)
    for name in (b"root", b"spine"):
        payload += struct.pack("<I", len(name)) + name
    payload += struct.pack("<2i", -1, 0) + struct.pack("<6f", 0, 0, 0, 0, 1, 0) + struct.pack("<6f", 0, 1, 0, 0, 2, 0)
    header = b"TERATMPL" + struct.pack("<10I", 1, 2, m, v, t, b, 6, 4, len(payload), zlib.crc32(payload))
    put("template", "tiny", b"\x00" + header + payload)


def asset_pack_seed():
    def array(fmt, values):
        return struct.pack("<Q", len(values)) + struct.pack("<" + fmt * len(values), *values)

    def string(text):
        return struct.pack("<I", len(text)) + text.encode()

    n = 4  # base vertices
    payload = array("f", [0.0] * (3 * n)) + array("i", [0, 1, 2, 3]) + array("i", [0, 1, 2, 3]) + array("i", [0, 1, 2, 3])
    payload += array("f", [0, 0, 1, 0, 1, 1, 0, 1])
    payload += struct.pack("<I", 1) + string("t") + struct.pack("<I", 2) + bytes([1, 2]) + struct.pack("<6H", *[0x3c00] * 6)
    payload += struct.pack("<I", 1) + string("m") + array("i", [0]) + array("i", [0])
    payload += struct.pack("<I", 1) + string("shirt") + string("clothes") + array("i", [0, 1, 2]) + array("f", [1, 0, 0])
    payload += array("f", [0, 0, 0]) + struct.pack("<6i", 0, 1, 2, 3, 0, 1) + struct.pack("<3f", 1, 1, 1)
    payload += array("i", [0, 0, 0, 0]) + array("f", [0, 0]) + array("i", [3])
    payload += struct.pack("<I", 2) + string("root") + struct.pack("<i", -1) + array("i", [0]) + array("i", [1])
    payload += string("spine") + struct.pack("<i", 0) + array("i", [1]) + array("i", [2])
    payload += array("H", [0, 1, 0, 0] * n) + array("f", [1, 0, 0, 0] * n)
    header = b"TERAPACK" + struct.pack("<IIQII", 1, 0, len(payload), zlib.crc32(payload), 0)
    put("asset_pack", "tiny", b"\x00" + header + payload)


def shard_seed():
    m, layers, channels, count = 2, 3, 12, 2
    header = b"TERASHRD" + struct.pack("<IIQIHH", 2, count, 0, m, layers, channels)
    maps = struct.pack("<" + "H" * (m * layers * channels * count), *[0x3c00] * (m * layers * channels * count))
    put("shard", "two_avatars", b"\x01" + header + maps)


def latent_bytes(shape):
    values = 1
    for d in shape:
        values *= d
    return b"TERALATN" + struct.pack("<II", 1, len(shape)) + struct.pack(f"<{len(shape)}I", *shape) + \
        struct.pack(f"<{values}f", *[0.25 * i for i in range(values)])


def generate_seeds():
    put("latent", "shape_4x8", latent_bytes([4, 8]))
    put("latent", "rank4", latent_bytes([1, 2, 1, 3]))
    avatar = {"prompt": "a woman in a red coat", "seed": 7, "steps": 20, "guidance": 4.0, "sampler": "dpm++2m",
              "min_opacity": 0.005, "model": {"name": "fuzz", "manifest_sha256": "0" * 64},
              "latent_sha256": hashlib.sha256(latent_bytes([4, 8])).hexdigest()}
    put("avatar_folder", "generated", json.dumps(avatar).encode() + b"\n#latent\n" + latent_bytes([4, 8]))
    end = {"folder": "a", "prompt": "p", "seed": 1, "latent_sha256": "2" * 64}
    edited = dict(avatar, edits=[{"parts": ["hair"], "prompt": "short blue hair", "seed": 3, "steps": 20, "guidance": 4.0,
                                  "sampler": "ddim", "source_latent_sha256": "1" * 64}],
                  interpolation={"a": end, "b": dict(end, folder="b"), "t": 0.5, "path": "slerp", "attribute": "hair"})
    put("avatar_folder", "edited", json.dumps(edited).encode() + b"\n#latent\n" + latent_bytes([4, 8]))
    put("prompt_file", "text", b"\x00# comment\na woman with long red hair\n\n  a man in a blue suit  \n\xff bad utf-8\n")
    jsonl = [{"prompt": "a child in a yellow raincoat", "seed": 3, "name": "../child", "steps": 10, "guidance": 3.5,
              "sampler": "ddim", "views": 4}, {"prompt": "an old man", "name": "batch_report"}, {"prompt": ""}, [1]]
    put("prompt_file", "jsonl", b"\x01" + "\n".join(json.dumps(x) for x in jsonl).encode() + b"\n{bad\n")


def manifest_seed():
    digest = hashlib.sha256(b"x").hexdigest()  # every named file holds "x" in the fuzz target
    files = ["tokenizer.model", "text_encoder.pt", "denoiser.pt", "decoder.pt", "template.bin"]
    manifest = {
        "format_version": 1, "name": "fuzz", "description": "d", "licence": "l", "test_only": True, "provenance": {},
        "tokenizer": {"file": "tokenizer.model", "max_length": 16, "lowercase": True, "bos_id": 1, "eos_id": 2, "pad_id": 0},
        "modules": {"text_encoder": "text_encoder.pt", "denoiser": "denoiser.pt", "decoder": "decoder.pt"},
        "text": {"context_dim": 8}, "latent": {"shape": [2, 4], "tokens": [{"name": "a", "owns": "x"}, {"name": "b", "owns": "y"}]},
        "schedule": {"type": "scaled_linear", "num_train_steps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
                     "prediction": "eps", "timestep_spacing": "leading"},
        "sampling": {"default_steps": 20, "default_guidance": 4.0, "default_sampler": "ddim"},
        "maps": {"resolution": 8, "channels": 11, "layers": [{"name": "skin", "offset": 0, "color": 3, "opacity": 6,
                                                               "log_scale": 7, "rotation": 10, "rotation_kind": "angle",
                                                               "opacity_kind": "alpha"}]},
        "regions": ["scalp", "face", "upper_body", "arms", "lower_body", "feet"], "template": "template.bin",
        "sha256": {name: digest for name in files}}
    put("manifest", "tiny", json.dumps(manifest, indent=1))
    cosine = dict(manifest, schedule={"type": "cosine", "num_train_steps": 1000, "prediction": "v", "timestep_spacing": "trailing"})
    put("manifest", "cosine", json.dumps(cosine))


def pose_seeds():
    library = {"format": "tera-poses", "version": 1, "credit": "c", "frame": "f", "poses": [
        {"name": "wave", "description": "d", "root_translation": [0, -0.1, 0.02],
         "rotations": {"upperarm01.L": [0.9238795, 0, 0, 0.3826834], "spine01": [1, 0, 0, 0]}},
        {"name": "sit", "root_translation": [0, 0, 0], "rotations": {}}]}
    put("pose_library", "two_poses", json.dumps(library, indent=1))
    bvh = """HIERARCHY
ROOT Hips
{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT Spine
  {
    OFFSET 0 1 0
    CHANNELS 3 Zrotation Yrotation Xrotation
    JOINT Head
    {
      OFFSET 0 1.5 0.1
      CHANNELS 3 Xrotation Yrotation Zrotation
      End Site
      {
        OFFSET 0 0.5 0
      }
    }
  }
  JOINT LeftLeg
  {
    OFFSET 0.2 -1 0
    CHANNELS 4 Yposition Xrotation Yrotation Zrotation
    End Site
    {
      OFFSET 0 -1 0
    }
  }
}
MOTION
Frames: 2
Frame Time: 0.033333
0 1 0 0 0 0 10 20 30 5 5 5 0.1 45 0 0
0 1 0.1 90 0 0 -10 20 -30 5 -5 5 0 0 0 90
"""
    put("bvh", "three_joints", bvh)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tera", required=True, help="the tera binary whose writers make the Gaussian files")
    args = parser.parse_args()
    gaussian_seeds(args.tera)
    template_seed()
    asset_pack_seed()
    shard_seed()
    generate_seeds()
    manifest_seed()
    pose_seeds()


if __name__ == "__main__":
    main()
