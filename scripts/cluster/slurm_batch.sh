#!/bin/bash
# Slurm array job: shard a prompt file over N tasks, one `tera batch --shard i/N` per task.
#
#   sbatch --array=0-15 scripts/cluster/slurm_batch.sh prompts.jsonl /shared/out
#
# Every task writes DIR/<item>/ folders and its own DIR/batch_report-shard-i-of-N.json into the
# same output folder; resubmitting the same array resumes (finished items are skipped). Exit code 5
# from a task means some of its items failed: see its report.
#SBATCH --job-name=tera-batch
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=04:00:00
#SBATCH --output=tera-batch-%A_%a.log
# For GPU nodes add: #SBATCH --gres=gpu:1
set -euo pipefail

PROMPTS=${1:?usage: sbatch --array=0-N-1 slurm_batch.sh PROMPTS OUT_DIR}
OUT=${2:?usage: sbatch --array=0-N-1 slurm_batch.sh PROMPTS OUT_DIR}
TERA=${TERA:-tera}                     # the tera binary (set TERA=/path/to/tera if not on PATH)
COUNT=${SLURM_ARRAY_TASK_COUNT:?run as an array job (sbatch --array=...)}
INDEX=${SLURM_ARRAY_TASK_ID:?run as an array job}
# Array ids may start above 0 (--array=1-16): shard by the offset from the first id.
SHARD=$((INDEX - ${SLURM_ARRAY_TASK_MIN:-0}))

exec "$TERA" batch --prompts "$PROMPTS" --out "$OUT" --shard "$SHARD/$COUNT" --resume \
  --threads "${SLURM_CPUS_PER_TASK:-0}" --batch-size "${TERA_BATCH_SIZE:-8}"
