#!/usr/bin/env bash
# Soak run (not a test, not in CI): the service journey against one release `signet serve`
# for N minutes, its memory, file descriptors, threads (and PostgreSQL connections) sampled:
# no growth beyond warm-up.
#
#   benchmarks/soak.sh                                   # SQLite, 10 minutes
#   benchmarks/soak.sh --backend postgres --minutes 10   # on a throwaway durable PostgreSQL cluster
#   SIGNET=.build/debug/signet benchmarks/soak.sh --minutes 2   # smoke, any build
#
# The store is fresh (a SQLite data directory with WAL and synchronous=FULL as `signet serve`
# configures it, or a new database on scripts/postgres-test-cluster.sh --durable, fsync on,
# the instance's pool 16 connections), an API key from `signet apikeys create`, one
# `signet serve` (the per-address limit of code requests raised: every request comes from
# 127.0.0.1). benchmarks/service-journey-driver.py runs WORKERS (8) closed-loop journeys for
# the whole run (create → embedded link → review → sign, countersigned → done → signed.pdf,
# checked to be the completed B-LTA), and benchmarks/soak-monitor.py samples the server every
# SAMPLE_SECONDS (5): VmRSS, /proc/PID/fd, Threads, and pg_stat_activity on PostgreSQL.
#
# Judged (soak-monitor.py's docstring has the details): the first 20 % of the run is warm-up
# (2 min of 10), the next 20 % the reference, the last 30 % the tail (3 min of 10). It fails
# when the tail's maximum RSS exceeds the reference maximum by more than RSS_GROWTH % (10),
# when the RSS trend after warm-up would add more than that over the run, when file
# descriptors, threads or database connections grow past a small slack, when any journey
# fails, or when the server answered a 5xx. Samples go to OUT (.build/soak)/soak-BACKEND-TIME.csv,
# the summary to .json beside it; docs/reliability.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKEND=sqlite
MINUTES=10
while [ $# -gt 0 ]; do
    case "$1" in
    --backend) BACKEND=${2:-}; shift 2 ;;
    --minutes) MINUTES=${2:-}; shift 2 ;;
    *) echo "usage: $0 [--backend sqlite|postgres] [--minutes N]" >&2; exit 64 ;;
    esac
done
case "$BACKEND" in
sqlite | postgres) ;;
*) echo "--backend: sqlite or postgres" >&2; exit 64 ;;
esac
[[ "$MINUTES" =~ ^[0-9]+$ ]] && [ "$MINUTES" -ge 1 ] || { echo "--minutes: a whole number of minutes, at least 1" >&2; exit 64; }
SCRATCH=${SCRATCH:-.build-bench}
WORKERS=${WORKERS:-8}
MERCHANTS=${MERCHANTS:-20}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
RSS_GROWTH=${RSS_GROWTH:-10}
POOL_SIZE=16
OUT=${OUT:-.build/soak}

for tool in curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done
[ "$BACKEND" = postgres ] && { command -v psql >/dev/null || { echo "missing psql (scripts/bootstrap.sh installs it)" >&2; exit 1; }; }

WORK=$(mktemp -d)
chmod 755 "$WORK"    # the PostgreSQL cluster runs as the postgres user when we are root
server_pid=""
driver_pid=""
cluster=""
cleanup() {
    [ -n "$driver_pid" ] && kill -TERM "$driver_pid" 2>/dev/null || true
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    [ -n "$cluster" ] && scripts/postgres-test-cluster.sh stop "$cluster" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

. benchmarks/service-setup.sh

database_url=""
if [ "$BACKEND" = sqlite ]; then
    storage=(--data "$WORK/data")
else
    cluster="$WORK/pg"
    admin=$(scripts/postgres-test-cluster.sh start "$cluster" "$(free_port)" --durable)
    psql "$admin" -X -q -c "CREATE DATABASE soak" >/dev/null
    database_url="${admin%/postgres*}/soak?sslmode=disable&pool_size=$POOL_SIZE"
    storage=(--database "$database_url")
fi
key=$("$signet" apikeys create --name soak "${storage[@]}" 2>/dev/null | tail -n 1)
port=$(free_port)
"$signet" serve --keys "$WORK/keys" "${storage[@]}" --port "$port" --base-url "http://127.0.0.1:$port" \
    --templates contract-templates --requests-per-address 1000000 >"$WORK/serve.out" 2>"$WORK/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do
    grep -q "Signet is listening" "$WORK/serve.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { tail -5 "$WORK/serve.log" >&2; echo "signet serve exited" >&2; exit 1; }
    sleep 0.1
done
grep -q "Signet is listening" "$WORK/serve.out" || { echo "signet serve did not start" >&2; exit 1; }

seconds=$((MINUTES * 60))
mkdir -p "$OUT"
stamp="$OUT/soak-$BACKEND-$(date -u +%Y%m%dT%H%M%SZ)"
echo "host: $(nproc) CPUs, $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "signet: $signet; backend $BACKEND; $WORKERS workers for $MINUTES min; samples every $SAMPLE_SECONDS s"
python3 benchmarks/service-journey-driver.py --urls "http://127.0.0.1:$port" --api-key "$key" --workers "$WORKERS" \
    --merchants "$MERCHANTS" --warmup 0 --seconds "$seconds" --pids "$server_pid" --database-url "$database_url" \
    --label "soak $BACKEND" --progress "$WORK/progress" >"$WORK/driver.out" 2>&1 &
driver_pid=$!
verdict=0
python3 benchmarks/soak-monitor.py --pid "$server_pid" --driver-pid "$driver_pid" --progress "$WORK/progress" \
    --interval "$SAMPLE_SECONDS" --warmup $((seconds / 5)) --reference $((seconds / 5)) --tail $((seconds * 3 / 10)) \
    --rss-growth "$RSS_GROWTH" --pool-size "$([ "$BACKEND" = postgres ] && echo "$POOL_SIZE" || echo 0)" \
    --database-url "$database_url" --label "$BACKEND" --csv "$stamp.csv" --json "$stamp.json" || verdict=1
wait "$driver_pid" || { echo "FAIL: the driver exited with $?" >&2; verdict=1; }
driver_pid=""
cat "$WORK/driver.out"
server_errors=$(grep -c '"status":5' "$WORK/serve.log" || true)
echo "5xx answers in the server's log: $server_errors; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$server_errors" = 0 ] || { grep '"status":5' "$WORK/serve.log" | head -3; verdict=1; }
kill -TERM "$server_pid" 2>/dev/null || true
wait "$server_pid" || { echo "FAIL: signet serve exited with $? on SIGTERM" >&2; verdict=1; }
server_pid=""
exit "$verdict"
