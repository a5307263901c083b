"""The signing journey over HTTP against a running `signet serve`, step by step: the code the
journey benchmark (benchmarks/service-journey-driver.py) and the crash test
(scripts/crash-test-driver.py) share. Standard library only.

The journey, as an integrator and a signer make it:

  POST /v1/merchants (once per merchant) -> POST /v1/contracts -> POST
  /v1/contracts/{id}/signers/merchant/embedded-link (the integrator's session: no one-time code
  to fetch from another process's log) -> GET the link (303 + session cookie) -> GET
  /s/{token}/review (CSRF token, document SHA-256) -> POST /s/{token}/sign (the platform
  countersigns inside it; 303 to /done) -> GET /s/{token}/done -> GET /s/{token}/signed.pdf.

Each step is a function that raises StepError (with the HTTP status and the problem's code,
when there was an answer) when the step did not succeed, so that a caller can resume a journey
from its last acknowledged step.
"""
import hashlib
import http.client
import json
import re
import threading
import time
import urllib.parse

SAMPLE = "contract-templates/merchant-service-agreement/1.0.0/sample.json"
TEMPLATE = "merchant-service-agreement"
# The sample's fields that come from the merchant's record rather than the contract's fields.
FROM_RECORD = {"merchant_name", "merchant_credit_code", "merchant_legal_rep", "merchant_contact", "merchant_phone",
               "merchant_email", "merchant_registration_no", "merchant_jurisdiction"}
USER_AGENT = "signet-journey"


class StepError(Exception):
    """A step that did not succeed: `status` is the HTTP status (None: no answer), `code` the
    problem+json code when the answer had one."""

    def __init__(self, step, status=None, code=None, detail=""):
        super().__init__("%s: %s%s%s" % (step, status if status is not None else "no answer",
                                          " " + code if code else "", " " + detail if detail else ""))
        self.step, self.status, self.code = step, status, code


class Target:
    """A round-robin over the instances' URLs; one keep-alive connection per host per thread.
    `observe(method, path, status, started, finished)` (optional) sees every answered request."""

    def __init__(self, urls, timeout=120, observe=None):
        self.urls = urls
        self.turn = 0
        self.lock = threading.Lock()
        self.local = threading.local()
        self.timeout = timeout
        self.observe = observe

    def next(self):
        with self.lock:
            self.turn += 1
            return self.urls[self.turn % len(self.urls)]

    def request(self, base, method, path, body=None, headers=None):
        """(status, headers, body); raises OSError/http.client errors when there is no answer."""
        parsed = urllib.parse.urlsplit(base)
        connections = getattr(self.local, "connections", None)
        if connections is None:
            connections = self.local.connections = {}
        for attempt in (0, 1):
            connection = connections.get(parsed.netloc)
            reused = connection is not None
            if connection is None:
                connection = connections[parsed.netloc] = http.client.HTTPConnection(parsed.hostname, parsed.port,
                                                                                     timeout=self.timeout)
            started = time.monotonic()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                reply = response.status, response.getheaders(), response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                del connections[parsed.netloc]
                # A kept-alive connection the server closed meanwhile: once more on a new one.
                if attempt or not reused:
                    raise
                continue
            if self.observe:
                self.observe(method, path, reply[0], started, time.monotonic())
            return reply
        raise RuntimeError("unreachable")

    def forget_connections(self):
        """Closes this thread's connections (after the server was restarted)."""
        for connection in getattr(self.local, "connections", {}).values():
            connection.close()
        self.local.connections = {}


def header(headers, name):
    return next((value for key, value in headers if key.lower() == name.lower()), None)


def hidden(html, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), html)
    return match.group(1) if match else None


def problem_code(reply):
    try:
        return json.loads(reply).get("code")
    except (ValueError, AttributeError):
        return None


def load_sample(path=SAMPLE):
    """(merchant body without external_id, contract fields) from a template sample."""
    sample = json.load(open(path))
    merchant = {"name": sample["merchant_name"], "registration": {"credit_code": sample["merchant_credit_code"]},
                "legal_representative": sample["merchant_legal_rep"],
                "contact": {"name": sample["merchant_contact"], "phone": sample["merchant_phone"],
                            "email": sample["merchant_email"]}}
    fields = {key: value for key, value in sample.items() if key not in FROM_RECORD}
    return merchant, fields


def api_headers(api_key, idempotency_key=None):
    headers = {"Authorization": "Bearer " + api_key, "Content-Type": "application/json"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return headers


def create_merchant(target, api_key, merchant, external_id, idempotency_key=None):
    body = dict(merchant, external_id=external_id)
    status, _, reply = target.request(target.next(), "POST", "/v1/merchants", json.dumps(body),
                                      api_headers(api_key, idempotency_key))
    if status != 201:
        raise StepError("merchant", status, problem_code(reply), reply[:200].decode("utf-8", "replace"))
    return json.loads(reply)["id"]


def create_contract(target, api_key, merchant_id, fields, idempotency_key=None, metadata=None):
    """The new contract (as JSON)."""
    body = {"merchant_id": merchant_id, "template_id": TEMPLATE, "fields": fields}
    if metadata:
        body["metadata"] = metadata
    status, _, reply = target.request(target.next(), "POST", "/v1/contracts", json.dumps(body),
                                      api_headers(api_key, idempotency_key))
    if status != 201:
        raise StepError("create", status, problem_code(reply), reply[:200].decode("utf-8", "replace"))
    return json.loads(reply)


def get_contract(target, api_key, contract_id):
    """The contract as JSON, or None when it does not exist (404)."""
    status, _, reply = target.request(target.next(), "GET", "/v1/contracts/%s" % contract_id, headers=api_headers(api_key))
    if status == 404:
        return None
    if status != 200:
        raise StepError("get", status, problem_code(reply))
    return json.loads(reply)


def embedded_link(target, api_key, contract_id, role="merchant"):
    """The path of a new embedded signing link."""
    status, _, reply = target.request(target.next(), "POST", "/v1/contracts/%s/signers/%s/embedded-link" % (contract_id, role),
                                      "{}", api_headers(api_key))
    if status != 201:
        raise StepError("embedded-link", status, problem_code(reply))
    return urllib.parse.urlsplit(json.loads(reply)["url"]).path


def enter(target, link_path):
    """Opens the link: (browser headers with the session cookie, the page base /s/{token})."""
    status, headers, _ = target.request(target.next(), "GET", link_path, headers={"User-Agent": USER_AGENT})
    cookie = header(headers, "Set-Cookie")
    if status != 303 or not cookie:
        raise StepError("enter", status)
    browser = {"User-Agent": USER_AGENT, "Cookie": cookie.split(";")[0]}
    return browser, header(headers, "Location").rsplit("/", 1)[0]


def review(target, base, browser):
    """(csrf token, document SHA-256) from the review page."""
    status, _, reply = target.request(target.next(), "GET", base + "/review", headers=browser)
    page = reply.decode("utf-8", "replace")
    csrf, sha = hidden(page, "csrf"), hidden(page, "document_sha256")
    if status != 200 or not csrf or not sha:
        raise StepError("review", status)
    return csrf, sha


def sign(target, base, browser, csrf, sha):
    """Posts the signature (consent); succeeds on the 303 to /done."""
    form = urllib.parse.urlencode({"csrf": csrf, "document_sha256": sha, "consent": "yes"})
    status, headers, _ = target.request(target.next(), "POST", base + "/sign", form,
                                        dict(browser, **{"Content-Type": "application/x-www-form-urlencoded"}))
    if status != 303 or not (header(headers, "Location") or "").endswith("/done"):
        raise StepError("sign", status)


def done(target, base, browser):
    """The done page says the signature is made. (After POST /sign it can say `signing` instead:
    another request holds the signer's claim — a double click, or a request that died with its
    server, until --signing-lease passes.)"""
    status, _, reply = target.request(target.next(), "GET", base + "/done", headers=browser)
    if status != 200 or b'data-page="done"' not in reply:
        raise StepError("done", status, detail="not completed")


def signed_pdf_page(target, base, browser):
    """The completed B-LTA from the signing page (two CAdES signatures)."""
    status, _, pdf = target.request(target.next(), "GET", base + "/signed.pdf", headers=browser)
    if status != 200 or not pdf.startswith(b"%PDF-") or pdf.count(b"/ETSI.CAdES.detached") < 2:
        raise StepError("signed.pdf", status)
    return pdf


def signed_pdf_api(target, api_key, contract_id):
    """(SHA-256 hex, ETag) of GET /v1/contracts/{id}/signed.pdf."""
    status, headers, pdf = target.request(target.next(), "GET", "/v1/contracts/%s/signed.pdf" % contract_id,
                                          headers=api_headers(api_key))
    if status != 200 or not pdf.startswith(b"%PDF-"):
        raise StepError("download", status, problem_code(pdf) if status != 200 else None)
    return hashlib.sha256(pdf).hexdigest(), (header(headers, "ETag") or "").strip('"')
