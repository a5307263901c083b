#!/usr/bin/env bash
# Benchmark (not a test): the contract service end to end, on SQLite, release build.
#
#   benchmarks/service-journey.sh                         # release build into .build-bench
#   WORKERS=8 SECONDS_MEASURED=20 RATE_SECONDS=20 benchmarks/service-journey.sh
#   RATE=10 benchmarks/service-journey.sh                 # the fixed-rate run at 10 journeys/s
#   SIGN_VIA=service benchmarks/service-journey.sh        # sign in process, as before the signing page
#   PAGE_IMAGES=off|on|both benchmarks/service-journey.sh # review with or without the page images (default both)
#   SKIP_WRK=1 benchmarks/service-journey.sh              # the journey only
#
# 1. The journey (`signet-bench journey`): `signet serve` assembled in the benchmark's own
#    process (fresh data directory and PKI, SQLite WAL with synchronous=FULL, a free loopback
#    port), an API key and MERCHANTS merchants; then WORKERS closed-loop workers for
#    SECONDS_MEASURED s after WARMUP s, each journey being
#      POST /v1/contracts (HTTP; gives the merchant's signing_url) → the merchant on the
#      signing page, every request over HTTP as a browser without JavaScript makes it:
#        GET /s/{token} (landing) → POST /s/{token}/code and the code form it redirects to →
#        the code, handed to the driver by a capturing one-time code notifier (the benchmark
#        owns the SignetService: its `codeNotifier`, recorded as `benchmark`, stands for the
#        phone) → POST /s/{token}/verify (303 + session cookie) → GET /s/{token}/review (CSRF
#        token and document SHA-256 read from the form; with page images, every
#        /s/{token}/pages/{n}.png at once) → POST /s/{token}/sign (consent, CSRF; the
#        platform countersigns inside it) → GET /s/{token}/done (the signed SHA-256) →
#        GET /s/{token}/signed.pdf, checked to be the completed B-LTA (ETag = that SHA-256,
#        two CAdES signatures, DSS, document timestamp).
#      The per-address limit of code requests and entries (30 in 15 min) is raised for the
#      run, since every request comes from 127.0.0.1; the per-signer limits stay.
#      SIGN_VIA=service instead signs through SignetService.sign(contractID:role:evidence:)
#      in the same process and downloads GET /v1/contracts/{id}/signed.pdf: the figures of
#      the runs before the signing page.
#    With PAGE_IMAGES=both (default) the closed loop runs twice, without and with the page
#    images (skipped with a note while the build serves none); then journeys arriving at a
#    fixed rate (RATE, default half the last closed loop's maximum) for RATE_SECONDS s: the
#    sign POST's p99 at that load (target <= 150 ms). It prints completed signings/s, p50/p95/p99 of each
#    step, CPU per contract (getrusage of the whole process: server and driver), the wall
#    time per contract inside render / sign_merchant / countersign (the service's
#    ServiceMetrics durations) and database / blobs (the repositories and the blob store
#    wrapped by timing decorators), and the peak RSS.
# 2. Single routes with wrk (WRK_THREADS threads, WRK_CONNECTIONS connections, WRK_SECONDS s):
#    GET /v1/contracts/{id} and GET /healthz against a release `signet serve` started here
#    (its own data and keys in a temp directory; the API key from `signet apikeys create`;
#    its JSON access log to a file).
# Both load generators run on the same machine as the server.
# Record results in docs/benchmarks.md, section "The service journey" (the page flow: its
# subsection "The signing page flow").
#
# Scale-out (issue 17): separate `signet serve` processes instead of the in-process server:
#
#   benchmarks/service-journey.sh --backend sqlite|postgres [--instances 1|2]
#   benchmarks/service-journey.sh --backend all           # sqlite, postgres × 1, postgres × 2 in one run
#   SIGNET=.build/debug/signet WORKERS=2 WARMUP=2 SECONDS_MEASURED=5 benchmarks/service-journey.sh --backend all  # smoke
#
#    Each configuration gets a fresh store (SQLite data directory, or a new database on a
#    throwaway durable PostgreSQL cluster started here from Debian's packages:
#    scripts/postgres-test-cluster.sh --durable, fsync on), one key directory made by the
#    first instance and copied for the second, an API key (`signet apikeys create`), and N
#    release `signet serve` processes (their JSON logs in the temp directory). Then
#    benchmarks/service-journey-driver.py runs WORKERS closed-loop journeys (the integrator's
#    embedded link instead of the one-time code: the code would be in another process's
#    log), each request to the next instance in turn, WARMUP s then SECONDS_MEASURED s, and
#    prints completed contracts/s, p50/p95/p99 of the sign POST (merchant signature and
#    countersignature), CPU per contract (utime + stime from /proc/PID/stat of every
#    instance and of the PostgreSQL cluster over the window / contracts completed in it) and,
#    on PostgreSQL, database time per contract (pg_stat_database.active_time over the
#    window). The driver's own CPU is not counted (it runs on the same machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BACKEND=""
INSTANCES=""
while [ $# -gt 0 ]; do
    case "$1" in
    --backend) BACKEND=${2:-}; shift 2 ;;
    --instances) INSTANCES=${2:-}; shift 2 ;;
    *) echo "usage: $0 [--backend sqlite|postgres|all] [--instances 1|2]" >&2; exit 64 ;;
    esac
done
case "$BACKEND" in
"" | sqlite | postgres | all) ;;
*) echo "--backend: sqlite, postgres or all" >&2; exit 64 ;;
esac
case "$INSTANCES" in
"" | 1 | 2) ;;
*) echo "--instances: 1 or 2" >&2; exit 64 ;;
esac
if [ -n "$BACKEND" ]; then
    exec "$ROOT/benchmarks/service-journey-scale-out.sh" "$BACKEND" "${INSTANCES:-1}"
fi
SCRATCH=${SCRATCH:-.build-bench}
WORKERS=${WORKERS:-8}
MERCHANTS=${MERCHANTS:-20}
WARMUP=${WARMUP:-5}
SECONDS_MEASURED=${SECONDS_MEASURED:-20}
RATE_SECONDS=${RATE_SECONDS:-20}
RATE=${RATE:-}
SIGN_VIA=${SIGN_VIA:-page}
PAGE_IMAGES=${PAGE_IMAGES:-both}
SKIP_WRK=${SKIP_WRK:-0}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
WRK_SECONDS=${WRK_SECONDS:-10}

for tool in curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
if [ "$SKIP_WRK" != 1 ] && ! command -v wrk >/dev/null; then
    echo "missing wrk: scripts/bootstrap.sh --test installs it" >&2
    exit 1
fi

WORK=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

swift build -c release --scratch-path "$SCRATCH" --product signet-bench >&2
swift build -c release --scratch-path "$SCRATCH" --product signet >&2
bench="$ROOT/$SCRATCH/release/signet-bench"
signet="$ROOT/$SCRATCH/release/signet"

echo "host: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -m | awk '/Mem:/ {print $2}') MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "== journey"
rate_option=()
[ -n "$RATE" ] && rate_option=(--rate "$RATE")
"$bench" journey --templates contract-templates --merchants "$MERCHANTS" --workers "$WORKERS" --warmup "$WARMUP" \
    --seconds "$SECONDS_MEASURED" --rate-seconds "$RATE_SECONDS" --sign-via "$SIGN_VIA" --page-images "$PAGE_IMAGES" "${rate_option[@]}"
echo "load after the journey: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$SKIP_WRK" = 1 ] && exit 0

echo "== single routes (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s against a release signet serve)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
key=$("$signet" apikeys create --name bench --data "$WORK/data" | tail -n 1)
"$signet" serve --data "$WORK/data" --keys "$WORK/keys" --port "$port" >"$WORK/serve.out" 2>"$WORK/serve.log" &
server_pid=$!
for _ in $(seq 1 600); do
    grep -q "Signet is listening" "$WORK/serve.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/serve.log" >&2; echo "signet serve exited" >&2; exit 1; }
    sleep 0.1
done
grep -q "Signet is listening" "$WORK/serve.out" || { echo "signet serve did not start" >&2; exit 1; }

# A merchant and a contract from the template's sample, for GET /v1/contracts/{id}.
sample=contract-templates/merchant-service-agreement/1.0.0/sample.json
python3 - "$sample" "$WORK" <<'EOF'
import json, sys
sample = json.load(open(sys.argv[1]))
merchant = {"external_id": "wrk-1", "name": sample["merchant_name"],
            "registration": {"credit_code": sample["merchant_credit_code"]},
            "legal_representative": sample["merchant_legal_rep"],
            "contact": {"name": sample["merchant_contact"], "phone": sample["merchant_phone"], "email": sample["merchant_email"]}}
json.dump(merchant, open(sys.argv[2] + "/merchant.json", "w"))
json.dump({"merchant_id": "MERCHANT", "template_id": "merchant-service-agreement", "fields": sample},
          open(sys.argv[2] + "/contract.json", "w"))
EOF
post() { curl -sf -H "Authorization: Bearer $key" -H "Content-Type: application/json" --data-binary "@$2" "$base$1"; }
json_id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
merchant_id=$(post /v1/merchants "$WORK/merchant.json" | json_id)
sed -i "s/MERCHANT/$merchant_id/" "$WORK/contract.json"
contract_id=$(post /v1/contracts "$WORK/contract.json" | json_id)

run_wrk() {
    local name=$1 path=$2
    shift 2
    local out
    out=$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency "$@" "$base$path")
    local rps non2xx
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    echo "$name: ${rps} requests/s, latency $(echo "$out" | awk '/^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2} /Latency +[0-9]/ {avg=$2} END {printf "avg %s p50 %s p90 %s p99 %s", avg, p50, p90, p99}')${non2xx:+, $non2xx non-2xx responses}"
}
run_wrk "GET /v1/contracts/{id}" "/v1/contracts/$contract_id" -H "Authorization: Bearer $key"
run_wrk "GET /healthz" /healthz
echo "signet serve peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/"$server_pid"/status)"
echo "load after wrk: $(cut -d' ' -f1-3 /proc/loadavg)"
