#!/usr/bin/env python3
"""An HTTP server that misbehaves on request, for Signet's HTTP transport tests.

Listens on 127.0.0.1 with plain HTTP and, on a second port, HTTPS with a self-signed
certificate made by `openssl req` at start (no client trusts it). Prints "HTTP_PORT
HTTPS_PORT" on the first line of stdout and exits when its stdin reaches end-of-file (the
test process closed it or died). Every POST is answered by its path:

  /echo           200 application/x-echo: "method|content-type|accept|content-length\n" + body
  /redirect-302   302 to /echo (likewise /redirect-301, /redirect-307, /redirect-308)
  /size/N         200 with Content-Length N and N bytes
  /chunked/N      200 with chunked transfer encoding (no length) and N bytes
  /slow-head      waits 5 seconds before answering
  /slow-body      sends the head (Content-Length 1000) at once, then one byte every 0.2 s
  /close          closes the connection without a reply
  /not-http       answers with bytes that are not HTTP, then closes
Usage: http-transport-server.py
"""
import http.server
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

# Foundation's Process starts children with the parent's blocked signal mask.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        path = self.path
        if path == "/echo":
            summary = "%s|%s|%s|%s\n" % (self.command, self.headers.get("Content-Type"),
                                         self.headers.get("Accept"), self.headers.get("Content-Length"))
            return self.send(200, "application/x-echo", summary.encode() + body)
        if path.startswith("/redirect-"):
            self.send_response(int(path[len("/redirect-"):]))
            self.send_header("Location", "/echo")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"moved")
            return
        if path.startswith("/size/"):
            return self.send(200, "application/octet-stream", b"a" * int(path[len("/size/"):]))
        if path.startswith("/chunked/"):
            remaining = int(path[len("/chunked/"):])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while remaining > 0:
                    chunk = min(remaining, 65536)
                    self.wfile.write(b"%x\r\n" % chunk + b"b" * chunk + b"\r\n")
                    remaining -= chunk
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                pass
            return
        if path == "/slow-head":
            time.sleep(5)
            return self.send(200, "text/plain", b"late")
        if path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"c")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
            return
        if path == "/close":
            self.close_connection = True
            return
        if path == "/not-http":
            self.wfile.write(b"this is not HTTP at all\r\n\r\n")
            self.close_connection = True
            return
        self.send(404, "text/plain", b"no such behaviour")

    def send(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class TLSServer(http.server.ThreadingHTTPServer):
    """Handshakes in the request thread, so a client that refuses the certificate does
    not stop the accept loop."""
    context = None

    def get_request(self):
        sock, address = super().get_request()
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request, client_address):
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError):
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass


def exit_when_parent_goes():
    sys.stdin.buffer.read()
    shutil.rmtree(workdir, ignore_errors=True)
    os._exit(0)


workdir = tempfile.mkdtemp(prefix="http-transport-server-")
cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)

plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
plain.daemon_threads = True
secure = TLSServer(("127.0.0.1", 0), Handler)
secure.daemon_threads = True
secure.context = context
for server in (plain, secure):
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(plain.server_address[1], secure.server_address[1], flush=True)
exit_when_parent_goes()
