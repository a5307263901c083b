#!/usr/bin/env python3
"""Serves one directory over HTTP on 127.0.0.1 and a free port, for tests.

Prints the chosen port on the first line of stdout, then serves until killed. Signing
tests publish their test PKI's CRLs here, so validators that fetch revocation data
online (pyHanko's `sign validate`) check it for real.
"""
import functools
import http.server
import os
import sys
import threading

directory = sys.argv[1]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
handler.extensions_map = {".crl": "application/pkix-crl", ".cer": "application/pkix-cert", "": "application/octet-stream"}


class QuietHandler(handler.func):
    def log_message(self, *args):
        pass


def exit_when_parent_closes_stdin():
    # Signals may arrive blocked or ignored (inherited from the test runner), so the
    # parent stops us by closing our stdin; this also ends us if the parent dies.
    sys.stdin.buffer.read()
    os._exit(0)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=directory))
threading.Thread(target=exit_when_parent_closes_stdin, daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
