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
# TERA_GPU_STAGES (default "build parity generate bench-render bench-generate") runs only the stages named;
# TERA_GPU_CHECK_LIMIT (seconds, default 460) is the deadline of the whole run.
#
# TERA_GPU_CHECK_DRY=1 tries every stage's plumbing on a machine without a GPU: the build stage only
# configures (build.sh with TERA_GPU_CONFIGURE_ONLY=1, into TERA_GPU_BUILD_DIR), the later stages use the
# binaries of an existing build (TERA_GPU_DRY_BINARIES, default build), generate runs one prompt with both
# sides on the CPU (compare_outputs.py must then find identical files), bench_generate runs only its
# batch-1 cases, and bench_render_cuda reports "no CUDA device" for each case.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" || exit 1
out="${OUT:-$root/out/gpu-check}"
build="${TERA_GPU_BUILD_DIR:-$root/build-gpu}"
model="${TERA_GPU_MODEL:-$root/models/default}"
min_time="${TERA_GPU_BENCH_MIN_TIME:-0.1}"
python="$(command -v python3)"
dry="${TERA_GPU_CHECK_DRY:-0}"
if [ "$dry" = 1 ]; then
  gpu_device="${TERA_GPU_CHECK_DEVICE:-cpu}"
  bin="${TERA_GPU_DRY_BINARIES:-$root/build}"  # the binaries the stages after build run
  prompt_count=1
  generate_filter='BM_Load|BM_Generate/1/8$|BM_Render/1$'
else
  gpu_device="${TERA_GPU_CHECK_DEVICE:-cuda}"
  bin="$build"
  prompt_count=3
  generate_filter='BM_(Load|Generate|Render)'
fi
stages=" ${TERA_GPU_STAGES:-build parity generate bench-render bench-generate} "
wanted() { [[ "$stages" == *" $1 "* ]]; }
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PYTHONUNBUFFERED=1
export LD_LIBRARY_PATH="$root/.deps/prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Each stage's time limit keeps the whole check under 8 minutes on a 16-core machine; on top of them the
# whole run has a deadline, which shortens a stage's limit when the stages before it ran long.
CHECK_LIMIT="${TERA_GPU_CHECK_LIMIT:-460}"  # s: the 8-minute run less 20 s for starting, the summary and copying $OUT
MIN_STAGE=15              # s: a stage with less time than this left is skipped, not started
BUILD_LIMIT=225           # s: a Release build of the needed targets from clean (about 150 s on 16 cores)
PARITY_LIMIT=60           # s: the gpu tests (seconds on a GPU; the CPU reference renders dominate)
GENERATE_LIMIT=90         # s: 7 generations, 4 on cuda and 3 on cpu, a few seconds each
BENCH_RENDER_LIMIT=60     # s: 12 cases; making and uploading the 5M-Gaussian sets takes the longest
BENCH_GENERATE_LIMIT=45   # s: 7 cases, the package loaded twice

failed=()
started=$SECONDS
stamp() { date -u +%H:%M:%S; }
note() { echo "[$(stamp)] $*" | tee -a "$out/summary.txt"; }
# run_stage NAME LOG LIMIT COMMAND...: runs COMMAND under `timeout` (LIMIT, or less when the deadline is
# nearer), output to the terminal and to LOG.
run_stage() {
  local name="$1" log="$2" limit="$3"
  shift 3
  local left=$((CHECK_LIMIT - (SECONDS - started) - 10))  # 10 s: timeout's --kill-after grace
  if [ "$left" -lt "$MIN_STAGE" ]; then
    note "$name: FAILED (not started: ${left}s left of the check's ${CHECK_LIMIT}s)"
    failed+=("$name")
    return 1
  fi
  [ "$left" -lt "$limit" ] && limit="$left"
  echo "[$(stamp)] stage $name (limit ${limit}s, $((SECONDS - started))s into the check)" | tee -a "$out/$log"
  timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$out/$log"
  local status="${PIPESTATUS[0]}"
  if [ "$status" = 0 ]; then note "$name: ok"; else note "$name: FAILED (status $status, see $log)"; failed+=("$name"); fi
  return "$status"
}

: > "$out/summary.txt"
gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"
note "GPU: $gpu; $(nproc) cores; torch $("$python" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo 'not found')"

# ---- 1. build
if { [ "${TERA_GPU_BUILD:-1}" = 0 ] || ! wanted build; } && [ -x "$bin/tera" ]; then
  note "build: skipped (using $bin)"
else
  TERA_GPU_BUILD_ONLY=1 TERA_GPU_CONFIGURE_ONLY="$dry" TERA_GPU_BUILD_DIR="$build" \
    TERA_GPU_TARGETS="tera_cli test_gpu bench_render_cuda bench_generate" \
    run_stage build build.log "$BUILD_LIMIT" scripts/gpu/build.sh
fi
[ -x "$bin/tera" ] || { note "no $bin/tera: nothing else can run"; exit 1; }

# ---- 2. parity
# ctest counts a skipped test as passed; on the GPU machine a skip means no CUDA device was seen, except
# for the one test that runs only in builds without the CUDA renderer (and skips in every other).
parity() {
  ctest --test-dir "$bin" -L gpu --output-on-failure --timeout "$PARITY_LIMIT" | tee "$work/ctest.txt"
  local status="${PIPESTATUS[0]}"
  if [ "$dry" != 1 ] && grep '(Skipped)' "$work/ctest.txt" | grep -v -q 'AskingForCudaWithoutItIsAUsageError'; then
    echo "parity: FAILED: gpu tests skipped (no CUDA device seen, or a build without the CUDA renderer)"
    return 1
  fi
  return "$status"
}
export -f parity
export bin work dry model min_time out python gpu_device prompt_count generate_filter PARITY_LIMIT
wanted parity && run_stage parity parity.log "$PARITY_LIMIT" bash -c parity

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
# timed LABEL COMMAND...: runs COMMAND and prints how long it took (summary.txt collects these lines).
timed() {
  local label="$1" begin status
  shift
  begin="$(date +%s%N)"
  "$@"
  status=$?
  echo "time: $label $((($(date +%s%N) - begin) / 1000000)) ms (exit $status)"
  return "$status"
}
generate_all() {
  local i status=0 pairs=()
  local prompts=("a woman with long red hair in a blue t-shirt"
    "an old man with a grey beard, glasses and a flat cap"
    "a muscular young man in a black hoodie and green trousers")
  local seeds=(7 21 1234)
  # generate LABEL DEVICE PROMPT_INDEX DIR: one timed `tera generate` of prompt PROMPT_INDEX into DIR.
  generate() {
    timed "$1" "$bin/tera" generate --model "$model" --device "$2" --prompt "${prompts[$3]}" --seed "${seeds[$3]}" \
      --views 8 --no-viewer --json --out "$4"
  }
  for ((i = 0; i < prompt_count; i++)); do
    generate "tera generate --device $gpu_device prompt $i" "$gpu_device" "$i" "$work/gpu-$i" || status=1
    generate "reference: tera generate --device cpu prompt $i" cpu "$i" "$work/cpu-$i" || status=1
    pairs+=(--pair "$work/cpu-$i" "$work/gpu-$i")
  done
  generate "tera generate --device $gpu_device prompt 0 again" "$gpu_device" 0 "$work/gpu-again" || status=1
  if cmp "$work/gpu-0/avatar.ply" "$work/gpu-again/avatar.ply" &&
    cmp "$work/gpu-0/avatar.latent" "$work/gpu-again/avatar.latent"; then
    echo "determinism: the same prompt and seed twice on $gpu_device wrote identical avatar.ply and avatar.latent"
  else
    echo "determinism: FAILED: the same prompt and seed twice on $gpu_device did not write identical files"
    status=1
  fi
  "$python" scripts/gpu/compare_outputs.py --json "$out/compare.json" "${pairs[@]}" || status=1
  return "$status"
}
# The stages run under `timeout`, which starts a new bash: it needs the functions and settings.
export -f generate_all timed
package_state="$(package_complete)" && package_ok=1 || package_ok=0
if ! wanted generate; then
  :
elif [ "$package_ok" = 1 ]; then
  run_stage generate generate.log "$GENERATE_LIMIT" bash -c generate_all
else
  note "generate: skipped: $model is not a complete model package (${package_state:-no manifest.json})"
fi

# ---- 4. benchmarks
bench_render() {
  "$bin/bench/bench_render_cuda" --benchmark_min_time="$min_time" --benchmark_counters_tabular=true \
    --benchmark_out="$out/bench_render_cuda.json" --benchmark_out_format=json || return 1
  if [ "$dry" != 1 ] && grep -q '"error_message"' "$out/bench_render_cuda.json"; then
    echo "bench-render: FAILED: cases reported errors (see bench_render_cuda.json)"
    return 1
  fi
}
bench_generate() {
  TERA_BENCH_MODEL="$model" "$bin/bench/bench_generate" --benchmark_filter="$generate_filter" \
    --benchmark_min_time="$min_time" --benchmark_counters_tabular=true \
    --benchmark_out="$out/bench_generate.json" --benchmark_out_format=json
}
export -f bench_render bench_generate
wanted bench-render && run_stage bench-render bench.log "$BENCH_RENDER_LIMIT" bash -c bench_render
if ! wanted bench-generate; then
  :
elif [ "$package_ok" = 1 ]; then
  run_stage bench-generate bench.log "$BENCH_GENERATE_LIMIT" bash -c bench_generate
else
  note "bench-generate: skipped: $model is not a complete model package"
fi

# ---- 5. summary
"$python" - "$out" >> "$out/summary.txt" <<'EOF'
import json, os, re, sys
out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    try:
        return json.load(open(path)) if os.path.exists(path) else None
    except ValueError as e:  # a benchmark cut short by its time limit leaves its JSON unfinished
        print(f"{name}: unreadable ({e}); see bench.log")
        return None
def args(name):
    """'BM_CudaRender/gaussians:1000000/width:1920/height:1080/views:1/real_time' -> {'gaussians': '1000000', ...}"""
    return dict(part.split(":", 1) for part in name.split("/")[1:] if ":" in part)
headline = []
render = load("bench_render_cuda.json")
if render:
    for b in render["benchmarks"]:
        if b.get("error_occurred"):
            print(f"render {b['name']}: skipped: {b.get('error_message', '')}")
        elif b.get("run_type", "iteration") == "iteration":
            print(f"render {b['name']}: {b['real_time']:.3f} {b['time_unit']} per call, "
                  f"{b.get('frames_per_s', 0):.0f} frames/s, {b.get('device_MiB', 0):.0f} MiB")
            if args(b["name"]) == {"gaussians": "1000000", "width": "1920", "height": "1080", "views": "1"}:
                headline.append(f"1M Gaussians at 1920x1080, one view: {b.get('frames_per_s', 0):.1f} frames/s")
generate = load("bench_generate.json")
if generate:
    for b in generate["benchmarks"]:
        if b.get("error_occurred"):
            print(f"generate {b['name']}: skipped: {b.get('error_message', '')}")
            continue
        extra = ", ".join(f"{k} {b[k]:.2f}" for k in ("text_ms", "step_ms", "decode_ms", "assembly_ms") if k in b)
        rate = f", {b['items_per_second']:.1f} avatars/s" if "items_per_second" in b else ""
        print(f"generate {b['name']}: {b['real_time']:.2f} {b['time_unit']} per call{rate}{(', ' + extra) if extra else ''}")
        unit = b["time_unit"]
        if b["name"] == "BM_Render/36":
            headline.append(f"36-view 512x512 turntable of a generated avatar (BM_Render/36): {b['real_time']:.1f} {unit}")
        elif b["name"] == "BM_Generate/1/25":
            headline.append(f"text -> avatar, batch 1, 25 steps (BM_Generate/1/25): {b['real_time']:.1f} {unit}")
        elif b["name"] == "BM_Generate/64/25":
            headline.append(f"batch 64, 25 steps (BM_Generate/64/25): {b.get('items_per_second', 0):.1f} avatars/s")
compare = load("compare.json")
if compare:
    for row in compare["pairs"]:
        print(f"cpu vs {os.path.basename(row['gpu'])}: latent max |diff| {row['latent_max_abs']:.3g} "
              f"(identical: {row['latent_identical']}), Gaussians {row['gaussians']}, "
              f"positions {row.get('position_move_m')}, colours {row.get('colour_f_dc')}, "
              f"opacities {row.get('opacity')}, frames >= {row.get('frames_psnr_min_db')} dB; "
              f"{'; '.join(row['failures']) or 'within tolerance'}")
log = os.path.join(out, "generate.log")
if os.path.exists(log):
    for line in open(log, errors="replace"):
        if line.startswith(("time: ", "determinism: ")):
            print(line.rstrip())
            match = re.match(r"time: (reference: )?tera generate --device (\S+) prompt 0 (\d+) ms \(exit 0\)", line)
            if match:
                headline.append(f"{match.group(1) or ''}tera generate --device {match.group(2)} end to end "
                                f"(load, 25 steps, writing, 8 views), first prompt: {match.group(3)} ms")
print("headline figures:" if headline else "headline figures: none measured")
for line in headline:
    print("  " + line)
EOF
if [ "${#failed[@]}" -gt 0 ]; then
  note "FAILED stages: ${failed[*]}"
  exit 1
fi
note "every stage passed"
