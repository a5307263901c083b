#!/usr/bin/env bash
# Benchmark (not a test): `signet verify` against `pyhanko sign validate` and poppler's
# `pdfsig` on the same signed PDFs, in one run, with hyperfine.
#
#   benchmarks/verify-vs-peers.sh                     # release build into .build-verify
#   SCRATCH=.build-x RUNS=30 ROUNDS=3 benchmarks/verify-vs-peers.sh
#   STATIC=0 benchmarks/verify-vs-peers.sh            # Swift runtime linked dynamically
#
# Inputs: B-LTA contracts signed here with `signet sign` (a fresh `signet keys init` PKI,
# P-256 throughout, so OCSP and CRLs in the DSS), one of them signed twice, the same
# contract under a PKI with P-384 CA keys, and three corpus files
# (pyHanko's PAdES-LTA, an ETSI plugtest B-LTA file, a real-world file with two
# signatures). Each tool validates with the right trust anchor; pdfsig through a private
# NSS database. Times are whole process runs (what a user waits for); `signet verify
# --repeat-count` also reports the validation alone, without process start. signet and
# pdfsig are timed in alternating rounds (RUNS split over ROUNDS), so that both see the same
# state of a shared host; each mean is over all of a tool's runs.
# Record results in docs/benchmarks.md, section "Verification".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCRATCH=${SCRATCH:-.build-verify}
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-3}
PYHANKO_RUNS=${PYHANKO_RUNS:-5}
STATIC=${STATIC:-1}

for tool in hyperfine pdfsig certutil python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
PYHANKO=${PYHANKO:-$ROOT/.venv/bin/pyhanko}
[ -x "$PYHANKO" ] || PYHANKO=$(command -v pyhanko) || { echo "missing pyhanko (make test installs it)" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# No $ORIGIN run path: the package builds no shared libraries, and with it the dynamic loader
# first looks for every library in a dozen subdirectories next to the executable.
build=(swift build -c release --product signet --scratch-path "$SCRATCH" --disable-local-rpath)
if [ "$STATIC" = 1 ]; then
    # The Swift runtime, Foundation and libstdc++ linked into the executable, as for
    # deployment (scripts/static-libstdc++/README.md).
    build+=(--static-swift-stdlib)
fi
"${build[@]}" >&2
signet="$ROOT/$SCRATCH/release/signet"

# Signet contracts at B-LTA.
"$signet" keys init --dir "$WORK/keys" >/dev/null
sign() { "$signet" sign "$@" --key "$WORK/keys/seal.key.pem" --cert "$WORK/keys/seal.cert.pem" \
    --chain "$WORK/keys/chain.pem" --keys "$WORK/keys" >/dev/null; }
files=()
for base in libreoffice-writer cairo-pango ghostscript; do
    sign "Tests/Fixtures/pdf/$base.pdf" "$WORK/$base-blta.pdf" --level B-LTA
    files+=("$WORK/$base-blta.pdf|$WORK/keys/root-ca.cert.pem")
done
sign Tests/Fixtures/pdf/cairo-pango.pdf "$WORK/once.pdf" --level B-T --field merchant
sign "$WORK/once.pdf" "$WORK/two-signatures-blta.pdf" --level B-LTA --field platform
files+=("$WORK/two-signatures-blta.pdf|$WORK/keys/root-ca.cert.pem")
# The same contract under a PKI with P-384 CA keys (`--key-algorithm ec-p384-ca`): OpenSSL
# 3.0 has no fast P-384 code, so each CA signature costs ≈ 0.8 ms to check.
"$signet" keys init --dir "$WORK/keys384" --key-algorithm ec-p384-ca >/dev/null
"$signet" sign Tests/Fixtures/pdf/cairo-pango.pdf "$WORK/cairo-pango-p384ca-blta.pdf" --level B-LTA \
    --key "$WORK/keys384/seal.key.pem" --cert "$WORK/keys384/seal.cert.pem" --chain "$WORK/keys384/chain.pem" \
    --keys "$WORK/keys384" >/dev/null
files+=("$WORK/cairo-pango-p384ca-blta.pdf|$WORK/keys384/root-ca.cert.pem")
corpus=Tests/Fixtures/corpus
pyhanko_root=$corpus/trust/pyhanko-testing-ca-root.cert.pem
files+=("$corpus/pyhanko/pades-lta-dss-indirect-arrs-test.pdf|$pyhanko_root")
files+=("$corpus/dss/Signature-P-HU_POL-3.pdf|")
files+=("$corpus/dss/hello_signed_INCSAVE_signed.pdf|")

# pdfsig trusts through NSS: both roots in a private database.
mkdir -p "$WORK/nss"
certutil -N -d "sql:$WORK/nss" --empty-password
certutil -A -d "sql:$WORK/nss" -n signet -t C,C,C -a -i "$WORK/keys/root-ca.cert.pem"
certutil -A -d "sql:$WORK/nss" -n signet-p384 -t C,C,C -a -i "$WORK/keys384/root-ca.cert.pem"
certutil -A -d "sql:$WORK/nss" -n pyhanko -t C,C,C -a -i "$pyhanko_root"

# The mean, in ms, over every run in the given hyperfine JSON exports.
mean() {
    python3 -c 'import json,sys; t=[x for f in sys.argv[1:] for x in json.load(open(f))["results"][0]["times"]]; print("%.1f" % (sum(t) / len(t) * 1000))' "$@"
}
per_round=$(( (RUNS + ROUNDS - 1) / ROUNDS ))

printf '%-34s %5s %9s %9s %10s %10s %8s %8s  %s\n' file KiB signet pdfsig pyHanko in-proc "pyH/sig" "pdf/sig" verdict
for entry in "${files[@]}"; do
    file=${entry%%|*}
    anchor=${entry#*|}
    name=$(basename "$file")
    trust=(); [ -n "$anchor" ] && trust=(--trust "$anchor")
    pytrust="${anchor:-$pyhanko_root}"
    set +e
    verdict=$("$signet" verify "$file" "${trust[@]}" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["outcome"])')
    inprocess=$("$signet" verify "$file" "${trust[@]}" --repeat-count 50 2>&1 >/dev/null | sed -E 's/.*, ([0-9.]+) ms per run/\1/')
    set -e
    for round in $(seq "$ROUNDS"); do
        hyperfine -N -i --warmup 3 --runs "$per_round" --export-json "$WORK/s$round.json" "$signet verify $file ${trust[*]}" >/dev/null 2>&1
        hyperfine -N -i --warmup 3 --runs "$per_round" --export-json "$WORK/p$round.json" "pdfsig -nssdir sql:$WORK/nss $file" >/dev/null 2>&1
    done
    hyperfine -N -i --warmup 1 --runs "$PYHANKO_RUNS" --export-json "$WORK/y.json" \
        "$PYHANKO sign validate --trust $pytrust --trust-replace $file" >/dev/null 2>&1
    s=$(mean "$WORK"/s[0-9]*.json); p=$(mean "$WORK"/p[0-9]*.json); y=$(mean "$WORK/y.json")
    rm -f "$WORK"/s[0-9]*.json "$WORK"/p[0-9]*.json
    kib=$(( $(stat -c %s "$file") / 1024 ))
    printf '%-34s %5s %6s ms %6s ms %7s ms %7s ms %7.1fx %7.2fx  %s\n' "$name" "$kib" "$s" "$p" "$y" "$inprocess" \
        "$(python3 -c "print($y / $s)")" "$(python3 -c "print($p / $s)")" "$verdict"
done
echo "hyperfine: $(( per_round * ROUNDS )) runs each in $ROUNDS alternating rounds (pyHanko $PYHANKO_RUNS), means; ratios > 1 mean signet is faster"
echo "host: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(pdfsig -v 2>&1 | head -1); pyHanko $("$PYHANKO" --version 2>&1 | head -1); static Swift runtime: $STATIC"
