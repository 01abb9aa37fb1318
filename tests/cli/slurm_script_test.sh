#!/bin/bash
# scripts/cluster/slurm_batch.sh gives each array task its shard: i = the task id, N = the whole
# range's size or TERA_SHARDS; an array that is not 0..N-1 without TERA_SHARDS is refused (a rerun
# of tasks 1 and 3 used to run shards 0/2 and 2/2, other shards' items). Slurm's variables are set
# by hand and TERA is a stub that prints its arguments.
set -u
script=${1:?usage: slurm_script_test.sh scripts/cluster/slurm_batch.sh}
stub=$(mktemp)
trap 'rm -f "$stub"' EXIT
printf '#!/bin/sh\necho "$@"\n' >"$stub"
chmod +x "$stub"
failures=0

# expect_shard WANT VARS...: the shard the task runs (or "refused"), given Slurm's variables.
expect_shard() {
  local want=$1
  shift
  local got
  got=$(env -u TERA_SHARDS "$@" TERA="$stub" bash "$script" p.jsonl out 2>/dev/null) || got=refused
  [ "$got" = refused ] || got=$(echo "$got" | sed -n 's/.*--shard \([^ ]*\).*/\1/p')
  if [ "$got" != "$want" ]; then
    echo "FAIL: $* -> $got, expected $want"
    failures=$((failures + 1))
  fi
}

# sbatch --array=0-15: task 5 of the whole range.
expect_shard 5/16 SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=15 SLURM_ARRAY_TASK_COUNT=16
# TERA_SHARDS=16 sbatch --array=1,3: shards 1 and 3 of 16, as first run.
expect_shard 1/16 TERA_SHARDS=16 SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=2
expect_shard 3/16 TERA_SHARDS=16 SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=2
# --array=1,3 or --array=0-6:2 without TERA_SHARDS: N cannot be known.
expect_shard refused SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=2
expect_shard refused SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=6 SLURM_ARRAY_TASK_COUNT=4
# Not an array job at all.
expect_shard refused SLURM_JOB_ID=7

[ "$failures" = 0 ] && echo "slurm_batch.sh: every task runs its own shard"
exit "$failures"
