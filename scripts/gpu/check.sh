#!/usr/bin/env bash
# The GPU acceptance check, in one run on a machine with an NVIDIA GPU (docs/gpu.md, "The GPU check"):
#   1. build   tera, the gpu tests and the two GPU benchmarks against the local CUDA LibTorch (build.sh)
#   2. parity  ctest -L gpu: CPU and CUDA renderer agree (>= 45 dB per image), a turntable in one call
#              equals its views rendered alone
#   3. generate  tera generate for 3 prompts on cuda and on cpu, same seeds: compare_outputs.py checks
#              the latents, the Gaussians and the frames; one prompt twice on cuda must give identical bytes
#   4. bench-render    bench_render_cuda: 100k / 1M / 5M Gaussians, 512^2 and 1080p, 1 and 36 views
#      bench-generate  bench_generate on the package: load; text -> avatar at batch 1 and 64; a 36-view turntable
#   5. summary summary.txt: the GPU, each stage's result and the headline figures
#
# Everything lands in $OUT (default out/gpu-check): build.log, parity.log, generate.log, compare.json,
# bench.log, bench_render_cuda.json, bench_generate.json, summary.txt. Logs are written as the stages
# run, so a run cut short keeps what it did. A failing stage does not stop the later ones; the exit
# status is 1 if any stage failed.
#
# Environment: OUT; TERA_GPU_MODEL (default models/default; stages 3 and the package benchmarks are
# skipped, saying why, when it is not a complete package); TERA_GPU_BUILD=0 to use an existing build
# (TERA_GPU_BUILD_DIR, default build-gpu) instead of building; CUDA_ARCHS (default 90); the bench
# minimum time TERA_GPU_BENCH_MIN_TIME (seconds per case, default 0.1); TERA_GPU_CHECK_DEVICE (default
# cuda) runs stage 3 on another device, to try the script's plumbing on a machine without a GPU;
# TERA_GPU_STAGES (default "build parity generate bench-render bench-generate") runs only the stages named.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" || exit 1
out="${OUT:-$root/out/gpu-check}"
build="${TERA_GPU_BUILD_DIR:-$root/build-gpu}"
model="${TERA_GPU_MODEL:-$root/models/default}"
min_time="${TERA_GPU_BENCH_MIN_TIME:-0.1}"
python="$(command -v python3)"
gpu_device="${TERA_GPU_CHECK_DEVICE:-cuda}"
stages=" ${TERA_GPU_STAGES:-build parity generate bench-render bench-generate} "
wanted() { [[ "$stages" == *" $1 "* ]]; }
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PYTHONUNBUFFERED=1
export LD_LIBRARY_PATH="$root/.deps/prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Each stage's time limit keeps the whole check under 8 minutes on a 16-core machine.
BUILD_LIMIT=225           # s: a Release build of the needed targets from clean (about 150 s on 16 cores)
PARITY_LIMIT=60           # s: the gpu tests (seconds on a GPU; the CPU reference renders dominate)
GENERATE_LIMIT=90         # s: 7 generations, 4 on cuda and 3 on cpu, a few seconds each
BENCH_RENDER_LIMIT=60     # s: 12 cases; making and uploading the 5M-Gaussian sets takes the longest
BENCH_GENERATE_LIMIT=45   # s: 7 cases, the package loaded twice

failed=()
stamp() { date -u +%H:%M:%S; }
note() { echo "[$(stamp)] $*" | tee -a "$out/summary.txt"; }
# run_stage NAME LOG LIMIT COMMAND...: runs COMMAND under `timeout`, output to the terminal and to LOG.
run_stage() {
  local name="$1" log="$2" limit="$3"
  shift 3
  echo "[$(stamp)] stage $name (limit ${limit}s)" | tee -a "$out/$log"
  timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$out/$log"
  local status="${PIPESTATUS[0]}"
  if [ "$status" = 0 ]; then note "$name: ok"; else note "$name: FAILED (status $status, see $log)"; failed+=("$name"); fi
  return "$status"
}

: > "$out/summary.txt"
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"
note "GPU: $gpu; $(nproc) cores; torch $("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo 'not found')"

# ---- 1. build
if { [ "${TERA_GPU_BUILD:-1}" = 0 ] || ! wanted build; } && [ -x "$build/tera" ]; then
  note "build: skipped (using $build)"
else
  TERA_GPU_BUILD_ONLY=1 TERA_GPU_BUILD_DIR="$build" \
    TERA_GPU_TARGETS="tera_cli test_gpu bench_render_cuda bench_generate" \
    run_stage build build.log "$BUILD_LIMIT" scripts/gpu/build.sh
fi
[ -x "$build/tera" ] || { note "no $build/tera: nothing else can run"; exit 1; }

# ---- 2. parity
wanted parity && run_stage parity parity.log "$PARITY_LIMIT" ctest --test-dir "$build" -L gpu --output-on-failure --timeout "$PARITY_LIMIT"

# ---- 3. generate on cuda and cpu
package_complete() {
  [ -f "$model/manifest.json" ] || return 1
  "$python" - "$model" <<'EOF'
import json, os, sys
manifest = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
missing = [name for name in manifest.get("sha256", {}) if not os.path.exists(os.path.join(sys.argv[1], name))]
print("missing: " + ", ".join(missing) if missing else "complete")
sys.exit(1 if missing else 0)
EOF
}
generate_all() {
  local i status=0
  local prompts=("a woman with long red hair in a blue t-shirt"
    "an old man with a grey beard, glasses and a flat cap"
    "a muscular young man in a black hoodie and green trousers")
  local seeds=(7 21 1234)
  for i in 0 1 2; do
    "$build/tera" generate --model "$model" --device "$gpu_device" --prompt "${prompts[$i]}" --seed "${seeds[$i]}" \
      --views 8 --no-viewer --json --out "$work/gpu-$i" || status=1
    "$build/tera" generate --model "$model" --device cpu --prompt "${prompts[$i]}" --seed "${seeds[$i]}" \
      --views 8 --no-viewer --json --out "$work/cpu-$i" || status=1
  done
  "$build/tera" generate --model "$model" --device "$gpu_device" --prompt "${prompts[0]}" --seed "${seeds[0]}" \
    --views 8 --no-viewer --json --out "$work/gpu-again" || status=1
  if cmp "$work/gpu-0/avatar.ply" "$work/gpu-again/avatar.ply" &&
    cmp "$work/gpu-0/avatar.latent" "$work/gpu-again/avatar.latent"; then
    echo "determinism: the same prompt and seed twice on $gpu_device wrote identical avatar.ply and avatar.latent"
  else
    echo "determinism: FAILED: the same prompt and seed twice on $gpu_device wrote different files"
    status=1
  fi
  "$python" scripts/gpu/compare_outputs.py --json "$out/compare.json" \
    --pair "$work/cpu-0" "$work/gpu-0" --pair "$work/cpu-1" "$work/gpu-1" --pair "$work/cpu-2" "$work/gpu-2" ||
    status=1
  return "$status"
}
# The stages run under `timeout`, which starts a new bash: it needs the functions and settings.
export -f generate_all package_complete
export build model min_time out python gpu_device work
if ! wanted generate; then
  :
elif why="$(package_complete)"; then
  run_stage generate generate.log "$GENERATE_LIMIT" bash -c generate_all
else
  note "generate: skipped: $model is not a complete model package (${why:-no manifest.json})"
fi

# ---- 4. benchmarks
bench_render() {
  "$build/bench/bench_render_cuda" --benchmark_min_time="$min_time" --benchmark_counters_tabular=true \
    --benchmark_out="$out/bench_render_cuda.json" --benchmark_out_format=json
}
bench_generate() {
  TERA_BENCH_MODEL="$model" "$build/bench/bench_generate" --benchmark_filter='BM_(Load|Generate|Render)' \
    --benchmark_min_time="$min_time" --benchmark_counters_tabular=true \
    --benchmark_out="$out/bench_generate.json" --benchmark_out_format=json
}
export -f bench_render bench_generate
wanted bench-render && run_stage bench-render bench.log "$BENCH_RENDER_LIMIT" bash -c bench_render
if ! wanted bench-generate; then
  :
elif package_complete >/dev/null; then
  run_stage bench-generate bench.log "$BENCH_GENERATE_LIMIT" bash -c bench_generate
else
  note "bench-generate: skipped: $model is not a complete model package"
fi

# ---- 5. summary
"$python" - "$out" >> "$out/summary.txt" <<'EOF'
import json, os, sys
out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None
render = load("bench_render_cuda.json")
if render:
    for b in render["benchmarks"]:
        if b.get("error_occurred"):
            print(f"render {b['name']}: skipped: {b.get('error_message', '')}")
        elif b.get("run_type", "iteration") == "iteration":
            print(f"render {b['name']}: {b['real_time']:.3f} {b['time_unit']} per call, "
                  f"{b.get('frames_per_s', 0):.0f} frames/s, {b.get('device_MiB', 0):.0f} MiB")
generate = load("bench_generate.json")
if generate:
    for b in generate["benchmarks"]:
        if b.get("error_occurred"):
            print(f"generate {b['name']}: skipped: {b.get('error_message', '')}")
            continue
        extra = ", ".join(f"{k} {b[k]:.2f}" for k in ("text_ms", "step_ms", "decode_ms", "assembly_ms") if k in b)
        rate = f", {b['items_per_second']:.1f} avatars/s" if "items_per_second" in b else ""
        print(f"generate {b['name']}: {b['real_time']:.2f} {b['time_unit']} per call{rate}{(', ' + extra) if extra else ''}")
compare = load("compare.json")
if compare:
    for row in compare["pairs"]:
        print(f"cpu vs cuda {os.path.basename(row['gpu'])}: latent max |diff| {row['latent_max_abs']:.3g}, "
              f"Gaussians {row['gaussians']}, positions {row.get('position_move_m')}, colours {row.get('colour_f_dc')}, "
              f"frames >= {row.get('frames_psnr_min_db')} dB; {'; '.join(row['failures']) or 'within tolerance'}")
EOF
if [ "${#failed[@]}" -gt 0 ]; then
  note "FAILED stages: ${failed[*]}"
  exit 1
fi
note "every stage passed"
