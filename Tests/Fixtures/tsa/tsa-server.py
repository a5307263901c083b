#!/usr/bin/env python3
"""A tiny external RFC 3161 TSA for Signet's client tests.

Each POST is answered by running `openssl ts -reply` with the given OpenSSL config, so the
tokens come from a real, independent TSA implementation. The request path selects a
behaviour, some of them deliberately wrong:

  /ok             the reply for the request as sent
  /wrong-nonce    the reply for the request with one nonce byte changed
  /wrong-imprint  the reply for the request with one imprint byte changed
  /no-nonce       the reply for the request with its nonce removed
  /reject         a reply from a TSA section that accepts only SHA-512 (PKIStatus rejection)
  /http-500       HTTP 500
  /wrong-type     HTTP 200 with Content-Type text/html
  /garbage        HTTP 200 application/timestamp-reply with random bytes
  /slow           waits 5 seconds before answering

Prints the port it listens on (127.0.0.1, chosen by the OS) on the first line of stdout,
and exits when its stdin reaches end-of-file (the test process closed it or died), so a
crashed test run never leaves a server behind.
Usage: tsa-server.py OPENSSL_CONFIG
"""
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

# Foundation's Process starts children with the parent's blocked signal mask; unblock
# SIGTERM and SIGINT so Process.terminate() works.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

CONFIG = sys.argv[1]


def read_tlv(data, offset):
    """Returns (tag, header_length, content_length) of the DER element at offset."""
    tag = data[offset]
    length = data[offset + 1]
    if length < 0x80:
        return tag, 2, length
    count = length & 0x7F
    value = int.from_bytes(data[offset + 2:offset + 2 + count], "big")
    return tag, 2 + count, value


def request_fields(req):
    """Offsets of the imprint octets and of the nonce INTEGER element in a DER TimeStampReq."""
    _, header, _ = read_tlv(req, 0)
    offset = header
    _, h, length = read_tlv(req, offset)             # version
    offset += h + length
    _, h, imprint_length = read_tlv(req, offset)     # messageImprint
    inner = offset + h
    _, h2, alg_length = read_tlv(req, inner)         # hashAlgorithm
    digest_at = inner + h2 + alg_length
    _, h3, digest_length = read_tlv(req, digest_at)  # hashedMessage
    imprint = (digest_at + h3, digest_length)
    offset += h + imprint_length
    nonce = None
    while offset < len(req):
        tag, h, length = read_tlv(req, offset)
        if tag == 0x02:
            nonce = (offset, h + length)
        offset += h + length
    return imprint, nonce


def openssl_reply(req, section=None):
    with tempfile.TemporaryDirectory() as tmp:
        query = os.path.join(tmp, "req.tsq")
        reply = os.path.join(tmp, "resp.tsr")
        with open(query, "wb") as f:
            f.write(req)
        command = ["openssl", "ts", "-reply", "-config", CONFIG, "-queryfile", query, "-out", reply]
        if section:
            command += ["-section", section]
        subprocess.run(command, check=True, capture_output=True)
        with open(reply, "rb") as f:
            return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        path = self.path
        if path == "/http-500":
            return self.send(500, "text/plain", b"internal error")
        if path == "/wrong-type":
            return self.send(200, "text/html", b"<html>not a TSA</html>")
        if path == "/garbage":
            return self.send(200, "application/timestamp-reply", os.urandom(300))
        if path == "/slow":
            time.sleep(5)
        if self.headers.get("Content-Type") != "application/timestamp-query":
            return self.send(400, "text/plain", b"expected application/timestamp-query")
        req = bytearray(body)
        imprint, nonce = request_fields(req)
        section = None
        if path == "/wrong-imprint":
            req[imprint[0] + 3] ^= 0x01
        elif path == "/wrong-nonce" and nonce:
            req[nonce[0] + nonce[1] - 1] ^= 0x01
        elif path == "/no-nonce" and nonce:
            start, length = nonce
            del req[start:start + length]
            req[1] -= length  # short-form outer length in these small requests
        elif path == "/reject":
            section = "tsa_sha512_only"
        try:
            reply = openssl_reply(bytes(req), section)
        except subprocess.CalledProcessError as error:
            return self.send(500, "text/plain", error.stderr)
        self.send(200, "application/timestamp-reply", reply)

    def send(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def exit_when_parent_goes():
    sys.stdin.buffer.read()
    os._exit(0)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=exit_when_parent_goes, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
