# Sourced by the benchmarks that run `signet serve` (service-journey-scale-out.sh, soak.sh),
# from the repository root with ROOT and SCRATCH set: `signet` is the binary to run ($SIGNET,
# or the release product built into $SCRATCH), `free_port` prints a free loopback port.
if [ -n "${SIGNET:-}" ]; then
    signet=$(cd "$(dirname "$SIGNET")" && pwd)/$(basename "$SIGNET")
else
    swift build -c release --scratch-path "$SCRATCH" --product signet >&2
    signet="$ROOT/$SCRATCH/release/signet"
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
