#!/usr/bin/env bash
# Fuzzes a running `signet serve` against its own OpenAPI document with schemathesis.
#
#   scripts/schemathesis.sh BASE_URL API_KEY [MAX_EXAMPLES]
#   scripts/schemathesis.sh http://127.0.0.1:8080 sk_... 20
#
# Reads BASE_URL/openapi.json, sends generated requests (valid and invalid: the examples,
# coverage and fuzzing phases) to every operation but those excluded below, with
# `Authorization: Bearer API_KEY`, and runs every check schemathesis has (`--checks all`): no
# 5xx, a documented status, the documented content type, the documented required headers
# (X-Request-Id, ETag, ...), a body that matches the schema; invalid data refused with a 4xx,
# valid data not refused with a 400/422; a request without the key or with a wrong one
# refused (401); a method the document does not list answered 405 with an `Allow` header.
# Exits non-zero on any failure (schemathesis's own status), or 124 when the time limit
# ends the run.
#
# Bounded: MAX_EXAMPLES generated cases per operation and phase (default 20), one worker
# (the machine is shared), 30 s per request, and the whole run at most
# SCHEMATHESIS_TIME_LIMIT seconds (default 600). SCHEMATHESIS_SEED makes a run
# reproducible; SCHEMATHESIS_REPORT_DIR (relative to the repository), when set, receives a
# JUnit report.
#
# Needs .venv/bin/schemathesis (scripts/bootstrap.sh --test). Only for a server of yours on
# this machine: it sends a few thousand requests, some of them garbage.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: scripts/schemathesis.sh BASE_URL API_KEY [MAX_EXAMPLES]" >&2
    exit 64
fi
base_url="${1%/}"
api_key="$2"
max_examples="${3:-20}"
time_limit="${SCHEMATHESIS_TIME_LIMIT:-600}"

schemathesis=.venv/bin/schemathesis
if [ ! -x "$schemathesis" ]; then
    echo "schemathesis.sh: $schemathesis not found; run scripts/bootstrap.sh --test" >&2
    exit 69
fi

# A run that tested nothing fails too: a wrong key (every /v1 operation answered 401), a
# schema whose servers do not match BASE_URL, an exclusion that names no operation.
config=$(mktemp --suffix=.toml)
trap 'rm -f "$config"' EXIT
# positive_data_acceptance: a request the schema allows may still break a rule the schema
# cannot state, and then gets its documented refusal: 400 invalid_query (a `cursor` this API
# did not return), invalid_json (a string with a lone UTF-16 surrogate is not UTF-8),
# export_filter_invalid (a merchant or both ends of a period); 410 export_failed (an export
# with nothing in it); 422 idempotency_key_reused (schemathesis sends the document's example
# key with other bodies), not_a_pdf, webhook_url_refused (the host does not resolve), and the
# template rules of validation_failed. Those statuses count as answers; 5xx stay failures
# (not_a_server_error), and 413, 415 and undocumented statuses too.
cat > "$config" <<'TOML'
[warnings]
fail-on = ["missing_auth", "base_url_mismatch", "unmatched_filter", "unresolvable_reference"]

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "410", "422", "429", "5xx"]
TOML

args=(
    --config-file "$config"
    run "$base_url/openapi.json"
    --url "$base_url"
    --header "Authorization: Bearer $api_key"
    --checks all
    --phases examples,coverage,fuzzing
    --max-examples "$max_examples"
    --workers 1
    --request-timeout 30
    --wait-for-schema 30
    # Not fuzzed, and why:
    # - /metrics: free Prometheus text whose content changes with every request; there is
    #   no schema to hold it to, and no input to vary.
    # - POST /pki/ocsp, GET /pki/ocsp/{request}, POST /tsa: random bytes are not OCSP or
    #   time-stamp requests, and the protocols answer even garbage with a 200 carrying an
    #   error status inside DER (malformedRequest, rejection), so the document can check
    #   nothing but the status and content type, at the price of parsing megabytes of
    #   generated binary. The server tests check these routes with real requests (openssl
    #   ocsp/ts, pdfsig, pyHanko).
    --exclude-path /metrics
    --exclude-path /pki/ocsp
    --exclude-path '/pki/ocsp/{request}'
    --exclude-path /tsa
    # The key is a secret: keep it out of the printed reproduction commands.
    --output-sanitize true
)
if [ -n "${SCHEMATHESIS_SEED:-}" ]; then
    args+=(--seed "$SCHEMATHESIS_SEED")
fi
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then
    args+=(--report junit --report-dir "$(realpath -m "$SCHEMATHESIS_REPORT_DIR")")
fi

# No telemetry from a test run; application/pdf bodies come from the hooks file.
export SCHEMATHESIS_TELEMETRY=false
export SCHEMATHESIS_HOOKS="$PWD/Tests/Fixtures/openapi-schemathesis-hooks.py"
# schemathesis keeps its state (crashes for `schemathesis replay`) in ./.schemathesis: run it
# in .build/schemathesis, out of the source tree (replay from there too).
schemathesis=$PWD/$schemathesis
mkdir -p .build/schemathesis
cd .build/schemathesis
# timeout(1) bounds the whole run (schemathesis's own --max-time is a budget it fills).
timeout --signal=INT --kill-after=30 "$time_limit" "$schemathesis" "${args[@]}"
