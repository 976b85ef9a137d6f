#!/usr/bin/env bash
# Submits the whole job to Slurm: plan (here) -> shard array -> merge.
#   EDGARIX_HOME=/path/to/edgarix EDGARIX_DATA=/shared/edgarix deploy/slurm/submit.sh [--by-year] [FROM [TO]]
# --by-year: after the shards, one merge task per year (merge-years.sbatch;
# the years are counted when the shards are done, by a small dependent job).
# EDGARIX_DATA must be on a file system every node mounts and hold mirror/.
# Arrays are submitted in chunks of MAX_ARRAY tasks (Slurm's MaxArraySize,
# 1001 by default); PARALLEL bounds the running tasks per chunk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${EDGARIX_HOME:?set EDGARIX_HOME to the edgarix checkout (built)}"
: "${EDGARIX_DATA:?set EDGARIX_DATA to the shared data folder}"
by_year=false
if [[ ${1:-} == --by-year ]]; then by_year=true; shift; fi
max_array=${MAX_ARRAY:-1000}
parallel=${PARALLEL:-100}
"$EDGARIX_HOME/scripts/cluster-task" plan "$EDGARIX_DATA/mirror" "${1:-}" "${2:-}" >"$EDGARIX_DATA/units.txt"
units=$(wc -l <"$EDGARIX_DATA/units.txt")
((units > 0)) || { echo "submit.sh: no units under $EDGARIX_DATA/mirror" >&2; exit 1; }
export EDGARIX_HOME EDGARIX_DATA
jobs=()
for ((offset = 0; offset < units; offset += max_array)); do
  last=$((units - offset < max_array ? units - offset - 1 : max_array - 1))
  jobs+=("$(EDGARIX_TASK_OFFSET=$offset sbatch --parsable --export=ALL \
    --array="0-$last%$parallel" "$here/shard.sbatch")")
done
deps=$(IFS=:; echo "${jobs[*]}")
if $by_year; then
  # The number of years is known only once the shards exist: a one-line job
  # counts them and submits the merge array.
  merge=$(sbatch --parsable --export=ALL --dependency="afterok:$deps" --job-name=edgarix-years \
    --wrap="n=\$(\"$EDGARIX_HOME/scripts/cluster-task\" years \"$EDGARIX_DATA/shards\" | wc -l); \
      sbatch --export=ALL --array=0-\$((n - 1)) \"$here/merge-years.sbatch\"")
else
  merge=$(sbatch --parsable --export=ALL --dependency="afterok:$deps" "$here/merge.sbatch")
fi
echo "submit.sh: $units units in ${#jobs[@]} array job(s) ${jobs[*]}; merge job $merge"
