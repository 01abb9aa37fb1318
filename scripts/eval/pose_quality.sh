#!/usr/bin/env bash
# Posing quality over MakeHuman's 15 bundled poses and four generated avatars (docs/animation.md):
# generates the avatars, runs `tera animate --pose-sweep --json` on each and prints, per pose, the
# share of outer-layer Gaussians farther than 2 cm from the skin and the skin's nearest-neighbour
# gaps, before (rest) and after posing.
#
#   bash scripts/eval/pose_quality.sh [OUT_DIR]      (default: pose-quality/)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tera="${TERA:-$root/build/tera}"
out="${1:-pose-quality}"
mkdir -p "$out"
prompts=(
  "a tall woman with long red hair in a blue t-shirt and jeans"
  "an old man with a grey beard in a dark suit"
  "a young woman with a long blonde ponytail in a sport suit"
  "a heavy man with an afro, a hat and glasses in work clothes"
)
for i in 0 1 2 3; do
  "$tera" generate --prompt "${prompts[$i]}" --seed $((i + 1)) --views 0 --out "$out/avatar$i" > /dev/null
  "$tera" animate "$out/avatar$i" --pose-sweep --size 256 --json --out "$out/sweep$i" > "$out/sweep$i.json"
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = [json.load(open(f"{out}/sweep{i}.json")) for i in range(4)]
print("pose         outer >2 cm: rest -> posed (max increase over 4 avatars)   skin gap p99.9 mm: rest -> posed (max)   skin gap max mm (max)")
names = [p["name"] for p in runs[0]["poses"]]
worst = {"outer": -1.0, "p999": 0.0}
for k, name in enumerate(names):
    d_outer = max(r["poses"][k]["outer_far_share"] - r["rest"]["outer_far_share"] for r in runs)
    p_ratio = max(r["poses"][k]["skin_gap_p999_m"] / r["rest"]["skin_gap_p999_m"] for r in runs)
    outer = " ".join(f"{100*r['rest']['outer_far_share']:.1f}->{100*r['poses'][k]['outer_far_share']:.1f}" for r in runs)
    p999 = " ".join(f"{1e3*r['rest']['skin_gap_p999_m']:.1f}->{1e3*r['poses'][k]['skin_gap_p999_m']:.1f}" for r in runs)
    gmax = max(1e3 * r["poses"][k]["skin_gap_max_m"] for r in runs)
    worst["outer"] = max(worst["outer"], d_outer)
    worst["p999"] = max(worst["p999"], p_ratio)
    print(f"{name:12s} {outer}  ({100*d_outer:+.2f} pp)   {p999}  (x{p_ratio:.2f})   {gmax:.1f}")
print(f"worst increase of the outer share: {100*worst['outer']:+.2f} percentage points; worst p99.9 gap growth: x{worst['p999']:.2f}")
PY
