#!/usr/bin/env bash
# `make run`: starts the Signet service on http://127.0.0.1:${PORT:-8080} with everything a
# new user needs: the development PKI in keys/ (created by `signet serve` on first start),
# the database in data/, a development API key (created once, kept in data/dev-api-key,
# 0600, so later runs can print it), a sample merchant and a sample contract; then prints
# the URL, the key, the sample's signing link and a curl line that creates another contract.
# The service runs in the foreground until Ctrl-C (graceful shutdown).
set -euo pipefail
cd "$(dirname "$0")/.."

SIGNET="${SIGNET:-.build/debug/signet}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8080}"
BASE="http://$HOST:$PORT"
KEYFILE=data/dev-api-key

mkdir -p data
chmod 700 data
if [ ! -s "$KEYFILE" ]; then
    umask 077
    "$SIGNET" apikeys create --name development --data data 2>/dev/null | tail -n 1 > "$KEYFILE.tmp"
    mv "$KEYFILE.tmp" "$KEYFILE"
    chmod 600 "$KEYFILE"
    echo "run: created a development API key (stored in $KEYFILE, mode 0600)"
fi
KEY="$(cat "$KEYFILE")"

fifo="$(mktemp -u)"
mkfifo "$fifo"
"$SIGNET" serve --data data --keys keys --host "$HOST" --port "$PORT" > "$fifo" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$fifo"' EXIT
trap 'exit 130' INT TERM
read -r listening < "$fifo"
echo "$listening"
cat "$fifo" > /dev/null &

python3 - "$BASE" "$KEY" <<'PY'
import json, sys, urllib.request, urllib.error
base, key = sys.argv[1], sys.argv[2]

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        sys.exit(f"run: {method} {path} failed: {error.code} {error.read().decode()}")

sample = json.load(open("contract-templates/merchant-service-agreement/1.0.0/sample.json"))
found = call("GET", "/v1/merchants?external_id=sample-merchant")["data"]
if found:
    merchant = found[0]
else:
    merchant = call("POST", "/v1/merchants", {
        "external_id": "sample-merchant", "name": sample["merchant_name"],
        "registration": {"credit_code": sample["merchant_credit_code"]},
        "legal_representative": sample["merchant_legal_rep"],
        "contact": {"name": sample["merchant_contact"], "phone": sample["merchant_phone"], "email": sample["merchant_email"]}})
from_record = {"merchant_name", "merchant_credit_code", "merchant_legal_rep", "merchant_contact", "merchant_phone", "merchant_email"}
fields = {k: v for k, v in sample.items() if k not in from_record}
pending = call("GET", f"/v1/merchants/{merchant['id']}/contracts?state=sent&limit=1")["data"]
if pending:
    contract = pending[0]
    link = call("POST", f"/v1/contracts/{contract['id']}/signers/merchant/link", {})["url"]
else:
    contract = call("POST", "/v1/contracts", {"merchant_id": merchant["id"], "template_id": "merchant-service-agreement",
                                               "fields": fields})
    link = next(s["signing_url"] for s in contract["signers"] if s.get("signing_url"))
body = json.dumps({"merchant_id": merchant["id"], "template_id": "merchant-service-agreement", "fields": fields},
                  ensure_ascii=False)
print(f"""
Signet is running at {base}
  API key (development):  {key}
  sample merchant:        {merchant['id']} ({merchant['name']})
  sample contract:        {contract['id']} {contract['number']} ({contract['state']})
  its signing link:       {link}
                          (open it, ask for a code: the code is printed in the log below, "otp_code")
  operator console:       {base}/console   (sign in with the API key)
  the API:                {base}/openapi.json   (walk-through: docs/api.md)

Create another contract:
  curl -s -X POST {base}/v1/contracts -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' \\
       -d '{body}'

Stop with Ctrl-C.""")
PY
wait $server
