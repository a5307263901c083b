#!/usr/bin/env bash
# Benchmark (not a test): reading CRL issuers for the revocation index, and validating PDFs
# whose DSS carries a large CRL, in process (benchmarks/crl-index/, a package of its own
# that depends on this one).
#
#   benchmarks/crl-index.sh              # 100 000 entries, median of 20 runs
#   benchmarks/crl-index.sh 10000 50     # entries, runs
#
# Record results in docs/benchmarks.md, section "CRL index".
set -euo pipefail
cd "$(dirname "$0")/crl-index"
swift build -c release >&2
.build/release/crl-index-bench "$@"
