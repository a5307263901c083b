"""A webhook endpoint for tests: verifies every delivery with the Standard Webhooks reference
library (standardwebhooks.Webhook(secret).verify(body, headers)) and records it.

usage: webhook-receiver.py RECORD_FILE
Listens on 127.0.0.1 (a free port, printed as the first line); exits when stdin closes
(SignetTestSupport.FixtureServer). Paths:
  POST /hook                 a delivery: verified with every secret in the control state;
                             recorded (id, type, verified_with, status answered) to RECORD_FILE
  POST /control              JSON: {"secrets": [...], "fail": N, "fail_status": 500,
                             "retry_after": "2", "gone": true} (each optional)
Answers a delivery with fail_status (default 500) while `fail` > 0 (decremented), 410 when
`gone`, else 204. A delivery no secret verifies is answered 401 and recorded as unverified.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

state = {"secrets": [], "fail": 0, "fail_status": 500, "retry_after": None, "gone": False}
records = []
lock = threading.Lock()
record_file = sys.argv[1]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/control":
            with lock:
                state.update(json.loads(body))
            self.send_response(204)
            self.end_headers()
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified_with = []
        with lock:
            secrets = list(state["secrets"])
        for index, secret in enumerate(secrets):
            try:
                Webhook(secret).verify(body, headers)
                verified_with.append(index)
            except Exception:
                pass
        with lock:
            if not verified_with:
                status = 401
            elif state["gone"]:
                status = 410
            elif state["fail"] > 0:
                state["fail"] -= 1
                status = state["fail_status"]
            else:
                status = 204
            event = json.loads(body) if verified_with else {}
            records.append({"webhook_id": headers.get("webhook-id"), "id": event.get("id"), "type": event.get("type"),
                            "verified_with": verified_with, "status": status, "host": headers.get("host"),
                            "signatures": len(headers.get("webhook-signature", "").split(" ")), "body": event})
            with open(record_file + ".tmp", "w") as out:
                json.dump(records, out)
            os.replace(record_file + ".tmp", record_file)
            retry_after = state["retry_after"]
        self.send_response(status)
        if retry_after and status not in (204, 410):
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
