#!/usr/bin/env bash
# Benchmark (not a test): contract rendering as the service does it, in one long-running
# process. `signet-bench render` renders each template's sample COUNT times through
# ContractRenderer.render (a different contract number each time) and prints the first (cold)
# render and the median and p95 of the others (warm), wall and CPU (user + system of the
# process) per render, and a digest of all the PDFs (the same COUNT gives the same digest on
# the same fonts and libraries: a change that alters bytes shows here). Then THREADS threads
# render COUNT contracts each at once: renders per second and CPU per render.
#
#   benchmarks/render-warm.sh                        # release build into .build-rel
#   SCRATCH=.build-x COUNT=100 THREADS=4 benchmarks/render-warm.sh
#   IMAGES=2 THREADS=0 benchmarks/render-warm.sh     # each render also draws its pages as PNG at 2×
#
# Results go to docs/benchmarks.md (## Contract rendering, ### Warm rendering in the service).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build-rel}
COUNT=${COUNT:-50}
THREADS=${THREADS:-2}
IMAGES=${IMAGES:-0}

swift build -c release --product signet-bench --scratch-path "$SCRATCH" >&2
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs" >&2
"$SCRATCH/release/signet-bench" render --templates contract-templates --count "$COUNT" --threads "$THREADS" --images "$IMAGES"
