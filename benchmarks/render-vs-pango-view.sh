#!/usr/bin/env bash
# Benchmark (not a test): time `signet render` on the Chinese merchant service agreement
# against `pango-view` rendering the same text to PDF, in the same hyperfine run.
#
#   benchmarks/render-vs-pango-view.sh                 # builds release into .build
#   SCRATCH=.build-x RUNS=30 benchmarks/render-vs-pango-view.sh
#
# Every command is a whole process that writes a PDF.
#   signet          the full contract: template load + lock check, field validation, A4
#                   pagination, header/footer, tables, signature block, PDF, SHA-256.
#   pango-view      the same text with the same faces: the body text of Signet's PDF (page
#                   headers and footers cropped off) with its bold runs as Pango markup,
#                   Noto Serif CJK SC 10.5 pt regular + bold, 459 pt measure, 72 dpi, as one
#                   long page. This is the like-for-like comparison the target applies to.
#   pango-view-1    the same text, plain, regular face only (one font subset instead of two).
# Target: signet ≤ 1.5 × pango-view. Results go to docs/benchmarks.md (## Contract rendering).
# Ratios are taken within paired rounds (see below) so that load from other processes
# affects both sides alike.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
RUNS=${RUNS:-20}

for tool in hyperfine pango-view pdftotext pdftohtml pdfinfo python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/bootstrap.sh --test installs it)" >&2; exit 1; }
done

swift build -c release --product signet --scratch-path "$SCRATCH" >&2
signet="$SCRATCH/release/signet"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
template=merchant-service-agreement
fields=contract-templates/$template/1.0.0/sample.json
render=("$signet" render --templates contract-templates --template "$template" --fields "$fields"
        --out "$work/signet.pdf" --number BENCH-0001 --issued-at 2025-03-01T10:00:00+08:00)
"${render[@]}" >/dev/null

# Body text in content order, without the header and footer bands of each A4 page.
pdftotext -raw -nopgbrk -enc UTF-8 -x 0 -y 60 -W 596 -H 720 "$work/signet.pdf" "$work/body.txt"
# The same text with its bold runs, as Pango markup (pdftohtml -xml marks bold text <b>).
pdftohtml -xml -i -q -stdout "$work/signet.pdf" | python3 -c '
import re, sys, xml.sax.saxutils as x
lines = []
for page in re.findall(r"<page [^>]*height=\"(\d+)\"[^>]*>(.*?)</page>", sys.stdin.read(), re.S):
    height, body = int(page[0]), page[1]
    scale = height / 841.89
    for top, inner in re.findall(r"<text top=\"(\d+)\"[^>]*>(.*?)</text>", body, re.S):
        y = int(top) / scale
        if y < 60 or y > 780: continue          # page header and footer bands
        bold = "<b>" in inner
        text = x.escape(x.unescape(re.sub(r"<[^>]+>", "", inner)))
        lines.append(f"<b>{text}</b>" if bold else text)
print("\n".join(lines))
' > "$work/body.markup"

common=(--no-display --font="Noto Serif CJK SC 10.5" --dpi=72 --width=459 --wrap=word-char --justify
        --language=zh-cn --line-spacing=1.2)
pango=(pango-view "${common[@]}" --markup --output="$work/pango.pdf" "$work/body.markup")
plain=(pango-view "${common[@]}" --output="$work/plain.pdf" "$work/body.txt")
"${pango[@]}"
"${plain[@]}"

faces() { pdffonts "$1" | tail -n +3 | awk '{print $1}' | sed 's/^[A-Z]*+//' | sort | tr '\n' ' '; }
echo "text: $(wc -m < "$work/body.txt") characters; signet: $(pdfinfo "$work/signet.pdf" | awk '/^Pages/ {print $2}') A4 pages" >&2
echo "fonts: signet [$(faces "$work/signet.pdf")] pango-view [$(faces "$work/pango.pdf")] pango-view-1 [$(faces "$work/plain.pdf")]" >&2

printf 'signet\t%s\npango-view\t%s\npango-view-1\t%s\n' "$(printf '%q ' "${render[@]}")" \
    "$(printf '%q ' "${pango[@]}")" "$(printf '%q ' "${plain[@]}")" > "$work/cmds"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/times.json" \
    -n signet "$(printf '%q ' "${render[@]}")" \
    -n pango-view "$(printf '%q ' "${pango[@]}")" \
    -n pango-view-1 "$(printf '%q ' "${plain[@]}")" >&2

# hyperfine runs all of one command, then all of the next, so load from other processes that
# comes and goes skews its ratios. Paired rounds fix that: each round runs the three commands
# back to back (rotating the order) and the ratio is taken within the round; the median of
# the per-round ratios is the robust figure. CPU time (user + system, from wait4) is reported
# too, being far less sensitive to other load than wall time.
python3 - "$work/times.json" "$RUNS" "$work/cmds" <<'PY'
import json, os, statistics, sys, time
results = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
commands = dict(line.rstrip("\n").split("\t", 1) for line in open(sys.argv[3]))
def run(cmdline):
    start = time.perf_counter()
    pid = os.spawnvp(os.P_NOWAIT, "/bin/sh", ["/bin/sh", "-c", cmdline + " >/dev/null"])
    _, status, usage = os.wait4(pid, 0)
    if status != 0: sys.exit(f"failed: {cmdline}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime
names = list(commands)
rounds = {n: [] for n in names}
for i in range(int(sys.argv[2])):
    order = names[i % 3:] + names[:i % 3]
    for n in order: rounds[n].append(run(commands[n]))
def med(values): return statistics.median(values) * 1000
print("hyperfine (sequential):")
for n in names:
    m = results[n]
    print(f"  {n:13s} wall {m['mean']*1000:6.1f} ms ± {m['stddev']*1000:4.1f}  median {m['median']*1000:6.1f}  min {m['min']*1000:6.1f}")
print(f"paired rounds ({len(rounds['signet'])}, medians):")
for n in names:
    print(f"  {n:13s} wall {med([w for w, _ in rounds[n]]):6.1f} ms   cpu {med([c for _, c in rounds[n]]):6.1f} ms")
def ratio(a, b, k): return statistics.median(x[k] / y[k] for x, y in zip(rounds[a], rounds[b]))
same_wall, same_cpu = ratio("signet", "pango-view", 0), ratio("signet", "pango-view", 1)
one_wall, one_cpu = ratio("signet", "pango-view-1", 0), ratio("signet", "pango-view-1", 1)
print(f"ratio signet / pango-view   (same text, same two faces):     wall {same_wall:.2f} ×  cpu {same_cpu:.2f} ×"
      f"  (target ≤ 1.50: {'met' if same_wall <= 1.5 else 'NOT met'})")
print(f"ratio signet / pango-view-1 (same text, regular face only):  wall {one_wall:.2f} ×  cpu {one_cpu:.2f} ×")
PY
