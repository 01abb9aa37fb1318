#!/usr/bin/python3
"""Exports trained networks (train.py --work) as a model package (docs/model-package.md).

    /usr/bin/python3 scripts/train/export.py --work work/ --data data/ --out models/default \\
        [--eval eval-report.json] [--name default]

Writes tokenizer.model, text_encoder.pt, denoiser.pt, decoder.pt (TorchScript, exported with the
running torch: use Debian's 1.13 so that every newer LibTorch loads them), template.bin and
manifest.json with checksums, provenance and metrics. The package is built in a temporary folder
beside --out and renamed into place, so a failed export never leaves half a package.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from avatar_train import checkpoints  # noqa: E402
from avatar_train.config import ALPHA_FLOOR, SCHEDULE_STEPS  # noqa: E402
from avatar_train.maps import MapCodec  # noqa: E402
from avatar_train.template import Template  # noqa: E402
from avatar_train.networks import Decoder, Denoiser, MapDecoderCore, TextEncoder  # noqa: E402
from avatar_train.text import BOS, EOS, PAD  # noqa: E402

DEFAULT_STEPS = 25      # sampler steps: the CPU target of 5 s per avatar is set at 25 steps
DEFAULT_GUIDANCE = 6.0  # classifier-free guidance: 6 beat 3 on every attribute of the evaluation (docs/training.md)
LAYER_NAMES = ["skin", "garment", "hair_hat_face_extras"]  # the teacher's layers (tools/synth/src/bake.h)
REGIONS = ["scalp", "face", "upper_body", "arms", "lower_body", "feet"]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_revision():
    try:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        return subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def build_modules(work, cfg, template_resolution):
    """-> (text encoder, denoiser, decoder) in eval mode, weights loaded from the work folder."""
    t, a, d = cfg["text"], cfg["autoencoder"], cfg["diffusion"]
    text_info = json.load(open(os.path.join(work, "text.json")))
    text = TextEncoder(text_info["vocab"], cfg["max_length"], t["dim"], t["depth"], t["heads"])
    checkpoints.load(os.path.join(work, "text"), text)
    codec = MapCodec.from_dict(json.load(open(os.path.join(work, "codec.json"))))
    stats = json.load(open(os.path.join(work, "latent_stats.json")))
    core = MapDecoderCore(codec.net_channel_count, a["latent"], a["decoder_width"], a["depth"], template_resolution)
    checkpoints.load(os.path.join(work, "decoder"), core)
    source, scale, shift = codec.output_affine()
    alpha_out = codec.alpha_channels()
    decoder = Decoder(core, torch.tensor(stats["mean"]), torch.tensor(stats["std"]), source, scale, shift, alpha_out,
                      ALPHA_FLOOR)
    denoiser = Denoiser(a["latent"], t["dim"], d["width"], d["depth"], d["heads"])
    checkpoints.load(os.path.join(work, "denoiser"), denoiser)
    return text.eval(), denoiser.eval(), decoder.eval(), codec


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", required=True, help="train.py's work folder")
    parser.add_argument("--data", required=True, help="the teacher dataset it trained on (for template.bin)")
    parser.add_argument("--out", required=True, help="package folder to write (replaced if it exists)")
    parser.add_argument("--name", default="default")
    parser.add_argument("--eval", help="evaluation report (scripts/eval/evaluate.py --report) to record")
    parser.add_argument("--reconstruction", help="reconstruction report (scripts/eval/reconstruction.py) to record")
    parser.add_argument("--guidance", type=float, default=DEFAULT_GUIDANCE)
    args = parser.parse_args()
    metrics = json.load(open(os.path.join(args.work, "metrics.json")))
    cfg = metrics["config_values"]
    dataset_manifest = json.load(open(os.path.join(args.data, "manifest.json")))
    resolution = Template(os.path.join(args.data, dataset_manifest["template"])).resolution
    text, denoiser, decoder, codec = build_modules(args.work, cfg, resolution)
    out = os.path.abspath(args.out)
    staging = out + ".tmp"
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    shutil.copyfile(os.path.join(args.work, "tokenizer.model"), os.path.join(staging, "tokenizer.model"))
    shutil.copyfile(os.path.join(args.data, dataset_manifest["template"]), os.path.join(staging, "template.bin"))
    for name, module in (("text_encoder.pt", text), ("denoiser.pt", denoiser), ("decoder.pt", decoder)):
        torch.jit.save(torch.jit.script(module), os.path.join(staging, name))
    channels = codec.channels
    layers = [{"name": LAYER_NAMES[l] if l < len(LAYER_NAMES) else f"layer{l}", "offset": l * channels,
               "color": l * channels + 3, "opacity": l * channels + 6, "log_scale": l * channels + 7,
               "rotation": l * channels + 10, "rotation_kind": "angle", "opacity_kind": "alpha"}
              for l in range(codec.layers)]
    evaluation = json.load(open(args.eval)) if args.eval else {}
    if args.reconstruction:
        r = json.load(open(args.reconstruction))
        evaluation["reconstruction"] = {k: r[k] for k in ("avatars", "views", "size", "psnr_mean", "psnr_min")}
    files = ["tokenizer.model", "text_encoder.pt", "denoiser.pt", "decoder.pt", "template.bin"]
    a = cfg["autoencoder"]
    manifest = {
        "format_version": 1,
        "name": args.name,
        "description": (f"tera's {metrics['config']} text-to-avatar model: a {cfg['text']['depth']}-layer text "
                         f"transformer, a latent diffusion denoiser over {a['latent']}x{resolution // 8}x"
                         f"{resolution // 8} latents and a decoder distilled from tera's MakeHuman-based avatar "
                         f"teacher, all trained on a CPU."),
        "licence": "CC0-1.0 (weights trained by this project from data generated from MakeHuman's CC0 assets)",
        "test_only": False,
        "provenance": {
            "training_data": (f"{metrics['dataset']['avatars']} avatars from tools/synth (tera-synth generate "
                              f"--seed {metrics['dataset']['seed']}), {metrics['dataset']['training']} for training, "
                              f"the last {metrics['dataset']['held_out']} held out; 8 captions each"),
            "hardware": metrics.get("hardware", "CPU"),
            "steps": {k: metrics[k]["steps"] for k in ("text_encoder", "autoencoder", "diffusion", "joint") if k in metrics},
            "seconds": {k: metrics[k]["seconds"] for k in ("text_encoder", "autoencoder", "diffusion", "joint") if k in metrics},
            "config": metrics["config"], "config_values": cfg, "torch": torch.__version__,
            "scripts": "scripts/train/train.py, scripts/train/export.py", "git_revision": git_revision(),
            "metrics": evaluation,
        },
        "tokenizer": {"file": "tokenizer.model", "max_length": cfg["max_length"], "lowercase": True, "bos_id": BOS,
                      "eos_id": EOS, "pad_id": PAD},
        "modules": {"text_encoder": "text_encoder.pt", "denoiser": "denoiser.pt", "decoder": "decoder.pt"},
        "text": {"context_dim": cfg["text"]["dim"]},
        "latent": {"channels": a["latent"], "height": resolution // 8, "width": resolution // 8},
        "schedule": {"type": "cosine", "num_train_steps": SCHEDULE_STEPS, "prediction": "v",
                     "timestep_spacing": "trailing"},
        "sampling": {"default_steps": DEFAULT_STEPS, "default_guidance": args.guidance, "default_sampler": "dpm++2m"},
        "maps": {"resolution": resolution, "channels": codec.layers * channels, "layers": layers},
        "regions": REGIONS,
        "template": "template.bin",
        "sha256": {name: sha256(os.path.join(staging, name)) for name in files},
    }
    with open(os.path.join(staging, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.replace(staging, out)
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{out}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
