#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's packages
# (postgresql-15 or newer), on a loopback port, in a directory of its own.
#
#   scripts/postgres-test-cluster.sh start DIR PORT [--durable] [--watch PID]
#       initdb into DIR/data (trust authentication, user postgres) and start the server on
#       127.0.0.1:PORT (socket in DIR). Prints the admin URL
#       postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable on stdout.
#       Without --durable the server runs with fsync=off (tests: nothing here must survive
#       a power loss; the durability tests kill processes, not the machine).
#       --watch PID stops the server (immediate mode) once process PID is gone.
#   scripts/postgres-test-cluster.sh stop DIR
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user
# (created by Debian's package) and every server command runs through runuser.
set -euo pipefail

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || { echo "usage: $0 start DIR PORT [--durable] [--watch PID] | stop DIR" >&2; exit 64; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[[ -n "$bindir" && -x "$bindir/initdb" ]] || { echo "$0: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 69; }

# Descriptors above 2 this script inherited (a caller's pipes or sockets: Foundation's Process
# learns that its child ended when such a socket closes), as redirections that close them:
# the server and the watcher outlive this script and must not hold them.
inherited_closers() {
    local fd closers=""
    for fd in $(ls /proc/$$/fd); do
        if [[ $fd -gt 2 && $fd -ne 255 ]]; then closers+=" $fd>&-"; fi
    done
    echo "$closers"
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    port=${3:-}
    [[ "$port" =~ ^[0-9]+$ ]] || { echo "$0: start needs a port" >&2; exit 64; }
    shift 3
    durable=0
    watch=""
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --durable) durable=1; shift ;;
        --watch) watch=$2; shift 2 ;;
        *) echo "$0: unknown option $1" >&2; exit 64 ;;
        esac
    done
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    options="-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=500 -c shared_buffers=128MB"
    if [[ $durable -eq 0 ]]; then options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
    # No descriptor of the caller's may reach the server: it would keep a caller's pipe open.
    closers=$(inherited_closers)
    eval "as_owner \"\$bindir/pg_ctl\" -D \"\$dir/data\" -o \"\$options\" -l \"\$dir/server.log\" -w -t 60 start </dev/null >/dev/null 2>&1 $closers" \
        || { cat "$dir/server.log" >&2; exit 1; }
    if [[ -n "$watch" ]]; then
        # Detached from the caller's stdout so that $(…) around this script returns at once.
        watcher="while kill -0 $watch 2>/dev/null; do sleep 1; done; $(declare -f as_owner); as_owner '$bindir/pg_ctl' -D '$dir/data' -m immediate stop; rm -rf '$dir'"
        eval "nohup bash -c \"\$watcher\" </dev/null >/dev/null 2>&1 $closers &"
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    ;;
stop)
    if [[ -d "$dir/data" ]]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    ;;
*)
    echo "$0: unknown command $command" >&2; exit 64 ;;
esac
