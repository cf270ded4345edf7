#!/usr/bin/env bash
# Submits a sharded accelbench run and its merge job (docs/fleet.md).
# Usage: scripts/slurm/submit.sh SHARDS [--max-parallel K] [--gpus N] [--partition P] -- RUN-ARGS...
#   scripts/slurm/submit.sh 8 --max-parallel 4 --gpus 1 -- --suite gemm-llm --backend cuda
# Prints the array job id and the merge job id; results land in $ACCELBENCH_RESULTS
# (default results/slurm-<array job id>/), the merged file in merged.json there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shards="${1:?usage: submit.sh SHARDS [--max-parallel K] [--gpus N] [--partition P] -- RUN-ARGS...}"
shift
throttle="" gres="" partition=()
while [ $# -gt 0 ]; do
  case "$1" in
    --max-parallel) throttle="%$2"; shift 2 ;;
    --gpus) gres="--gres=gpu:$2"; shift 2 ;;
    --partition) partition=(--partition "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: SHARDS must be a positive integer" >&2; exit 2; }
array_job=$(sbatch --parsable "${partition[@]}" ${gres:+"$gres"} --array="0-$((shards - 1))$throttle" \
  "$here/accelbench-array.sbatch" "$@")
array_job="${array_job%%;*}"
merge_job=$(sbatch --parsable "${partition[@]}" --dependency="afterok:$array_job" \
  "$here/accelbench-merge.sbatch" "$array_job")
echo "array job $array_job ($shards shards), merge job ${merge_job%%;*}"
