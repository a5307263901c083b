#!/usr/bin/env bash
# Benchmark (not a test): PAdES signing, Signet vs pyHanko, in one run.
#
#   benchmarks/sign-vs-pyhanko.sh                 # release build into .build
#   SCRATCH=.build-bench DURATION=5 benchmarks/sign-vs-pyhanko.sh
#
# Both sign the same PDF (the Chinese merchant service agreement, rendered from its
# sample) to B-T and to B-LTA, repeatedly and in process, with the same inputs: the
# platform seal key and certificate of a fresh development PKI (RSA 3072 throughout, since
# pyHanko's in-process DummyTimeStamper signs only with RSA), an in-process
# RFC 3161 TSA with that PKI's TSA certificate and key (Signet's built-in TSA; pyHanko's
# DummyTimeStamper), and for B-LTA the PKI's two CRLs as the only revocation data.
# Results go to docs/benchmarks.md, section "PAdES signing".
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
DURATION=${DURATION:-3}
python=.venv/bin/python
[ -x "$python" ] || { echo "run 'make test' first (it installs pyHanko into .venv)" >&2; exit 1; }

swift build -c release --product signet --scratch-path "$SCRATCH" >&2
swift build -c release --product signet-bench --scratch-path "$SCRATCH" >&2
signet="$SCRATCH/release/signet"
bench="$SCRATCH/release/signet-bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$signet" keys init --dir "$work/keys" --org "星河支付有限公司" --credit-code 91330106MA2KX7Q38P --key-algorithm rsa >/dev/null
template=merchant-service-agreement
sample=$(ls contract-templates/$template/*/sample.json | tail -1)
"$signet" render --template $template --fields "$sample" --number BENCH-0001 --issued-at 2026-11-01T10:00:00+08:00 --out "$work/contract.pdf" >/dev/null
echo "input: $template ($(wc -c <"$work/contract.pdf") bytes, $(pdfinfo "$work/contract.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages); ${DURATION}s per run; $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"

rate() { sed -E 's/.* = ([0-9.]+)\/s.*/\1/'; }
for level in B-T B-LTA; do
    s=$("$bench" pades-signing --keys "$work/keys" --pdf "$work/contract.pdf" --level $level --seconds "$DURATION")
    p=$("$python" benchmarks/pyhanko-signing.py --keys "$work/keys" --pdf "$work/contract.pdf" --level $level --seconds "$DURATION" 2>/dev/null)
    echo "$s"
    echo "$p"
    awk -v s="$(echo "$s" | rate)" -v p="$(echo "$p" | rate)" -v l=$level 'BEGIN { printf "%s: Signet is %.1fx faster than pyHanko\n", l, s / p }'
done
