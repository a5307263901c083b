#!/usr/bin/env bash
# Benchmark (not a test): `signet export` and `signet verify-archive` over N completed
# contracts, and verify-archive's cost per PDF against `pdfsig` and `pyhanko sign validate`
# on the same PDFs, in one run.
#
#   benchmarks/archive.sh                      # 1000 contracts, release build into .build-archive
#   CONTRACTS=200 SAMPLE=20 benchmarks/archive.sh
#   DATA=/tmp/archive-bench benchmarks/archive.sh   # populate once, reuse later
#
# 1. `signet-bench populate` makes a data + key directory as `signet serve` keeps them, with
#    CONTRACTS completed contracts (zh-CN, en and bilingual templates in turn, 10 merchants
#    per template): each merchant-signed (B-T) and countersigned (B-LTA) by the service.
# 2. `signet export` of all of them (a --from/--to range covering today) into one ASiC-E
#    archive: wall time, contracts/s, peak RSS (GNU time), archive size. The export also makes
#    each contract's evidence report if the service has not yet (populate does not run the
#    background jobs), so a second export is timed too: that is the steady state.
# 3. `signet verify-archive` of that archive: wall time, contracts/s, peak RSS. Per contract it
#    checks two PDFs (signed.pdf, evidence.pdf), the audit chain and a re-render of the original.
# 4. The same signed PDFs, SAMPLE of them, one process each, through `signet verify`, `pdfsig`
#    (NSS database with the root, -no-ocsp: everything needed is in the DSS) and
#    `pyhanko sign validate --trust root --trust-replace`: mean wall time per PDF.
# Record results in docs/benchmarks.md, section "Archives".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCRATCH=${SCRATCH:-.build-archive}
CONTRACTS=${CONTRACTS:-1000}
SAMPLE=${SAMPLE:-30}

for tool in pdfsig certutil unzip python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
PYHANKO=${PYHANKO:-$ROOT/.venv/bin/pyhanko}
[ -x "$PYHANKO" ] || PYHANKO=$(command -v pyhanko) || { echo "missing pyhanko (make test installs it)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product signet --scratch-path "$SCRATCH" --disable-local-rpath >&2
swift build -c release --product signet-bench --scratch-path "$SCRATCH" --disable-local-rpath >&2
signet="$ROOT/$SCRATCH/release/signet"
bench="$ROOT/$SCRATCH/release/signet-bench"

# DATA=DIR keeps the populated directory (made there once, reused by later runs).
D=${DATA:-$WORK/d}
if [ ! -f "$D/data/signet.sqlite" ]; then
    "$bench" populate --directory "$D" --contracts "$CONTRACTS" --merchants 10 | tail -2
fi
# Completion dates are on the service's clock (UTC+8): today and tomorrow in UTC cover them.
today=$(date -u +%F)
tomorrow=$(date -u -d tomorrow +%F)
root="$D/keys/root-ca.cert.pem"

# Runs a command under GNU time (stdout to $WORK/out); sets secs and rss (MiB) and status.
timed() {
    set +e
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"
    status=$?
    set -e
    read -r secs kib < <(tail -1 "$WORK/time")
    rss=$(( kib / 1024 ))
}
rate() { python3 -c "print('%.1f' % ($1 / $2))"; }

for pass in first second; do
    rm -f "$WORK/a.asice"
    timed "$signet" export --data "$D/data" --keys "$D/keys" --from "$today" --to "$tomorrow" --out "$WORK/a.asice"
    [ "$status" = 0 ] || { echo "export failed ($status):" >&2; cat "$WORK/err" >&2; exit 1; }
    size=$(( $(stat -c %s "$WORK/a.asice") / 1024 / 1024 ))
    echo "export ($pass): $CONTRACTS contracts in $secs s = $(rate "$CONTRACTS" "$secs") contracts/s, peak RSS $rss MiB, archive $size MiB"
done
timed "$signet" verify-archive "$WORK/a.asice" --trust "$root" --format json
outcome=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["outcome"])' "$WORK/out")
echo "verify-archive: $CONTRACTS contracts in $secs s = $(rate "$CONTRACTS" "$secs") contracts/s, peak RSS $rss MiB, outcome $outcome (exit $status)"
echo "verify-archive per PDF (2 per contract, with the chain and re-render): $(python3 -c "print('%.1f' % ($secs * 1000 / ($CONTRACTS * 2)))") ms"

# The peers, on SAMPLE signed PDFs of the archive, one process per PDF.
mkdir -p "$WORK/x" "$WORK/nss"
unzip -q "$WORK/a.asice" 'contracts/*/signed.pdf' -d "$WORK/x"
mapfile -t pdfs < <(find "$WORK/x" -name signed.pdf | sort | head -n "$SAMPLE")
certutil -N -d "sql:$WORK/nss" --empty-password
certutil -A -d "sql:$WORK/nss" -n signet -t C,C,C -a -i "$root"
per_pdf() {  # mean ms per PDF of "$@ <pdf>"
    local start end
    start=$(date +%s.%N)
    for pdf in "${pdfs[@]}"; do "$@" "$pdf" >/dev/null 2>&1 || true; done
    end=$(date +%s.%N)
    python3 -c "print('%.1f' % (($end - $start) * 1000 / ${#pdfs[@]}))"
}
s=$(per_pdf "$signet" verify --trust "$root")
p=$(per_pdf pdfsig -no-ocsp -nssdir "sql:$WORK/nss")
y=$(per_pdf "$PYHANKO" sign validate --trust "$root" --trust-replace)
echo "per signed PDF, one process each (${#pdfs[@]} PDFs): signet verify $s ms, pdfsig $p ms, pyhanko $y ms"
echo "host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(pdfsig -v 2>&1 | head -1); pyHanko $("$PYHANKO" --version 2>&1 | head -1)"
exit 0
