#!/bin/bash
# Slurm array job: shard a prompt file over N tasks, one `tera batch --shard i/N` per task.
#
#   sbatch --array=0-15 scripts/cluster/slurm_batch.sh prompts.jsonl /shared/out
#
# Task i runs shard i of N: N is TERA_SHARDS, or the array's size when it is the whole range 0..N-1.
# To run some shards again (their nodes failed), name N and the ids:
#   TERA_SHARDS=16 sbatch --array=3,7 scripts/cluster/slurm_batch.sh prompts.jsonl /shared/out
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
SHARD=${SLURM_ARRAY_TASK_ID:?run as an array job (sbatch --array=0-N-1 ...)}
if [ -n "${TERA_SHARDS:-}" ]; then
  COUNT=$TERA_SHARDS
elif [ "${SLURM_ARRAY_TASK_MIN:-}" = 0 ] &&
  [ "${SLURM_ARRAY_TASK_COUNT:-}" = "$((${SLURM_ARRAY_TASK_MAX:-0} + 1))" ]; then
  COUNT=$SLURM_ARRAY_TASK_COUNT # the whole range 0..N-1
else
  echo "slurm_batch.sh: the array is not 0..N-1 (ids ${SLURM_ARRAY_TASK_MIN:-?}..${SLURM_ARRAY_TASK_MAX:-?}," \
    "${SLURM_ARRAY_TASK_COUNT:-?} tasks): set TERA_SHARDS=N, the number of shards of the whole run" >&2
  exit 2
fi

exec "$TERA" batch --prompts "$PROMPTS" --out "$OUT" --shard "$SHARD/$COUNT" --resume \
  --threads "${SLURM_CPUS_PER_TASK:-0}" --batch-size "${TERA_BATCH_SIZE:-8}"
