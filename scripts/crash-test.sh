#!/usr/bin/env bash
# The crash test (issue 18): SIGKILL a release `signet serve` (and PostgreSQL) at random moments
# while signing journeys run against it, restart it on the same store each time, and prove after
# every restart and at the end that nothing committed is lost or inconsistent.
#
#   scripts/crash-test.sh [--backend sqlite|postgres|all] [--kills N] [--journeys N] [--pg-kills [N]]
#                         [--workers N] [--ci] [--summary FILE] [--no-check] [--time-limit S] [--max-delay S]
#
#   scripts/crash-test.sh --ci                     # CI: both backends, short (see below)
#   scripts/crash-test.sh --backend all --pg-kills # the full run: 200 kills, >= 1000 journeys each
#
# For each backend: a fresh store (a data directory; or a new database on a throwaway durable
# PostgreSQL cluster started here, scripts/postgres-test-cluster.sh --durable: fsync and
# synchronous_commit on), a key directory made by `signet keys init`, an API key (`signet apikeys
# create`), then scripts/crash-test-driver.py (its docstring says what it does and checks): the
# journeys, the kills, `signet check` on the store after every kill and at the end, the ledger of
# acknowledged facts, the webhook receiver, the lost-event count. --pg-kills (postgres only)
# also SIGKILLs PostgreSQL N times (default kills/10): a backend, or the postmaster and all its
# processes followed by a restart (crash recovery).
#
# SQLite runs as configured in the product (SQLiteStorage): WAL with synchronous=FULL, so even a
# power loss keeps every acknowledged commit; SIGKILL, which this test sends, leaves the WAL in
# the page cache and would not lose a commit under synchronous=NORMAL either.
#
# The server runs with shorter leases than the defaults so that the run stays bounded:
# --signing-lease 10s, --webhook-lease 20s, --idempotency-lock 30s (how long a killed request
# holds its signer, its webhook delivery, its Idempotency-Key before a retry takes over).
#
# Exit 0 only with 0 findings: 0 checker violations, 0 5xx outside an outage of a dependency,
# 0 acknowledged facts lost, 0 lost webhook events, 0 duplicate contracts for one key, every
# journey completed. The summary (per backend) is printed and written as JSON to --summary
# (default .build/crash-test/summary.json). SIGNET_BIN: a signet binary instead of building
# the release product. --no-check leaves out `signet check` (say so when quoting such a run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

BACKEND=all
KILLS=200
JOURNEYS=1000
WORKERS=6
PG_KILLS=0
PG_KILLS_GIVEN=""
MAX_DELAY=5
DRAIN=150
CHECK=()
SUMMARY="$ROOT/.build/crash-test/summary.json"
while [ $# -gt 0 ]; do
    case "$1" in
    --backend) BACKEND=${2:-}; shift 2 ;;
    --kills) KILLS=${2:-}; shift 2 ;;
    --journeys) JOURNEYS=${2:-}; shift 2 ;;
    --workers) WORKERS=${2:-}; shift 2 ;;
    --summary) SUMMARY=${2:-}; shift 2 ;;
    --no-check) CHECK+=(--no-check); shift ;;
    --time-limit) CHECK+=(--time-limit "${2:-}"); shift 2 ;;
    --pg-kills)
        if [[ "${2:-}" =~ ^[0-9]+$ ]]; then PG_KILLS_GIVEN=$2; shift 2; else PG_KILLS_GIVEN=auto; shift; fi ;;
    --ci) BACKEND=all; KILLS=8; JOURNEYS=30; WORKERS=4; PG_KILLS_GIVEN=2; MAX_DELAY=3; DRAIN=90; shift ;;
    --max-delay) MAX_DELAY=${2:-}; shift 2 ;;
    *) echo "usage: $0 [--backend sqlite|postgres|all] [--kills N] [--journeys N] [--pg-kills [N]] [--workers N] [--ci] [--summary FILE] [--no-check] [--time-limit S] [--max-delay S]" >&2
       exit 64 ;;
    esac
done
case "$BACKEND" in sqlite | postgres | all) ;; *) echo "--backend: sqlite, postgres or all" >&2; exit 64 ;; esac
for number in "$KILLS" "$JOURNEYS" "$WORKERS"; do
    [[ "$number" =~ ^[0-9]+$ && "$number" -ge 1 ]] || { echo "--kills, --journeys, --workers: a positive number" >&2; exit 64; }
done
case "$PG_KILLS_GIVEN" in
"") PG_KILLS=0 ;;
auto) PG_KILLS=$(( KILLS / 10 > 0 ? KILLS / 10 : 1 )) ;;
*) PG_KILLS=$PG_KILLS_GIVEN ;;
esac

for tool in python3 curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/bootstrap.sh installs it)" >&2; exit 1; }
done
PYTHON=python3
[ -x "$ROOT/.venv/bin/python" ] && PYTHON="$ROOT/.venv/bin/python"
"$PYTHON" -c 'import standardwebhooks' 2>/dev/null || { echo "missing standardwebhooks: scripts/bootstrap.sh --test installs it into .venv" >&2; exit 1; }

if [ -n "${SIGNET_BIN:-}" ]; then
    signet=$(cd "$(dirname "$SIGNET_BIN")" && pwd)/$(basename "$SIGNET_BIN")
else
    [ -x .build/release/signet ] || swift build -c release --product signet >&2
    signet="$ROOT/.build/release/signet"
fi

if [[ " ${CHECK[*]:-} " != *" --no-check "* ]] && ! "$signet" check --help >/dev/null 2>&1; then
    echo "$signet has no \`check\` command (the invariant checker): build the current tree" >&2
    exit 1
fi

WORK=$(mktemp -d)
chmod 755 "$WORK"    # the PostgreSQL cluster runs as the postgres user when we are root
cluster=""
cleanup() {
    if [ -n "$cluster" ]; then scripts/postgres-test-cluster.sh stop "$cluster" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

mkdir -p "$(dirname "$SUMMARY")"
summaries=()
status=0
started=$SECONDS
echo "host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) before the run; signet: $signet"

# One backend: $1.
run() {
    local backend=$1 port run key storage=() extra=()
    run="$WORK/$backend"
    mkdir -p "$run"
    port=$(free_port)
    "$signet" keys init --dir "$run/keys" --base-url "http://127.0.0.1:$port" >/dev/null
    if [ "$backend" = sqlite ]; then
        storage=(--data "$run/data")
    else
        if [ -z "$cluster" ]; then
            cluster="$WORK/pg"
            admin=$(scripts/postgres-test-cluster.sh start "$cluster" "$(free_port)" --durable)
        fi
        local name="crash_$(date +%s)"
        psql "$admin" -X -q -c "CREATE DATABASE $name" >/dev/null
        storage=(--database "${admin%/postgres*}/$name?sslmode=disable&pool_size=16")
        [ "$PG_KILLS" -gt 0 ] && extra=(--pg-kills "$PG_KILLS" --pg-dir "$cluster" --admin-url "$admin")
    fi
    key=$("$signet" apikeys create --name crash-test "${storage[@]}" 2>/dev/null | tail -n 1)
    echo "== $backend: $KILLS kills of signet serve${extra:+, $PG_KILLS of PostgreSQL}, at least $JOURNEYS journeys, $WORKERS workers"
    local code=0
    SIGNET_CRASH_API_KEY=$key "$PYTHON" scripts/crash-test-driver.py --signet "$signet" --backend "$backend" "${storage[@]}" \
        --keys "$run/keys" --trust "$run/keys/root-ca.cert.pem" --port "$port" --work "$run/work" \
        --summary "$run/summary.json" --kills "$KILLS" --journeys "$JOURNEYS" --workers "$WORKERS" \
        --max-delay "$MAX_DELAY" --drain "$DRAIN" "${extra[@]}" "${CHECK[@]}" || code=$?
    if [ "$code" -ne 0 ]; then
        status=1
        cp "$run/work/serve.log" "$(dirname "$SUMMARY")/$backend-serve.log" 2>/dev/null || true
        cp "$run/work/ledger.jsonl" "$(dirname "$SUMMARY")/$backend-ledger.jsonl" 2>/dev/null || true
        echo "== $backend: FAILED (exit $code); the server's log and the ledger are in $(dirname "$SUMMARY")" >&2
    fi
    [ -f "$run/summary.json" ] && summaries+=("$run/summary.json")
}

case "$BACKEND" in
all) run sqlite; run postgres ;;
*) run "$BACKEND" ;;
esac

"$PYTHON" - "$SUMMARY" "${summaries[@]}" <<'EOF'
import json, sys
runs = [json.load(open(path)) for path in sys.argv[2:]]
json.dump({"runs": runs}, open(sys.argv[1], "w"), indent=2)
EOF
echo "== crash test: $([ $status -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s; summary: $SUMMARY"
exit $status
