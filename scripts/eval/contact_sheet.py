#!/usr/bin/python3
"""A contact sheet of avatars generated from varied prompts, each under its prompt.

    /usr/bin/python3 scripts/eval/contact_sheet.py --model models/default --tera build/tera \\
        --out docs/generated-contact-sheet.png [--prompts FILE] [--seed 1] [--size 320]

Runs `tera batch` (the product) with one front view per prompt and tiles the views 4 across.
"""
import argparse
import json
import os
import subprocess
import tempfile
import textwrap

from PIL import Image, ImageDraw, ImageFont

PROMPTS = [
    "a tall woman with long blonde hair in a red t-shirt",
    "an elderly man with short white hair and a full beard, in a navy suit",
    "a bald muscular man in a black t-shirt",
    "a young woman with a brown ponytail wearing glasses and a green top",
    "a heavyset middle-aged man with grey hair in a yellow shirt",
    "a slim woman with a black bob in a purple jacket",
    "a man with curly red hair wearing a white shirt and blue jeans",
    "a woman with pink hair in an orange crop top",
    "an old woman with grey hair, glasses and a burgundy jacket",
    "a young man with short black hair in a light blue hoodie",
    "a man wearing a fedora and a charcoal suit",
    "a woman with long auburn hair in a teal t-shirt and shorts",
    "a bearded man with brown hair in a checked red shirt",
    "a woman with an afro in a yellow t-shirt",
    "a skinny teenage boy with blonde hair in a striped blue shirt",
    "a woman with a long braid wearing a white jacket",
]
COLUMNS = 4          # tiles per row
CAPTION_LINES = 3    # lines of prompt text under each tile
LINE_HEIGHT = 13     # pixels per caption line with PIL's default bitmap font
CHAR_WIDTH = 6       # pixels per character of PIL's default bitmap font


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--tera", default="build/tera")
    parser.add_argument("--out", required=True)
    parser.add_argument("--prompts", help="text file, one prompt per line (default: 16 built-in prompts)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=320)
    parser.add_argument("--guidance", type=float)
    args = parser.parse_args()
    prompts = [l.strip() for l in open(args.prompts) if l.strip()] if args.prompts else PROMPTS
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = os.path.join(tmp, "prompts.jsonl")
        with open(jsonl, "w") as f:
            for k, p in enumerate(prompts):
                f.write(json.dumps({"name": f"p{k:02d}", "prompt": p, "seed": args.seed + k}) + "\n")
        command = [args.tera, "batch", "--prompts", jsonl, "--model", args.model, "--out", os.path.join(tmp, "out"),
                   "--views", "1", "--size", str(args.size), "--framing", "full", "-q"]
        if args.guidance is not None:
            command += ["--guidance", str(args.guidance)]
        subprocess.run(command, check=True)
        tile_h = args.size + CAPTION_LINES * LINE_HEIGHT + 6
        rows = (len(prompts) + COLUMNS - 1) // COLUMNS
        sheet = Image.new("RGB", (COLUMNS * args.size, rows * tile_h), "white")
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default()
        for k, p in enumerate(prompts):
            x, y = (k % COLUMNS) * args.size, (k // COLUMNS) * tile_h
            sheet.paste(Image.open(os.path.join(tmp, "out", f"p{k:02d}", "view_000.png")).convert("RGB"), (x, y))
            for i, line in enumerate(textwrap.wrap(p, (args.size - 8) // CHAR_WIDTH)[:CAPTION_LINES]):
                draw.text((x + 6, y + args.size + 2 + i * LINE_HEIGHT), line, fill=(0, 0, 0), font=font)
    tmp_out = args.out + ".tmp.png"
    sheet.save(tmp_out)
    os.replace(tmp_out, args.out)
    print(args.out)


if __name__ == "__main__":
    main()
