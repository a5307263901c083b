#!/usr/bin/env python3
"""The crash test's driver (scripts/crash-test.sh sets up the store, keys and API key and runs this).

It runs `signet serve` (a release build) on a loopback port and, with --workers threads, signing
journeys against it (scripts/signet_journey.py: create the contract under an Idempotency-Key,
the merchant's embedded link, review, sign — the platform countersigns —, completed, download),
while a killer thread SIGKILLs the server at uniformly random moments (so kills land in every
phase: render, sign, countersign, webhook delivery), waits for the port to close, runs
`signet check … --format json --verified-cache …` on the store (exit 0 required), restarts the
server on the same store and waits for /readyz. With --pg-kills it also SIGKILLs PostgreSQL:
either one backend serving Signet (the postmaster then resets every backend and recovers), or
the postmaster with all its processes (then restarts the cluster: crash recovery from the WAL);
Signet keeps running and must reconnect on its own.

A journey interrupted by a kill is resumed from its last acknowledged step, as a real client
would: the same Idempotency-Key for the creation, the same link (a new one when it no longer
opens), the same session. Every success the driver received is appended to a ledger (the
journal: contract created, merchant signature accepted, completed with the signed PDF's SHA-256,
downloaded with that SHA-256; every fourth journey then certifies the contract's original as a
paper copy under its own Idempotency-Key); after every restart the facts acknowledged since the previous
check are proven still true through the API, and at the end all of them.

A webhook endpoint points at a receiver in this process that verifies every delivery with the
`standardwebhooks` library; at the end, after a drain wait, every event of the outbox
(webhook_events, read from the store) must have been received at least once.

Findings (each printed, counted, exit 1): a checker run that fails, a 5xx outside an outage of
a dependency (the server being killed, PostgreSQL down and until --grace seconds after it is
back), an acknowledged fact that is no longer true, a lost webhook event, two contracts (or two
certified copies) for one Idempotency-Key, a journey that could not be completed.
"""
import argparse
import json
import os
import random
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import signet_journey as journeys  # noqa: E402 - the shared journey steps

STATE_RANK = {"draft": 0, "sent": 1, "viewed": 1, "signed": 2, "completed": 3}


def log(message):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), flush=True)


class Findings:
    """Every finding, printed as it is found."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, kind, detail):
        with self.lock:
            self.items.append({"kind": kind, "detail": detail})
        log("FINDING %s: %s" % (kind, detail))

    def count(self, kind):
        with self.lock:
            return sum(1 for item in self.items if item["kind"] == kind)


class Outages:
    """Windows in which a dependency was down (monotonic seconds): 5xx inside them are expected."""

    def __init__(self, grace):
        self.lock = threading.Lock()
        self.windows = []  # [start, end or None]
        self.grace = grace

    def begin(self):
        with self.lock:
            self.windows.append([time.monotonic(), None])

    def end(self):
        with self.lock:
            self.windows[-1][1] = time.monotonic()

    def covers(self, started, finished):
        with self.lock:
            for start, end in self.windows:
                if started <= (end if end is not None else float("inf")) + self.grace and finished >= start:
                    return True
        return False


class Receiver:
    """The webhook endpoint: verifies each delivery (standardwebhooks) and records its webhook-id."""

    def __init__(self):
        self.secret = None
        self.lock = threading.Lock()
        self.received = {}  # webhook-id -> count
        self.unverified = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                from standardwebhooks import Webhook
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {key.lower(): value for key, value in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    status = 204
                    with receiver.lock:
                        receiver.received[headers["webhook-id"]] = receiver.received.get(headers["webhook-id"], 0) + 1
                except Exception:  # noqa: BLE001 - any failure to verify is counted
                    status = 401
                    with receiver.lock:
                        receiver.unverified += 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        class Listener(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # the service sends up to 8 deliveries at once

        self.server = Listener(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hook" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ids(self):
        with self.lock:
            return set(self.received)


class Server:
    """`signet serve` on a fixed loopback port, killed and restarted on the same store."""

    def __init__(self, arguments, storage, work):
        self.arguments = arguments
        self.storage = storage
        self.work = work
        self.port = arguments.port
        self.base = "http://127.0.0.1:%d" % self.port
        self.process = None
        self.starts = 0

    def start(self):
        out = open(os.path.join(self.work, "serve.out"), "w")
        err = open(os.path.join(self.work, "serve.log"), "a")
        command = [self.arguments.signet, "serve", "--keys", self.arguments.keys, "--port", str(self.port),
                   "--base-url", self.base, "--templates", self.arguments.templates,
                   "--requests-per-address", "1000000", "--signing-lease", self.arguments.signing_lease,
                   "--webhook-lease", self.arguments.webhook_lease, "--idempotency-lock", self.arguments.idempotency_lock] + self.storage
        self.process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        out.close()
        err.close()
        self.starts += 1
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("signet serve exited with %s (see %s/serve.log)" % (self.process.returncode, self.work))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
                    connection.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    if connection.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("signet serve not ready within 180 s")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return
            time.sleep(0.05)
        raise RuntimeError("the port stays open after SIGKILL")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=150)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Postgres:
    """The durable throwaway cluster in --pg-dir: its processes, killed and restarted."""

    def __init__(self, directory):
        self.directory = directory
        self.data = os.path.join(directory, "data")
        self.bindir = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
        self.bindir = "/usr/lib/postgresql/%s/bin" % self.bindir
        with open(os.path.join(self.data, "postmaster.opts")) as file:
            words = shlex.split(file.read())
        # `postgres "-D" "DIR" "-p" "PORT" …`: the options without the binary and the data directory.
        options, skip = [], False
        for word in words[1:]:
            if skip:
                skip = False
            elif word == "-D":
                skip = True
            else:
                options.append(word)
        self.options = " ".join(shlex.quote(word) for word in options)

    def postmaster(self):
        with open(os.path.join(self.data, "postmaster.pid")) as file:
            return int(file.readline())

    def children(self, pid):
        found = []
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open("/proc/%s/stat" % name) as file:
                        fields = file.read().rsplit(")", 1)[1].split()
                    if int(fields[1]) == pid:
                        with open("/proc/%s/cmdline" % name, "rb") as file:
                            found.append((int(name), file.read().replace(b"\0", b" ").decode("utf-8", "replace")))
                except (OSError, ValueError, IndexError):
                    pass
        return found

    def kill_backend(self):
        """SIGKILLs one backend serving Signet; the postmaster resets all and recovers. What was killed."""
        postmaster = self.postmaster()
        backends = [pid for pid, command in self.children(postmaster) if "postgres: postgres" in command]
        if not backends:
            return None
        victim = random.choice(backends)
        os.kill(victim, signal.SIGKILL)
        return "backend"

    def kill_postmaster(self):
        """SIGKILLs the postmaster and every process of the cluster (a crash of the database machine's
        processes), then starts it again: crash recovery from the WAL."""
        postmaster = self.postmaster()
        children = [pid for pid, _ in self.children(postmaster)]
        os.kill(postmaster, signal.SIGKILL)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(os.path.exists("/proc/%d" % pid) for pid in [postmaster] + children):
            time.sleep(0.05)
        return "postmaster"

    def start(self):
        command = [os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-o", self.options,
                   "-l", os.path.join(self.directory, "server.log"), "-w", "-t", "120", "start"]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ready(self, admin_url):
        return subprocess.run(["psql", admin_url, "-X", "-q", "-A", "-t", "-c", "SELECT 1"],
                              capture_output=True).returncode == 0


# Every DOCUMENT_EVERY-th journey also certifies a paper copy (POST /v1/merchants/{id}/documents,
# the contract's original as the scan, under its own Idempotency-Key): a second kind of keyed
# creation under kills, checked for duplicates and durability like the contracts.
DOCUMENT_EVERY = 4


class Journey:
    """One journey's progress: what was acknowledged so far."""

    def __init__(self, number, run_id):
        self.number = number
        self.key = "crash-%s-%d" % (run_id, number)
        self.contract = None
        self.link = None
        self.browser = None
        self.base = None
        self.signed = False
        self.sha256 = None
        self.downloaded = False
        self.document = None  # the certified paper copy, every DOCUMENT_EVERY-th journey
        self.retry_at = 0
        self.attempts = 0
        self.started = time.monotonic()


class Crash:
    def __init__(self, arguments):
        self.arguments = arguments
        self.work = arguments.work
        self.findings = Findings()
        self.outages = Outages(arguments.grace)
        self.lock = threading.Lock()
        self.counters = {"requests": 0, "5xx": 0, "5xx_in_outage": 0, "no_answer": 0, "signet_kills": 0, "postgres_kills": 0,
                         "postgres_backend_kills": 0, "postgres_postmaster_kills": 0, "checker_runs": 0,
                         "journeys_attempted": 0, "journeys_completed": 0, "journeys_resumed": 0, "acked_facts": 0,
                         "acked_fact_checks": 0, "links_reissued": 0, "idempotency_in_use_waits": 0}
        self.documents = {}  # journey key -> acknowledged certified copy
        self.up = threading.Event()
        self.stopping = threading.Event()
        self.run_id = "%x" % int(time.time())
        self.ledger_path = os.path.join(self.work, "ledger.jsonl")
        self.ledger = open(self.ledger_path, "a")
        self.unchecked = []  # facts acked since the last check
        self.facts = {}  # contract -> strongest acked fact {rank, sha256, journey}
        self.storage = ["--database", arguments.database] if arguments.database else ["--data", arguments.data]
        self.server = Server(arguments, self.storage, self.work)
        self.target = journeys.Target([self.server.base], timeout=arguments.request_timeout, observe=self.observe)
        self.postgres = Postgres(arguments.pg_dir) if arguments.pg_kills else None
        self.receiver = Receiver()
        self.queue = []  # journeys waiting (parked until retry_at)
        self.next_number = 0
        self.in_flight = 0
        self.checker_seconds = []
        self.phases = {}  # thread -> the step in flight
        self.kills_by_phase = {}

    def phase(self, name):
        """What this thread's journey is doing now (tallied at every kill: which phases kills hit)."""
        with self.lock:
            if name is None:
                self.phases.pop(threading.get_ident(), None)
            else:
                self.phases[threading.get_ident()] = name

    def count(self, name, by=1):
        with self.lock:
            self.counters[name] += by

    def observe(self, method, path, status, started, finished):
        self.count("requests")
        if status >= 500:
            if self.outages.covers(started, finished):
                self.count("5xx_in_outage")
            else:
                self.count("5xx")
                self.findings.add("5xx", "%s %s -> %d" % (method, path, status))

    # The ledger.

    def ack(self, journey, fact, rank, sha256=None):
        record = {"journey": journey.number, "contract": journey.contract, "fact": fact, "rank": rank, "sha256": sha256,
                  "at": time.time()}
        with self.lock:
            self.ledger.write(json.dumps(record) + "\n")
            self.ledger.flush()
            self.counters["acked_facts"] += 1
            self.unchecked.append(record)
            known = self.facts.get(journey.contract)
            if known is None or rank >= known["rank"]:
                self.facts[journey.contract] = record

    def prove(self, records):
        """Each acknowledged fact still true through the API."""
        api = self.arguments.api_key
        for record in records:
            for attempt in range(20):
                try:
                    contract = journeys.get_contract(self.target, api, record["contract"])
                    break
                except (OSError, journeys.StepError) as error:
                    if attempt == 19:
                        self.findings.add("ledger", "cannot read %s: %s" % (record["contract"], error))
                        contract = False
                    time.sleep(0.5)
            self.count("acked_fact_checks")
            if contract is False:
                continue
            if contract is None:
                self.findings.add("ledger", "acked %s of %s, but the contract is gone" % (record["fact"], record["contract"]))
                continue
            if STATE_RANK.get(contract["state"], -1) < record["rank"]:
                self.findings.add("ledger", "acked %s of %s, now %s" % (record["fact"], record["contract"], contract["state"]))
            signed = (contract.get("documents") or {}).get("signed") or {}
            if record["sha256"] and contract["state"] == "completed" and signed.get("sha256") != record["sha256"]:
                self.findings.add("ledger", "acked signed PDF %s of %s, now %s" % (record["sha256"], record["contract"],
                                                                                    signed.get("sha256")))

    def prove_unchecked(self):
        with self.lock:
            records, self.unchecked = self.unchecked, []
        self.prove(records)

    # The journeys.

    def take(self):
        """The next journey to run: a parked one whose time has come, else a new one; None when done."""
        while not self.stopping.is_set():
            with self.lock:
                now = time.monotonic()
                ready = [journey for journey in self.queue if journey.retry_at <= now]
                if ready:
                    journey = min(ready, key=lambda j: j.retry_at)
                    self.queue.remove(journey)
                    self.in_flight += 1
                    self.counters["journeys_resumed"] += 1
                    return journey
                if self.want_more():
                    journey = Journey(self.next_number, self.run_id)
                    self.next_number += 1
                    self.in_flight += 1
                    self.counters["journeys_attempted"] += 1
                    return journey
                if not self.queue and self.in_flight == 0:
                    return None
            time.sleep(0.1)
        return None

    def want_more(self):
        # New journeys until both the journey count and the kills are reached (kills need traffic).
        if self.finishing:
            return False
        return self.next_number < self.arguments.journeys or not self.kills_done.is_set()

    def park(self, journey, seconds):
        with self.lock:
            journey.retry_at = time.monotonic() + seconds
            self.queue.append(journey)
            self.in_flight -= 1

    def finish(self, journey, completed):
        with self.lock:
            self.in_flight -= 1
            if completed:
                self.counters["journeys_completed"] += 1

    def worker(self):
        while True:
            journey = self.take()
            if journey is None:
                return
            try:
                outcome = self.advance(journey)
            except Exception as error:  # noqa: BLE001 - a driver bug must not hang the run
                self.findings.add("journey", "journey %d: unexpected %r" % (journey.number, error))
                outcome = "failed"
            self.phase(None)
            if outcome == "completed":
                self.finish(journey, True)
            elif outcome == "failed":
                self.finish(journey, False)
            else:
                self.park(journey, outcome)

    def wait_up(self):
        self.up.wait(timeout=600)
        self.target.forget_connections()

    def advance(self, journey):
        """Runs the journey on from its last acknowledged step: "completed", "failed", or seconds to wait."""
        api, target = self.arguments.api_key, self.target
        while not self.stopping.is_set():
            journey.attempts += 1
            if journey.attempts > 400:
                self.findings.add("journey", "journey %d (%s) not completed after 400 steps" % (journey.number, journey.contract))
                return "failed"
            try:
                if journey.contract is None:
                    self.phase("create (render)")
                    contract = journeys.create_contract(target, api, self.merchants[journey.number % len(self.merchants)],
                                                        self.fields, idempotency_key=journey.key,
                                                        metadata={"crash_journey": journey.key})
                    journey.contract = contract["id"]
                    self.ack(journey, "created", 1)
                    continue
                if not journey.signed:
                    self.phase("link, review")
                    if journey.link is None:
                        journey.link = journeys.embedded_link(target, api, journey.contract)
                    if journey.browser is None:
                        try:
                            journey.browser, journey.base = journeys.enter(target, journey.link)
                        except journeys.StepError:
                            if self.merchant_signed(journey):
                                continue
                            journey.link = None  # a real integrator asks for a new link
                            self.count("links_reissued")
                            continue
                    try:
                        csrf, sha = journeys.review(target, journey.base, journey.browser)
                        self.phase("sign and countersign")
                        journeys.sign(target, journey.base, journey.browser, csrf, sha)
                        # The 303 to /done comes also when another request holds the claim: only
                        # the done page saying `done` acknowledges the signature.
                        journeys.done(target, journey.base, journey.browser)
                    except journeys.StepError as error:
                        if error.status is not None and error.status >= 500:
                            return 1
                        if self.merchant_signed(journey):
                            continue
                        # The signer's claim of a killed server holds until the lease passes, or the
                        # session is gone: open a new link and sign again a little later.
                        journey.browser = journey.link = None
                        return 2
                    journey.signed = True
                    self.ack(journey, "signed", 2)
                    continue
                if journey.sha256 is None:
                    self.phase("await completion")
                    contract = journeys.get_contract(target, api, journey.contract)
                    if contract is None:
                        self.findings.add("ledger", "contract %s of journey %d is gone" % (journey.contract, journey.number))
                        return "failed"
                    if contract["state"] != "completed":
                        return 1  # the countersignature: inline, or the background job after a kill
                    journey.sha256 = contract["documents"]["signed"]["sha256"]
                    self.ack(journey, "completed", 3, journey.sha256)
                    continue
                if not journey.downloaded:
                    self.phase("download")
                    sha256, etag = journeys.signed_pdf_api(target, api, journey.contract)
                    if sha256 != journey.sha256 or (etag and etag != sha256):
                        self.findings.add("ledger", "signed.pdf of %s: SHA-256 %s (ETag %s), completed with %s" % (
                            journey.contract, sha256, etag, journey.sha256))
                        return "failed"
                    journey.downloaded = True
                    self.ack(journey, "downloaded", 3, sha256)
                if journey.number % DOCUMENT_EVERY == 0 and journey.document is None:
                    self.phase("certify a paper copy")
                    journey.document = self.certify(journey)
                    with self.lock:
                        self.documents[journey.key] = journey.document
                return "completed"
            except journeys.StepError as error:
                if error.code == "idempotency_key_in_use":
                    # The creation's first request died with the server; its key is held for a while.
                    self.count("idempotency_in_use_waits")
                    return 10
                if error.status is not None and error.status >= 500:
                    return 1
                if error.status in (502, 503, 504, None):
                    return 1
                self.findings.add("journey", "journey %d (%s): %s" % (journey.number, journey.contract, error))
                return "failed"
            except (OSError, journeys.http.client.HTTPException):
                self.count("no_answer")
                self.wait_up()
        return 0.5

    def certify(self, journey):
        """Certifies the journey's original PDF as a paper copy titled with the journey's key,
        under the Idempotency-Key doc-KEY (the same on every retry); the document's id."""
        api, target = self.arguments.api_key, self.target
        status, _, pdf = target.request(target.next(), "GET", "/v1/contracts/%s/document.pdf" % journey.contract,
                                        headers=journeys.api_headers(api))
        if status != 200:
            raise journeys.StepError("original", status, journeys.problem_code(pdf))
        headers = dict(journeys.api_headers(api, "doc-" + journey.key), **{"Content-Type": "application/pdf"})
        merchant = self.merchants[journey.number % len(self.merchants)]
        status, _, reply = target.request(target.next(), "POST", "/v1/merchants/%s/documents?title=%s" % (
            merchant, urllib.parse.quote(journey.key)), pdf, headers)
        if status != 201:
            raise journeys.StepError("certify", status, journeys.problem_code(reply))
        return json.loads(reply)["id"]

    def merchant_signed(self, journey):
        contract = journeys.get_contract(self.target, self.arguments.api_key, journey.contract)
        if contract and any(s["role"] == "merchant" and s.get("state") == "signed" for s in contract["signers"]):
            journey.signed = True
            self.ack(journey, "signed", 2)
            return True
        return False

    # The killer.

    def checker(self, label, extra=(), cached=True):
        """`signet check` on the store; `cached`: skip signed PDFs an earlier check verified
        (content addressed), as the checks after each kill do. The final check verifies every
        signed PDF afresh."""
        if not self.arguments.check:
            return None
        cache = ["--verified-cache", os.path.join(self.work, "verified-cache")] if cached else []
        command = [self.arguments.signet, "check"] + self.storage + [
            "--keys", self.arguments.keys, "--trust", self.arguments.trust, "--format", "json"] + cache + list(extra)
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True)
        self.checker_seconds.append(time.monotonic() - started)
        self.count("checker_runs")
        try:
            report = json.loads(result.stdout)
        except ValueError:
            report = None
        if result.returncode != 0 or not report or not report.get("consistent"):
            violations = report.get("violations") if report else None
            self.findings.add("checker", "%s: exit %d %s %s" % (label, result.returncode,
                                                                json.dumps(violations)[:2000] if violations else "",
                                                                result.stderr[-2000:]))
        self.last_report = report
        return report

    def killer(self):
        arguments = self.arguments
        pg_every = max(1, arguments.kills // arguments.pg_kills) if arguments.pg_kills else 0
        pg_done = 0
        for number in range(1, arguments.kills + 1):
            if self.out_of_time():
                log("time limit: %d kills made" % (number - 1))
                break
            time.sleep(random.uniform(arguments.min_delay, arguments.max_delay))
            if self.postgres and pg_done < arguments.pg_kills and number % pg_every == 0:
                self.kill_postgres(pg_done)
                pg_done += 1
                time.sleep(random.uniform(arguments.min_delay, arguments.max_delay))
            self.outages.begin()
            self.up.clear()
            with self.lock:
                in_flight = list(self.phases.values())
            self.server.kill()
            for name in in_flight or ["idle (background jobs only)"]:
                self.kills_by_phase[name] = self.kills_by_phase.get(name, 0) + 1
            self.count("signet_kills")
            self.checker("after kill %d" % number)
            self.server.start()
            self.up.set()
            self.outages.end()
            self.prove_unchecked()
            if number % 10 == 0:
                with self.lock:
                    snapshot = dict(self.counters)
                log("kill %d/%d: %d journeys attempted, %d completed, %d requests, %d findings" % (
                    number, arguments.kills, snapshot["journeys_attempted"], snapshot["journeys_completed"],
                    snapshot["requests"], len(self.findings.items)))
        self.kills_done.set()

    def out_of_time(self):
        """Past --time-limit: no further kills or new journeys (the summary says how many there were)."""
        return bool(self.arguments.time_limit) and time.monotonic() - self.started > self.arguments.time_limit

    def kill_postgres(self, number):
        self.outages.begin()
        if number % 2 == 0:
            what = self.postgres.kill_backend()
        else:
            what = self.postgres.kill_postmaster()
            time.sleep(random.uniform(0, 1))
            self.postgres.start()
        self.count("postgres_kills")
        self.count("postgres_%s_kills" % what)
        # Recovered when the database answers again and Signet is ready on it again.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not self.postgres.ready(self.arguments.admin_url):
            time.sleep(0.2)
        while time.monotonic() < deadline:
            try:
                status, _, _ = journeys.Target([self.server.base], timeout=10).request(self.server.base, "GET", "/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.findings.add("postgres", "Signet not ready 120 s after PostgreSQL %s kill" % what)
        self.outages.end()
        log("PostgreSQL %s killed and recovered" % what)

    # The run.

    def outbox_ids(self):
        """Every webhook event id in the store (the outbox)."""
        if self.arguments.database:
            url = self.arguments.database.split("?")[0] + "?sslmode=disable"
            output = subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-c", "SELECT id FROM webhook_events"],
                                    capture_output=True, text=True, check=True).stdout
            return set(line for line in output.split() if line)
        with sqlite3.connect("file:%s/signet.sqlite?mode=ro" % self.arguments.data, uri=True) as connection:
            return set(row[0] for row in connection.execute("SELECT id FROM webhook_events"))

    def listed(self, collection):
        """Every item of every merchant's `collection` (contracts, documents), page by page."""
        for merchant in self.merchants:
            cursor = None
            while True:
                path = "/v1/merchants/%s/%s?limit=100" % (merchant, collection) + (
                    "&cursor=%s" % urllib.parse.quote(cursor, safe="") if cursor else "")
                status, _, reply = self.target.request(self.server.base, "GET", path, headers=journeys.api_headers(self.arguments.api_key))
                if status != 200:
                    raise RuntimeError("list %s: %d %s" % (collection, status, reply[:200]))
                page = json.loads(reply)
                yield from page["data"]
                if not page.get("has_more") or not page.get("next_cursor"):
                    break
                cursor = page["next_cursor"]

    def contracts_per_key(self):
        """Idempotency keys with more than one contract."""
        per_key = {}
        for contract in self.listed("contracts"):
            per_key.setdefault((contract.get("metadata") or {}).get("crash_journey"), []).append(contract["id"])
        return {key: ids for key, ids in per_key.items() if len(ids) > 1}

    def documents_per_key(self):
        """Journey key (the title) -> the certified copies stored under it."""
        per_key = {}
        for document in self.listed("documents"):
            per_key.setdefault(document["title"], []).append(document["id"])
        return per_key

    def run(self):
        arguments = self.arguments
        started = self.started = time.monotonic()
        self.finishing = False
        self.kills_done = threading.Event()
        self.last_report = None
        self.server.start()
        self.up.set()
        api = arguments.api_key
        merchant_body, self.fields = journeys.load_sample(arguments.sample)
        self.merchants = [journeys.create_merchant(self.target, api, merchant_body, "crash-%s-%d" % (self.run_id, index),
                                                   idempotency_key="crash-merchant-%s-%d" % (self.run_id, index))
                          for index in range(arguments.merchants)]
        status, _, reply = self.target.request(self.server.base, "POST", "/v1/webhook-endpoints",
                                               json.dumps({"url": self.receiver.url, "events": [], "description": "crash test"}),
                                               journeys.api_headers(api))
        if status != 201:
            raise RuntimeError("webhook endpoint: %d %s" % (status, reply[:300]))
        self.receiver.secret = json.loads(reply)["secret"]
        log("signet serve on %s, %d workers, %d kills%s, at least %d journeys" % (
            self.server.base, arguments.workers, arguments.kills,
            " (%d of PostgreSQL)" % arguments.pg_kills if arguments.pg_kills else "", arguments.journeys))
        workers = [threading.Thread(target=self.worker, daemon=True) for _ in range(arguments.workers)]
        for thread in workers:
            thread.start()
        killer = threading.Thread(target=self.killer, daemon=True)
        killer.start()
        killer.join()
        log("kills done after %.0f s; finishing the journeys" % (time.monotonic() - started))
        # The journeys still to start run without kills; then the ones still waiting get --drain
        # seconds (an interrupted creation's key is held --idempotency-lock, a signer's claim
        # --signing-lease, a countersignature waits for the background job).
        while self.next_number < arguments.journeys and not self.out_of_time():
            time.sleep(0.2)
        self.finishing = True
        deadline = time.monotonic() + arguments.drain
        while time.monotonic() < deadline:
            with self.lock:
                if not self.queue and self.in_flight == 0:
                    break
            time.sleep(0.2)
        self.finishing = True
        self.stopping.set()
        for thread in workers:
            thread.join(timeout=30)
        with self.lock:
            unfinished = len(self.queue) + self.in_flight
        if unfinished:
            self.findings.add("journey", "%d journeys not completed within the drain wait" % unfinished)
        # Every acked fact, then the outbox delivered.
        self.prove_unchecked()
        self.prove(list(self.facts.values()))
        duplicates = self.contracts_per_key()
        for key, ids in duplicates.items():
            self.findings.add("idempotency", "key %s made %d contracts: %s" % (key, len(ids), ", ".join(ids)))
        documents = self.documents_per_key()
        duplicate_documents = {key: ids for key, ids in documents.items() if len(ids) > 1}
        for key, ids in duplicate_documents.items():
            self.findings.add("idempotency", "key doc-%s made %d documents: %s" % (key, len(ids), ", ".join(ids)))
        for key, document in sorted(self.documents.items()):
            if document not in documents.get(key, []):
                self.findings.add("ledger", "acked document %s of journey %s is gone" % (document, key))
        deadline = time.monotonic() + arguments.drain
        missing = set()
        while time.monotonic() < deadline:
            missing = self.outbox_ids() - self.receiver.ids()
            if not missing:
                break
            time.sleep(1)
        outbox = self.outbox_ids()
        for event in sorted(missing)[:20]:
            self.findings.add("webhook", "event %s never delivered" % event)
        if len(missing) > 20:
            self.findings.add("webhook", "... and %d more events never delivered" % (len(missing) - 20))
        self.server.stop()
        # The server is stopped: every orphan now is one for good (a blob written before a
        # transaction a kill cut short). Report them, collect them, and check once more.
        final = self.checker("final", cached=False)
        collected = self.checker("final, collecting orphans", ["--gc-orphans", "--orphan-min-age", "0"])
        after = self.checker("after the collection")
        orphans = {"found": ((final or {}).get("orphans") or {}).get("found"),
                   "bytes": ((final or {}).get("orphans") or {}).get("bytes"),
                   "deleted": ((collected or {}).get("orphans") or {}).get("deleted"),
                   "found_after_collection": ((after or {}).get("orphans") or {}).get("found")}
        if self.arguments.check and orphans["found_after_collection"]:
            self.findings.add("orphans", "%s orphans left after --gc-orphans" % orphans["found_after_collection"])
        elapsed = time.monotonic() - started
        with self.lock:
            counters = dict(self.counters)
        summary = {
            "backend": arguments.backend, "checker": arguments.check, "elapsed_seconds": round(elapsed, 1), "workers": arguments.workers,
            "signet_kills": counters["signet_kills"], "postgres_kills": counters["postgres_kills"],
            "postgres_backend_kills": counters["postgres_backend_kills"],
            "postgres_postmaster_kills": counters["postgres_postmaster_kills"],
            "journeys_attempted": counters["journeys_attempted"], "journeys_completed": counters["journeys_completed"],
            "journeys_resumed": counters["journeys_resumed"], "requests": counters["requests"],
            "requests_without_answer": counters["no_answer"], "links_reissued": counters["links_reissued"],
            "idempotency_in_use_waits": counters["idempotency_in_use_waits"],
            "acked_facts": counters["acked_facts"], "acked_fact_checks": counters["acked_fact_checks"],
            "checker_runs": counters["checker_runs"], "journeys_in_flight_at_kills_by_phase": self.kills_by_phase,
            "checker_seconds_median": round(sorted(self.checker_seconds)[len(self.checker_seconds) // 2], 2) if self.checker_seconds else None,
            "checker_seconds_max": round(max(self.checker_seconds), 2) if self.checker_seconds else None,
            "final_check": final and {"consistent": final.get("consistent"), "counts": final.get("counts")},
            "orphans": orphans,
            "violations": self.findings.count("checker"), "ledger_violations": self.findings.count("ledger"),
            "5xx_outside_outages": counters["5xx"], "5xx_in_outages": counters["5xx_in_outage"],
            "webhook_events": len(outbox), "webhook_events_received": len(self.receiver.ids() & outbox),
            "webhook_deliveries_received": sum(self.receiver.received.values()),
            "webhook_unverified": self.receiver.unverified, "lost_events": len(missing),
            "duplicate_contracts": len(duplicates), "documents_certified": len(self.documents),
            "documents_stored": sum(len(ids) for ids in documents.values()), "duplicate_documents": len(duplicate_documents),
            "journeys_failed": self.findings.count("journey"),
            "findings": self.findings.items,
        }
        with open(arguments.summary, "w") as file:
            json.dump(summary, file, indent=2)
        print(json.dumps({k: v for k, v in summary.items() if k != "findings"}, indent=2))
        return 1 if self.findings.items or self.receiver.unverified else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signet", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--data")
    parser.add_argument("--database")
    parser.add_argument("--admin-url", help="the cluster's admin URL (PostgreSQL kills)")
    parser.add_argument("--pg-dir", help="the cluster's directory (PostgreSQL kills)")
    parser.add_argument("--keys", required=True)
    parser.add_argument("--trust", required=True)
    parser.add_argument("--templates", default="contract-templates")
    parser.add_argument("--sample", default=journeys.SAMPLE)
    parser.add_argument("--api-key", default=os.environ.get("SIGNET_CRASH_API_KEY"))
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--summary", required=True)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--pg-kills", type=int, default=0)
    parser.add_argument("--journeys", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--merchants", type=int, default=4)
    parser.add_argument("--min-delay", type=float, default=0.3, help="seconds from ready to the next kill, at least")
    parser.add_argument("--max-delay", type=float, default=5, help="... at most (uniform)")
    parser.add_argument("--grace", type=float, default=5, help="seconds after an outage in which a 5xx is still expected")
    parser.add_argument("--drain", type=float, default=150, help="seconds to finish journeys, and to deliver the outbox")
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument("--signing-lease", default="10s")
    parser.add_argument("--webhook-lease", default="20s")
    parser.add_argument("--idempotency-lock", default="30s")
    parser.add_argument("--no-check", dest="check", action="store_false", help="do not run `signet check`")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--time-limit", type=float, default=0, help="seconds after which no kill or journey starts (0: none)")
    arguments = parser.parse_args()
    if not arguments.api_key:
        parser.error("the API key: --api-key or SIGNET_CRASH_API_KEY")
    if arguments.seed is not None:
        random.seed(arguments.seed)
    os.makedirs(arguments.work, exist_ok=True)
    crash = Crash(arguments)
    try:
        code = crash.run()
    finally:
        crash.server.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
