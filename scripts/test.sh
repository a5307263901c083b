#!/usr/bin/env bash
# The whole test suite, as `make test` runs it (after `swift build --build-tests`):
#   1. every suite, on SQLite (the tests that need PostgreSQL itself use the cluster below);
#   2. the service suites again on PostgreSQL (SIGNET_TEST_BACKEND=postgres): the store,
#      service and HTTP suites open their storage through TestStorage, so the same tests run
#      on both backends.
# A throwaway PostgreSQL cluster (scripts/postgres-test-cluster.sh) serves both passes on a
# free loopback port and is stopped and removed at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

cluster=$(mktemp -d /tmp/signet-test-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cleanup() { scripts/postgres-test-cluster.sh stop "$cluster"; rm -rf "$cluster"; }
trap cleanup EXIT
SIGNET_TEST_POSTGRES_URL=$(scripts/postgres-test-cluster.sh start "$cluster" "$port")
export SIGNET_TEST_POSTGRES_URL
echo "test.sh: PostgreSQL for the tests at $SIGNET_TEST_POSTGRES_URL"

echo "test.sh: pass 1 of 2: every suite (SQLite backend)"
$SWIFT test --skip-build "$@"

echo "test.sh: pass 2 of 2: the store, service and HTTP suites on PostgreSQL"
SIGNET_TEST_BACKEND=postgres $SWIFT test --skip-build --filter 'SignetStoreTests|SignetServiceTests|SignetHTTPTests' "$@"
