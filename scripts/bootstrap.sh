#!/usr/bin/env bash
# Installs what Signet needs on a fresh Debian 12 machine that already has Swift.
#   scripts/bootstrap.sh          runtime + build dependencies
#   scripts/bootstrap.sh --test   also the test oracles (poppler, qpdf, NSS tools, pyHanko,
#                                 wrk for benchmarks/service-journey.sh,
#                                 PostgreSQL and nginx for the scale-out tests,
#                                 openapi-spec-validator, openapi-core, schemathesis)
# Idempotent: installs only what is missing. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(libssl-dev libsqlite3-dev libpango1.0-dev libcairo2-dev fonts-noto-cjk zlib1g-dev pkg-config)
if [ "$want_test" = 1 ]; then
    packages+=(poppler-utils qpdf libnss3-tools pango1.0-tools python3-venv hyperfine wrk chromium chromium-driver unzip)
    # The tests start their own throwaway PostgreSQL cluster and nginx (scripts/postgres-test-cluster.sh).
    packages+=(postgresql postgresql-client nginx)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    # Servers installed here must not start on their own (PostgreSQL's package creates its
    # main cluster, which stays stopped and unused): the
    # tests start their own on loopback ports and stop them. policy-rc.d answering 101 is
    # Debian's way to tell a package's scripts not to start services.
    policy_made=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
        $sudo chmod 755 /usr/sbin/policy-rc.d
        policy_made=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if [ "$policy_made" = 1 ]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
    # New fonts must be visible to fontconfig before the first render.
    command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1 || true
fi

if [ "$want_test" = 1 ]; then
    # pyHanko, the PAdES validator we check our signatures against, in a private venv.
    if [ ! -x .venv/bin/pyhanko ]; then
        echo "bootstrap: installing pyHanko into .venv"
        python3 -m venv .venv
        .venv/bin/python -m pip install --quiet --disable-pip-version-check pyhanko pyhanko-cli
    fi
    # The API's conformance oracles: openapi-spec-validator (the document), openapi-core
    # (recorded responses, Tests/Fixtures/openapi-conformance.py), schemathesis
    # (scripts/schemathesis.sh). `python -m pip`: a .venv copied from another checkout keeps
    # that checkout's path in its scripts' #! lines, and would install there.
    if [ ! -x .venv/bin/schemathesis ] || ! .venv/bin/python -c 'import openapi_core, openapi_spec_validator' 2>/dev/null; then
        echo "bootstrap: installing openapi-spec-validator, openapi-core, schemathesis into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
            openapi-spec-validator 'openapi-core>=0.23' 'schemathesis>=4.30'
    fi
    # The signing page in a real browser (Debian's chromium + chromium-driver, above).
    if ! .venv/bin/python -c 'import selenium' 2>/dev/null; then
        echo "bootstrap: installing selenium into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check selenium
    fi
fi
if [ "$want_test" = 1 ] && ! .venv/bin/python -c 'import standardwebhooks' 2>/dev/null; then
    # The Standard Webhooks reference library: Tests/Fixtures/webhook-receiver.py verifies with it.
    echo "bootstrap: installing standardwebhooks into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check standardwebhooks
fi
echo "bootstrap: ok"
