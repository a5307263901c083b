#!/usr/bin/env bash
# Benchmark (not a test): the event-certificate signing step per second, and in the same
# run `openssl speed -seconds 3 ecdsap256` for scale.
#
#   benchmarks/event-signing.sh                      # builds release into .build
#   SCRATCH=.build-x DURATION=5 benchmarks/event-signing.sh
#
# One step = what a merchant signature costs the platform: a fresh P-256 key, an event
# certificate issued by an in-memory issuing CA (EventCertificateAuthority), a PAdES CMS
# over a document digest (CMSSigner: signed attributes, signature, self-check) and a
# signature timestamp from the built-in TSA (token signed, self-checked, re-parsed). Runs
# on one thread, like `openssl speed`. The TSA's serial counter is a file: measured with an
# fsync per token (reservation 1) and with 64 serials reserved per write.
# Record results in docs/benchmarks.md, section "Event-certificate signing".
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
DURATION=${DURATION:-3}

command -v openssl >/dev/null || { echo "missing openssl" >&2; exit 1; }
swift build -c release --product signet-bench --scratch-path "$SCRATCH" >&2
bench="$SCRATCH/release/signet-bench"

rate() { sed -E 's/.* = ([0-9.]+)\/s.*/\1/'; }

strict=$("$bench" event-signing --seconds "$DURATION" --serial-reservation 1)
reserved=$("$bench" event-signing --seconds "$DURATION" --serial-reservation 64)
speed=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/nistp256/ {print $(NF-1), $NF}')
sign_per_s=${speed% *}
verify_per_s=${speed#* }

echo "$strict"
echo "$reserved"
echo "openssl speed -seconds 3 ecdsap256 ($(openssl version | awk '{print $1, $2}')): ${sign_per_s} sign/s, ${verify_per_s} verify/s"
for line in "$strict" "$reserved"; do
    r=$(echo "$line" | rate)
    awk -v r="$r" -v s="$sign_per_s" -v line="$line" 'BEGIN {
        match(line, /reservation [0-9]+/); label = substr(line, RSTART, RLENGTH)
        printf "ratio (serial %s): event signings / ECDSA P-256 signs = %.4f (one event signing costs %.0f ECDSA P-256 signs)\n", label, r / s, s / r
    }'
done
echo "host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
