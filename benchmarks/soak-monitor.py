#!/usr/bin/env python3
"""Samples a `signet serve` process during a soak run and judges it (benchmarks/soak.sh).

Every --interval seconds, until --driver-pid exits: the server's resident memory (VmRSS of
/proc/PID/status), its open file descriptors (entries of /proc/PID/fd), its threads, the
journeys the driver completed and failed so far (its --progress file) and, with
--database-url, the PostgreSQL backends connected to the database (pg_stat_activity).
Writes every sample to --csv and the summary to --json, prints the summary, and exits 1
when the run shows growth beyond warm-up:

  warm-up    the first --warmup seconds: caches fill, pools open, malloc arenas settle;
             not judged.
  reference  the maximum of each quantity over the --reference seconds after warm-up.
  tail       the maximum over the last --tail seconds.
  checks     RSS: tail max <= reference max * (1 + --rss-growth %); and the least-squares
             slope of RSS over everything after warm-up, times the length of that part,
             <= --rss-growth % of the reference (a steady climb that the maxima miss).
             File descriptors: tail max <= reference max + --fd-slack (keep-alive
             connections come and go). PostgreSQL backends: tail max <= reference max +
             --backend-slack and never above --pool-size. Threads: tail max <= reference max
             + --thread-slack. Also: the driver completed journeys in the tail, and none failed.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
import urllib.parse


def status_field(pid, name):
    with open("/proc/%d/status" % pid) as file:
        for line in file:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def progress(path):
    try:
        with open(path) as file:
            completed, errors = file.read().split()
        return int(completed), int(errors)
    except (OSError, ValueError):
        return 0, 0


def postgres_backends(database_url):
    """Connections to the URL's database (pg_stat_activity), from an admin connection."""
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    admin = database_url.split("?")[0].rsplit("/", 1)[0] + "/postgres?sslmode=disable"
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % name.replace("'", "''")
    output = subprocess.run(["psql", admin, "-X", "-q", "-A", "-t", "-c", query], capture_output=True, text=True, timeout=30)
    return int(output.stdout.strip() or -1) if output.returncode == 0 else -1


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by the shell) has finished too.
    try:
        with open("/proc/%d/stat" % pid) as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def slope(points):
    """Least-squares slope of (x, y) points; 0 for fewer than two."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pid", type=int, required=True, help="the signet serve process")
    parser.add_argument("--driver-pid", type=int, required=True, help="sampling stops when this process exits")
    parser.add_argument("--progress", required=True, help="the driver's --progress file")
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=120)
    parser.add_argument("--reference", type=float, default=120)
    parser.add_argument("--tail", type=float, default=180)
    parser.add_argument("--rss-growth", type=float, default=10, help="percent")
    parser.add_argument("--fd-slack", type=int, default=16)
    parser.add_argument("--thread-slack", type=int, default=4)
    parser.add_argument("--backend-slack", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=0, help="the instance's PostgreSQL pool size (0: not checked)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--label", default="")
    parser.add_argument("--csv", required=True)
    parser.add_argument("--json", required=True)
    arguments = parser.parse_args()

    samples = []
    started = time.monotonic()
    with open(arguments.csv, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["seconds", "rss_kib", "open_fds", "threads", "pg_backends", "journeys_completed", "journeys_failed"])
        while alive(arguments.driver_pid):
            try:
                sample = {"seconds": round(time.monotonic() - started, 1), "rss_kib": status_field(arguments.pid, "VmRSS"),
                          "open_fds": open_fds(arguments.pid), "threads": status_field(arguments.pid, "Threads"),
                          "pg_backends": postgres_backends(arguments.database_url) if arguments.database_url else None}
            except OSError:
                sys.exit("soak-monitor: signet serve (pid %d) is gone" % arguments.pid)
            sample["journeys_completed"], sample["journeys_failed"] = progress(arguments.progress)
            samples.append(sample)
            writer.writerow([sample[key] if sample[key] is not None else "" for key in
                             ["seconds", "rss_kib", "open_fds", "threads", "pg_backends", "journeys_completed", "journeys_failed"]])
            file.flush()
            deadline = time.monotonic() + arguments.interval
            while time.monotonic() < deadline and alive(arguments.driver_pid):
                time.sleep(0.2)
    completed, failed = progress(arguments.progress)
    peak_kib = status_field(arguments.pid, "VmHWM")

    duration = samples[-1]["seconds"] if samples else 0
    steady = [s for s in samples if s["seconds"] >= arguments.warmup]
    reference = [s for s in steady if s["seconds"] < arguments.warmup + arguments.reference]
    tail = [s for s in samples if s["seconds"] >= duration - arguments.tail]
    failures = []
    if not reference or not tail or duration < arguments.warmup + arguments.reference:
        failures.append("the run (%.0f s) is shorter than warm-up + reference window (%.0f s): nothing to judge" % (
            duration, arguments.warmup + arguments.reference))
        reference = reference or samples
        tail = tail or samples

    def peak(window, key):
        values = [s[key] for s in window if s[key] is not None and s[key] >= 0]
        return max(values) if values else None

    rss_slope = slope([(s["seconds"] / 60, s["rss_kib"] / 1024) for s in steady])  # MiB per minute
    steady_minutes = (steady[-1]["seconds"] - steady[0]["seconds"]) / 60 if len(steady) > 1 else 0
    summary = {
        "label": arguments.label, "duration_s": duration, "samples": len(samples), "interval_s": arguments.interval,
        "warmup_s": arguments.warmup, "reference_s": arguments.reference, "tail_s": arguments.tail,
        "journeys_completed": completed, "journeys_failed": failed,
        "journeys_in_tail": (tail[-1]["journeys_completed"] - tail[0]["journeys_completed"]) if tail else 0,
        "rss_mib": {"start": round(samples[0]["rss_kib"] / 1024, 1) if samples else None,
                    "after_warmup": round(steady[0]["rss_kib"] / 1024, 1) if steady else None,
                    "reference_max": round(peak(reference, "rss_kib") / 1024, 1),
                    "tail_max": round(peak(tail, "rss_kib") / 1024, 1),
                    "end": round(samples[-1]["rss_kib"] / 1024, 1) if samples else None,
                    "max": round(max(s["rss_kib"] for s in samples) / 1024, 1) if samples else None,
                    "peak_vmhwm": round(peak_kib / 1024, 1),
                    "slope_mib_per_min": round(rss_slope, 3),
                    "projected_growth_over_steady_mib": round(rss_slope * steady_minutes, 1)},
        "open_fds": {"start": samples[0]["open_fds"] if samples else None, "reference_max": peak(reference, "open_fds"),
                     "tail_max": peak(tail, "open_fds"), "end": samples[-1]["open_fds"] if samples else None,
                     "max": peak(samples, "open_fds")},
        "threads": {"reference_max": peak(reference, "threads"), "tail_max": peak(tail, "threads"), "max": peak(samples, "threads")},
    }
    if arguments.database_url:
        summary["pg_backends"] = {"reference_max": peak(reference, "pg_backends"), "tail_max": peak(tail, "pg_backends"),
                                  "max": peak(samples, "pg_backends"), "pool_size": arguments.pool_size}

    rss = summary["rss_mib"]
    limit = rss["reference_max"] * (1 + arguments.rss_growth / 100)
    if rss["tail_max"] > limit:
        failures.append("RSS grew: tail max %.1f MiB > reference max %.1f MiB + %.0f %%" % (rss["tail_max"], rss["reference_max"], arguments.rss_growth))
    if rss["projected_growth_over_steady_mib"] > rss["reference_max"] * arguments.rss_growth / 100:
        failures.append("RSS climbs: %.3f MiB/min over %.1f min after warm-up (+%.1f MiB) > %.0f %% of %.1f MiB" % (
            rss_slope, steady_minutes, rss["projected_growth_over_steady_mib"], arguments.rss_growth, rss["reference_max"]))
    fds = summary["open_fds"]
    if fds["tail_max"] > fds["reference_max"] + arguments.fd_slack:
        failures.append("open file descriptors grew: tail max %d > reference max %d + %d" % (fds["tail_max"], fds["reference_max"], arguments.fd_slack))
    threads = summary["threads"]
    if threads["tail_max"] > threads["reference_max"] + arguments.thread_slack:
        failures.append("threads grew: tail max %d > reference max %d + %d" % (threads["tail_max"], threads["reference_max"], arguments.thread_slack))
    if arguments.database_url:
        backends = summary["pg_backends"]
        if backends["tail_max"] is None or backends["reference_max"] is None:
            failures.append("PostgreSQL backends were not counted")
        else:
            if backends["tail_max"] > backends["reference_max"] + arguments.backend_slack:
                failures.append("PostgreSQL backends grew: tail max %d > reference max %d + %d" % (
                    backends["tail_max"], backends["reference_max"], arguments.backend_slack))
            if arguments.pool_size and backends["max"] > arguments.pool_size:
                failures.append("PostgreSQL backends %d above the pool size %d" % (backends["max"], arguments.pool_size))
    if summary["journeys_in_tail"] <= 0:
        failures.append("no journey completed in the tail window")
    if failed:
        failures.append("%d journeys failed" % failed)
    summary["failures"] = failures
    summary["verdict"] = "fail" if failures else "pass"
    with open(arguments.json, "w") as file:
        json.dump(summary, file, indent=2)

    print("== soak %s: %.0f s, %d samples every %.0f s; warm-up %.0f s, reference %.0f s after it, tail the last %.0f s" % (
        arguments.label, duration, len(samples), arguments.interval, arguments.warmup, arguments.reference, arguments.tail))
    print("journeys: %d completed (%.2f/s), %d failed; %d in the tail" % (
        completed, completed / duration if duration else 0, failed, summary["journeys_in_tail"]))
    print("RSS MiB: start %s, after warm-up %s, reference max %s, tail max %s, end %s, max %s (VmHWM %s); slope after warm-up %+.3f MiB/min (%+.1f MiB over %.1f min)" % (
        rss["start"], rss["after_warmup"], rss["reference_max"], rss["tail_max"], rss["end"], rss["max"], rss["peak_vmhwm"],
        rss_slope, rss["projected_growth_over_steady_mib"], steady_minutes))
    print("open fds: start %s, reference max %s, tail max %s, end %s, max %s; threads: reference max %s, tail max %s" % (
        fds["start"], fds["reference_max"], fds["tail_max"], fds["end"], fds["max"], threads["reference_max"], threads["tail_max"]))
    if arguments.database_url:
        print("PostgreSQL backends of the database: reference max %s, tail max %s, max %s (pool %s)" % (
            summary["pg_backends"]["reference_max"], summary["pg_backends"]["tail_max"], summary["pg_backends"]["max"], arguments.pool_size))
    for failure in failures:
        print("FAIL: " + failure)
    print("verdict: %s (samples: %s, summary: %s)" % (summary["verdict"], arguments.csv, arguments.json))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
