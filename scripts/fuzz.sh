#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Fuzz/, -sanitize=fuzzer,address), assembles their seeds and
# runs them, one after the other; prints each harness's executions, speed, coverage, corpus
# and findings, and the total. docs/fuzzing.md.
#
#   scripts/fuzz.sh [--ci] [--time SECONDS] [--work DIR] [HARNESS...]
#
#   HARNESS     pdf verify cms templates json (default: all, in that order)
#   --time S    seconds of fuzzing per harness (default 600; --ci: 15)
#   --ci        the short form: every seed once, then --time seconds each
#   --work DIR  corpora, artifacts and logs (default .build-fuzz/work; kept between runs, so a
#               campaign grows its corpus; ../shared/corpus is only read)
#
# A crash, timeout (-timeout, 10 s), out-of-memory (-rss_limit_mb) or sanitizer report stops
# that harness and leaves its input in WORK/artifacts/HARNESS/; the script then exits 1.
# Each run's figures are appended to WORK/runs.tsv (the campaign's ledger).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
all=(pdf verify cms templates json)
time_per=600
ci=0
work=.build-fuzz/work
harnesses=()
while [ $# -gt 0 ]; do
    case "$1" in
        --ci) ci=1; time_per=15; shift ;;
        --time) time_per=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        pdf|verify|cms|templates|json) harnesses+=("$1"); shift ;;
        *) echo "fuzz.sh: unknown argument $1 (harnesses: ${all[*]})" >&2; exit 64 ;;
    esac
done
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")

# The build: the root package's resolved versions, so the nested package resolves the same.
[ -f Package.resolved ] && cp Package.resolved Fuzz/Package.resolved
build_start=$(date +%s)
$SWIFT build --package-path Fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
    | grep -v -e 'ld.gold: warning: Cannot export local symbol' -e 'prohibited flag' || true
bin=$($SWIFT build --package-path Fuzz --scratch-path .build-fuzz --show-bin-path \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
for h in "${harnesses[@]}"; do
    [ -x "$bin/fuzz-$h" ] || { echo "fuzz.sh: the build did not produce $bin/fuzz-$h" >&2; exit 1; }
done
echo "fuzz.sh: build $(( $(date +%s) - build_start )) s"

mkdir -p "$work"
seeds=$(mktemp -d "$work/seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
scripts/fuzz-seeds.sh "$seeds" 2>/dev/null | sed 's/^/fuzz.sh: /'
export SIGNET_FUZZ_TRUST="$seeds/trust"
# LeakSanitizer's suppressions: only the templates harness's one-time static (Fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# The verifier must not reach the network: run it with no network at all where the
# machine lets us make a namespace (docs/fuzzing.md). The others run as they are.
isolate() {
    if [ "$1" = verify ] && unshare -rn true 2>/dev/null; then echo "unshare -rn"; fi
}

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
total_execs=0
total_findings=0
printf '%-10s %12s %9s %8s %8s %8s %8s %9s\n' harness executions seconds execs/s cov ft corpus findings
for h in "${harnesses[@]}"; do
    corpus="$work/corpus/$h"
    artifacts="$work/artifacts/$h"
    mkdir -p "$corpus" "$artifacts"
    regressions=()
    [ -d "Tests/Fixtures/fuzz-regressions/$h" ] && regressions=("Tests/Fixtures/fuzz-regressions/$h")
    log="$work/$h-$(date -u +%Y%m%dT%H%M%SZ).log"
    before=$(ls "$artifacts" | wc -l)
    start=$(date +%s)
    set +e
    # shellcheck disable=SC2046
    $(isolate "$h") "$bin/fuzz-$h" -max_total_time="$time_per" -timeout=10 -rss_limit_mb=3072 -malloc_limit_mb=3072 \
        -print_final_stats=1 -dict="Fuzz/dictionaries/$h.dict" -artifact_prefix="$artifacts/" \
        "$corpus" "$seeds/$h" "${regressions[@]}" > "$log" 2>&1
    status=$?
    set -e
    seconds=$(( $(date +%s) - start ))
    execs=$(stat_of number_of_executed_units "$log"); execs=${execs:-0}
    speed=$(stat_of average_exec_per_sec "$log"); speed=${speed:-0}
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last"); ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
    size=$(ls "$corpus" | wc -l)
    findings=$(( $(ls "$artifacts" | wc -l) - before ))
    if [ "$status" -ne 0 ] && [ "$findings" -eq 0 ]; then findings=1; echo "fuzz.sh: $h exited $status without an artifact: $log" >&2; fi
    printf '%-10s %12s %9s %8s %8s %8s %8s %9s\n' "$h" "$execs" "$seconds" "$speed" "${cov:-?}" "${ft:-?}" "$size" "$findings"
    [ "$findings" -gt 0 ] && { echo "fuzz.sh: $h: see $log and $artifacts/" >&2; grep -m 3 -E 'ERROR|Fatal error|deadly signal|timeout' "$log" >&2 || true; }
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$execs" "$seconds" "$speed" "${cov:-}" "${ft:-}" "$size" "$findings" \
        >> "$work/runs.tsv"
    total_execs=$(( total_execs + execs ))
    total_findings=$(( total_findings + findings ))
done
printf '%-10s %12s\n' total "$total_execs"
echo "fuzz.sh: $total_findings finding(s)"
[ "$total_findings" -eq 0 ]
