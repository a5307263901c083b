#!/usr/bin/env bash
# The scale-out journey benchmark: benchmarks/service-journey.sh --backend sqlite|postgres|all
# [--instances 1|2] runs this (see the comment there). Arguments: BACKEND INSTANCES.
# Environment: WORKERS (8), MERCHANTS (20), WARMUP (5), SECONDS_MEASURED (20), SCRATCH
# (.build-bench, the release build), SIGNET (a signet binary to use instead of building).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKEND=$1
INSTANCES=$2
SCRATCH=${SCRATCH:-.build-bench}
WORKERS=${WORKERS:-8}
MERCHANTS=${MERCHANTS:-20}
WARMUP=${WARMUP:-5}
SECONDS_MEASURED=${SECONDS_MEASURED:-20}

for tool in curl python3 psql; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done

WORK=$(mktemp -d)
chmod 755 "$WORK"    # the PostgreSQL cluster below runs as the postgres user when we are root
pids=()
cluster=""
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$cluster" ] && scripts/postgres-test-cluster.sh stop "$cluster" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

. benchmarks/service-setup.sh


# Starts instance $1 on port $2 with keys $3, base URL $4 and the storage arguments after; waits
# for its listening line; appends its pid to `pids`.
start_instance() {
    local name=$1 port=$2 keys=$3 base=$4
    shift 4
    "$signet" serve --keys "$keys" "$@" --port "$port" --base-url "$base" --templates contract-templates \
        --requests-per-address 1000000 >"$WORK/$name.out" 2>"$WORK/$name.log" &
    local pid=$!
    pids+=("$pid")
    for _ in $(seq 1 600); do
        grep -q "Signet is listening" "$WORK/$name.out" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { tail -5 "$WORK/$name.log" >&2; echo "$name exited" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name did not start" >&2
    exit 1
}

admin=""
postmaster=0
if [ "$BACKEND" != sqlite ]; then
    cluster="$WORK/pg"
    admin=$(scripts/postgres-test-cluster.sh start "$cluster" "$(free_port)" --durable)
    postmaster=$(head -1 "$cluster/data/postmaster.pid")
fi

# One configuration: backend $1, $2 instances.
run() {
    local backend=$1 count=$2 label="$1 × $2"
    local storage database_url=""
    local run="$WORK/run-$backend-$count"
    mkdir -p "$run"
    if [ "$backend" = sqlite ]; then
        storage=(--data "$run/data")
    else
        local name="bench_$(date +%s)_$count"
        psql "$admin" -X -q -c "CREATE DATABASE $name" >/dev/null
        database_url="${admin%/postgres*}/$name?sslmode=disable&pool_size=16"
        storage=(--database "$database_url")
    fi
    local key
    key=$("$signet" apikeys create --name bench "${storage[@]}" 2>/dev/null | tail -n 1)
    local ports=() urls=() first=${#pids[@]}
    for index in $(seq 1 "$count"); do ports+=("$(free_port)"); done
    local base="http://127.0.0.1:${ports[0]}"
    for index in $(seq 0 $((count - 1))); do
        [ "$index" -gt 0 ] && cp -a "$run/keys-0" "$run/keys-$index"
        start_instance "$backend-$count-$index" "${ports[$index]}" "$run/keys-$index" "$base" "${storage[@]}"
        urls+=("http://127.0.0.1:${ports[$index]}")
    done
    local instance_pids
    instance_pids=$(IFS=,; echo "${pids[*]:$first}")
    python3 benchmarks/service-journey-driver.py --urls "$(IFS=,; echo "${urls[*]}")" --api-key "$key" \
        --workers "$WORKERS" --merchants "$MERCHANTS" --warmup "$WARMUP" --seconds "$SECONDS_MEASURED" \
        --pids "$instance_pids" --postmaster "$postmaster" --database-url "$database_url" --label "$label"
    local pid peak=0 rss
    for pid in "${pids[@]:$first}"; do
        rss=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0)
        [ "$rss" -gt "$peak" ] && peak=$rss
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "peak RSS of an instance: $((peak / 1024)) MiB; 5xx answers: $(cat "$WORK/$backend-$count-"*.log | grep -c '"status":5' || true)"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "host: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "signet: $signet"
[ -n "$admin" ] && echo "PostgreSQL: $(psql "$admin" -X -A -t -c 'SHOW server_version'), durable throwaway cluster (fsync on)"
case "$BACKEND" in
all)
    run sqlite 1
    run postgres 1
    run postgres 2
    ;;
*)
    run "$BACKEND" "$INSTANCES"
    ;;
esac
