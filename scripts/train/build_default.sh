#!/usr/bin/env bash
# Builds the default model package from an empty folder on this machine (the budget: about two
# hours on a 2-core CPU): teacher dataset, training, export, evaluation, export with the figures.
#   bash scripts/train/build_default.sh WORKDIR [OUT=models/default]
# Every step skips what an earlier, interrupted run finished (the dataset's shards, train.py's
# stages and checkpoints), so running it again resumes. Wall-clock seconds of every step but training
# (train.py records its own) go to WORKDIR/timings.json and into the package's provenance. Needs `bash scripts/setup.sh` first
# (the build, and the venv that holds the text encoder's weights).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=${1:?usage: build_default.sh WORKDIR [OUT]}
out=${2:-models/default}
python=.deps/venv/bin/python3
count=8192        # teacher avatars: 7936 to train on, the last 256 held out
seed=20261130     # the dataset's seed (tera-synth generate --seed)
mkdir -p "$work"
timings="$work/timings.json"
[ -f "$timings" ] || echo '{}' >"$timings"

timed() {  # timed NAME COMMAND...: runs COMMAND and adds its wall-clock seconds to timings.json
  local name=$1 start end
  shift
  start=$(date +%s)
  "$@"
  end=$(date +%s)
  "$python" - "$timings" "$name" "$((end - start))" <<'EOF'
import json, sys
path, name, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = json.load(open(path))
data[name] = data.get(name, 0) + seconds
json.dump(data, open(path, "w"), indent=2)
EOF
}

[ -f "$work/assets.pack" ] || timed pack build/tera-synth pack --shared ../shared/assets/makehuman --out "$work/assets.pack"
timed dataset build/tera-synth generate --pack "$work/assets.pack" --count "$count" --seed "$seed" --threads 2 --out "$work/data"
# train.py records each stage's seconds itself (metrics.json, carried across resumes; export puts them in
# the provenance), so it is not timed here: a killed run's minutes would be lost from timings.json.
"$python" scripts/train/train.py --data "$work/data" --work "$work/train" --config default --threads 2
timed export "$python" scripts/train/export.py --work "$work/train" --data "$work/data" --out "$out" --timings "$timings"
timed reconstruction "$python" scripts/eval/reconstruction.py --work "$work/train" --model "$out" --data "$work/data" \
  --out "$work/eval/reconstruction" --count 32
timed evaluation "$python" scripts/eval/evaluate.py --model "$out" --data "$work/data" --tera build/tera --out "$work/eval/prompts"
"$python" scripts/train/export.py --work "$work/train" --data "$work/data" --out "$out" --timings "$timings" \
  --eval "$work/eval/prompts/report.json" --reconstruction "$work/eval/reconstruction/reconstruction.json"
echo "build_default: $out written; timings in $timings" >&2
