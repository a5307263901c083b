#!/usr/bin/env python3
"""The journey against running `signet serve` processes (benchmarks/service-journey.sh --backend).

Closed loop: WORKERS threads, each repeating the journey, every request to the next of --urls
in turn (instance 1, instance 2, ...), for --warmup then --seconds seconds (journeys completed in
the measured window count). The journey, as an integrator and a signer make it:

  POST /v1/contracts -> POST /v1/contracts/{id}/signers/merchant/embedded-link (the integrator's
  session: no one-time code to fetch from another process's log) -> GET the link (303 + session
  cookie) -> GET /s/{token}/review (CSRF token, document SHA-256) -> POST /s/{token}/sign (the
  platform countersigns inside it; 303) -> GET /s/{token}/done -> GET /s/{token}/signed.pdf.

Over the measured window it reads the CPU time (utime + stime, /proc/PID/stat) of --pids (the
instances) and of the PostgreSQL cluster (--postmaster: the postmaster with its reaped children's
time, plus its live children), and PostgreSQL's pg_stat_database.active_time of the database
(time spent executing statements: the database time) through psql (--database-url).
"""
import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import signet_journey as journeys  # noqa: E402 - the shared journey steps

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime + stime of pid (with its reaped children's cutime + cstime), in seconds; 0 when gone."""
    try:
        with open("/proc/%d/stat" % pid) as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def postgres_cpu(postmaster):
    """The cluster's CPU time: the postmaster (with reaped backends) and its live children."""
    if not postmaster:
        return 0.0
    total = cpu_seconds(postmaster, children=True)
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def active_time_ms(database_url):
    """pg_stat_database.active_time (ms) of the URL's database, after the statistics are flushed."""
    if not database_url:
        return None
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    query = "SELECT active_time FROM pg_stat_database WHERE datname = '%s'" % name.replace("'", "''")
    admin = database_url.split("?")[0].rsplit("/", 1)[0] + "/postgres?sslmode=disable"
    output = subprocess.run(["psql", admin, "-X", "-q", "-A", "-t", "-c", query], capture_output=True, text=True, check=True)
    return float(output.stdout.strip() or 0)


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", required=True, help="the instances' base URLs, comma-separated")
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--sample", default=journeys.SAMPLE)
    parser.add_argument("--merchants", type=int, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--pids", default="", help="the instances' process ids, comma-separated")
    parser.add_argument("--postmaster", type=int, default=0, help="the PostgreSQL postmaster's process id")
    parser.add_argument("--database-url", default="", help="the instances' PostgreSQL database (for active_time)")
    parser.add_argument("--label", default="")
    parser.add_argument("--progress", default="", help="a file rewritten every second with the journeys completed and failed so far "
                        "(\"COMPLETED ERRORS\"; benchmarks/soak.sh samples it)")
    arguments = parser.parse_args()

    target = journeys.Target(arguments.urls.split(","))
    merchant_body, fields = journeys.load_sample(arguments.sample)
    merchants = [journeys.create_merchant(target, arguments.api_key, merchant_body, "bench-%d-%d" % (os.getpid(), index))
                 for index in range(arguments.merchants)]

    def journey(merchant):
        contract = journeys.create_contract(target, arguments.api_key, merchant, fields)["id"]
        link = journeys.embedded_link(target, arguments.api_key, contract)
        browser, base = journeys.enter(target, link)
        csrf, sha = journeys.review(target, base, browser)
        started = time.monotonic()
        journeys.sign(target, base, browser, csrf, sha)
        signing = time.monotonic() - started
        journeys.done(target, base, browser)
        journeys.signed_pdf_page(target, base, browser)
        return signing

    lock = threading.Lock()
    results = []  # (finished at, journey seconds, signing seconds)
    errors = []
    stop = threading.Event()

    def worker(number):
        turn = number
        while not stop.is_set():
            started = time.monotonic()
            try:
                signing = journey(merchants[turn % len(merchants)])
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(str(error))
                time.sleep(0.2)
                continue
            finally:
                turn += arguments.workers
            finished = time.monotonic()
            with lock:
                results.append((finished, finished - started, signing))

    pids = [int(pid) for pid in arguments.pids.split(",") if pid]
    threads = [threading.Thread(target=worker, args=(number,), daemon=True) for number in range(arguments.workers)]
    for thread in threads:
        thread.start()

    def write_progress():
        with lock:
            line = "%d %d\n" % (len(results), len(errors))
        with open(arguments.progress + ".tmp", "w") as file:
            file.write(line)
        os.replace(arguments.progress + ".tmp", arguments.progress)

    if arguments.progress:
        def report_progress():
            while not stop.wait(1):
                write_progress()
        threading.Thread(target=report_progress, daemon=True).start()
    time.sleep(arguments.warmup)
    window_start = time.monotonic()
    cpu_start = (sum(cpu_seconds(pid) for pid in pids), postgres_cpu(arguments.postmaster))
    active_start = active_time_ms(arguments.database_url)
    time.sleep(arguments.seconds)
    window_end = time.monotonic()
    cpu_end = (sum(cpu_seconds(pid) for pid in pids), postgres_cpu(arguments.postmaster))
    # Busy backends flush their statistics about once a second: the same lag at both ends.
    active_end = active_time_ms(arguments.database_url)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    if arguments.progress:
        write_progress()

    measured = [result for result in results if window_start <= result[0] <= window_end]
    count = len(measured)
    signing = [result[2] * 1000 for result in measured]
    journey_ms = [result[1] * 1000 for result in measured]
    instances_cpu, postgres = cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1]
    per = (lambda seconds: "%.0f ms" % (seconds * 1000 / count)) if count else (lambda seconds: "-")
    print("== %s: %d workers, %.0f s measured after %.0f s warm-up, %d instance(s)" % (
        arguments.label, arguments.workers, arguments.seconds, arguments.warmup, len(target.urls)))
    print("completed contracts/s: %.2f (%d in the window, %d errors in the run)" % (count / arguments.seconds, count, len(errors)))
    print("sign POST (merchant + countersignature) p50 / p95 / p99: %.0f / %.0f / %.0f ms" % (
        percentile(signing, 0.5), percentile(signing, 0.95), percentile(signing, 0.99)))
    print("whole journey p50 / p99: %.0f / %.0f ms" % (percentile(journey_ms, 0.5), percentile(journey_ms, 0.99)))
    print("CPU per contract: %s (instances %s + PostgreSQL %s); CPU used %.0f %% of one core" % (
        per(instances_cpu + postgres), per(instances_cpu), per(postgres), 100 * (instances_cpu + postgres) / arguments.seconds))
    if active_start is not None and active_end is not None and count:
        print("database time per contract (pg_stat_database.active_time over the window): %.1f ms" % (
            (active_end - active_start) / count))
    elif not arguments.database_url:
        print("database time per contract: not measured outside the process on SQLite (the in-process run, "
              "benchmarks/service-journey.sh without --backend, splits it out)")
    for message in sorted(set(errors))[:5]:
        print("  error: %s (%d)" % (message, errors.count(message)))


if __name__ == "__main__":
    main()
