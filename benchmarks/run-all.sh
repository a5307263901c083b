#!/usr/bin/env bash
# Every benchmark in this directory, one after the other (`make bench`). Each script builds
# what it measures (release), prints its figures and says which section of
# docs/benchmarks.md they belong to. A script that fails is reported and the others still run;
# the exit status is then 1.
#
#   benchmarks/run-all.sh                 # all of them
#   benchmarks/run-all.sh verify sign     # only those whose file name contains a word given
#   benchmarks/run-all.sh journey         # the service journey (wrk: scripts/bootstrap.sh --test)
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
for script in benchmarks/*.sh; do
    name=$(basename "$script" .sh)
    [ "$name" = run-all ] && continue
    if [ $# -gt 0 ]; then
        wanted=0
        for word in "$@"; do [[ $name == *"$word"* ]] && wanted=1; done
        [ $wanted = 1 ] || continue
    fi
    echo "== $name ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))"
    if ! bash "$script"; then
        echo "== $name FAILED" >&2
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]}" >&2
    exit 1
fi
