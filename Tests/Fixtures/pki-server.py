#!/usr/bin/env python3
"""Publishes a Signet key directory (keys/) over HTTP the way the service will, for tests.

    GET  /pki/crl/<name>.crl    the CRL files of the directory
    GET  /pki/cert/<name>.cer   <name>.cert.pem as DER
    POST /pki/ocsp              answered by `openssl ocsp` (OpenSSL's own responder) from the
                                issuing CA's index.txt, signed by the delegated ocsp.cert.pem

Binds 127.0.0.1 on a free port and prints it on the first line; exits when stdin closes.
The certificates must name this port in their URLs, so the test starts this server first
and then creates the PKI with `--base-url http://127.0.0.1:<port>`.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading

keys = os.path.abspath(sys.argv[1])


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", content_type="application/octet-stream"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        name = os.path.basename(self.path)
        if self.path.startswith("/pki/crl/") and name.endswith(".crl"):
            path = os.path.join(keys, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.reply(200, f.read(), "application/pkix-crl")
        if self.path.startswith("/pki/cert/") and name.endswith(".cer"):
            pem = os.path.join(keys, name[:-4] + ".cert.pem")
            if os.path.isfile(pem):
                der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], capture_output=True).stdout
                return self.reply(200, der, "application/pkix-cert")
        self.reply(404)

    def do_POST(self):
        if not self.path.startswith("/pki/ocsp"):
            return self.reply(404)
        request = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with tempfile.TemporaryDirectory() as tmp:
            req, resp = os.path.join(tmp, "req.der"), os.path.join(tmp, "resp.der")
            with open(req, "wb") as f:
                f.write(request)
            done = subprocess.run([
                "openssl", "ocsp", "-index", os.path.join(keys, "issuing-ca.index.txt"),
                "-CA", os.path.join(keys, "issuing-ca.cert.pem"),
                "-rsigner", os.path.join(keys, "ocsp.cert.pem"), "-rkey", os.path.join(keys, "ocsp.key.pem"),
                "-reqin", req, "-respout", resp, "-nmin", "60"], capture_output=True)
            if done.returncode != 0 or not os.path.exists(resp):
                return self.reply(500, done.stderr)
            with open(resp, "rb") as f:
                return self.reply(200, f.read(), "application/ocsp-response")


def exit_when_parent_closes_stdin():
    sys.stdin.buffer.read()
    os._exit(0)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=exit_when_parent_closes_stdin, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
