#!/usr/bin/env bash
# Assembles the fuzz harnesses' seed corpora into DIR/<harness>/ (never writing anywhere
# else; ../shared/corpus is read only). docs/fuzzing.md, "Seeds".
#
#   scripts/fuzz-seeds.sh DIR
#
#   pdf, verify  every PDF of Tests/Fixtures (the signed-PDF corpus, the producers' PDFs),
#                ../shared/corpus when it is there, and a PDF signed at run time with pyHanko
#                by a throwaway CA (its certificate in DIR/trust/, for $SIGNET_FUZZ_TRUST)
#   cms          selector byte + DER: the CMS SignedData of every signed PDF's /Contents, and
#                a certificate, CRL, OCSP response, time-stamp response and TSTInfo made here
#                with openssl from throwaway keys (nothing committed, nothing kept)
#   templates    each contract template's manifest, body, and manifest NUL body
#   json         Fuzz/seeds/json/N-*.json with N (the route's selector) as the first byte
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/fuzz-seeds.sh DIR}
mkdir -p "$out"/{pdf,verify,cms,templates,json,trust}
repo=$(pwd)
python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python

# PDFs: the repository's, then the shared corpus's (same files mostly: libFuzzer drops
# duplicates by content when it merges).
pdfs=$(find Tests/Fixtures -name '*.pdf'; [ -d ../shared/corpus ] && find ../shared/corpus -name '*.pdf' || true)
for f in $pdfs; do
    name=$(printf '%s' "$f" | sha256sum | cut -c1-16)
    cp "$f" "$out/pdf/$name.pdf"
    cp "$f" "$out/verify/$name.pdf"
done

# Throwaway PKI: a root CA, a signer, a TSA, a CRL, an OCSP response, a time-stamp reply.
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT
(
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj '/CN=Signet Fuzz Seed CA' \
        -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout signer.key -out signer.csr -subj '/CN=Fuzz Signer' 2>/dev/null
    printf 'keyUsage=critical,digitalSignature,nonRepudiation\ncrlDistributionPoints=URI:http://127.0.0.1:1/ca.crl\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:1/ocsp\n' > signer.ext
    openssl x509 -req -in signer.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3000 -extfile signer.ext -out signer.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout tsa.key -out tsa.csr -subj '/CN=Fuzz TSA' 2>/dev/null
    printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n' > tsa.ext
    openssl x509 -req -in tsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3000 -extfile tsa.ext -out tsa.pem 2>/dev/null
    mkdir -p db && : > db/index.txt && echo 01 > db/crlnumber
    cat > ca.cnf <<CNF
[ca]
default_ca = fuzz
[fuzz]
database = db/index.txt
crlnumber = db/crlnumber
default_md = sha256
default_crl_days = 30
certificate = ca.pem
private_key = ca.key
[tsa]
default_tsa = tsa_config
[tsa_config]
serial = db/tsaserial
signer_cert = tsa.pem
signer_key = tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1, millisecs:500
ess_cert_id_alg = sha256
CNF
    openssl ca -config ca.cnf -revoke signer.pem -crl_reason keyCompromise 2>/dev/null
    openssl ca -config ca.cnf -gencrl -out ca.crl.pem 2>/dev/null
    openssl crl -in ca.crl.pem -outform DER -out ca.crl
    openssl ocsp -issuer ca.pem -cert signer.pem -reqout ocsp.req -no_nonce 2>/dev/null
    openssl ocsp -index db/index.txt -rsigner ca.pem -rkey ca.key -CA ca.pem -reqin ocsp.req -respout ocsp.der 2>/dev/null
    echo 01 > db/tsaserial
    printf 'contract' > data.txt
    openssl ts -query -data data.txt -sha256 -cert -out ts.req 2>/dev/null
    openssl ts -reply -config ca.cnf -section tsa_config -queryfile ts.req -out ts.resp 2>/dev/null
    openssl ts -reply -in ts.resp -token_out -out ts.token 2>/dev/null
    openssl x509 -in signer.pem -outform DER -out signer.der
)
cp "$pki/ca.pem" "$out/trust/fuzz-seed-ca.pem"

# A PDF signed at run time (PAdES, pyHanko) by the throwaway signer.
if "$python" -c 'import pyhanko' 2>/dev/null; then
    "$python" Tests/Fixtures/pyhanko-sign.py Tests/Fixtures/pdf/cairo-pango.pdf "$pki/signed.pdf" --field Signature1 \
        --key "$pki/signer.key" --cert "$pki/signer.pem" --chain "$pki/ca.pem"
    cp "$pki/signed.pdf" "$out/pdf/runtime-signed.pdf"
    cp "$pki/signed.pdf" "$out/verify/runtime-signed.pdf"
fi

# CMS seeds: selector byte + DER (CMSParsersHarness.Parser order).
seed() { { printf "\\x$(printf '%02x' "$1")"; cat "$2"; } > "$out/cms/$3"; }
seed 2 "$pki/ts.resp" ts-response
seed 2 "$pki/ts.token" ts-token
seed 0 "$pki/ts.token" ts-token-as-signeddata
seed 3 "$pki/ocsp.der" ocsp-response
seed 4 "$pki/ca.crl" crl
seed 5 "$pki/signer.der" certificate
# The TSTInfo inside the token: the eContent OCTET STRING's value.
"$python" - "$pki/ts.token" "$out/cms" "$out/pdf" <<'PY'
import os, re, sys, hashlib
token, cms_dir, pdf_dir = sys.argv[1:4]

def header(b, i):
    tag = b[i]; i += 1
    n = b[i]; i += 1
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[i:i+k], 'big'); i += k
    return tag, i, n

def find_tstinfo(b):
    # ContentInfo > [0] > SignedData > encapContentInfo > [0] > OCTET STRING
    _, i, _ = header(b, 0)            # ContentInfo SEQUENCE
    _, i, n = header(b, i); i += n    # contentType OID
    _, i, _ = header(b, i)            # [0]
    _, i, _ = header(b, i)            # SignedData SEQUENCE
    _, i, n = header(b, i); i += n    # version
    _, i, n = header(b, i); i += n    # digestAlgorithms
    _, i, _ = header(b, i)            # encapContentInfo
    _, i, n = header(b, i); i += n    # eContentType
    _, i, _ = header(b, i)            # [0]
    _, i, n = header(b, i)            # OCTET STRING
    return b[i:i+n]

data = open(token, 'rb').read()
open(os.path.join(cms_dir, 'tstinfo'), 'wb').write(b'\x01' + find_tstinfo(data))

# Each signed PDF's /Contents (CMS SignedData), zero padding stripped.
for name in sorted(os.listdir(pdf_dir)):
    pdf = open(os.path.join(pdf_dir, name), 'rb').read()
    for m in re.finditer(rb'/Contents\s*<([0-9A-Fa-f\s]{200,})>', pdf):
        digits = re.sub(rb'\s', b'', m.group(1))
        if len(digits) % 2:
            digits += b'0'   # an odd count: PDF pads with a final 0
        der = bytes.fromhex(digits.decode()).rstrip(b'\0')
        h = hashlib.sha256(der).hexdigest()[:16]
        open(os.path.join(cms_dir, 'signeddata-' + h), 'wb').write(b'\x00' + der)
PY

# Templates: manifest, body, manifest NUL body (TemplateParsersHarness).
for dir in contract-templates/*/*/; do
    name=$(basename "$(dirname "$dir")")-$(basename "$dir")
    body=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["body"])' "$dir/manifest.json")
    cp "$dir/manifest.json" "$out/templates/$name-manifest"
    cp "$dir/$body" "$out/templates/$name-body"
    { cat "$dir/manifest.json"; printf '\0'; cat "$dir/$body"; } > "$out/templates/$name-both"
done

# JSON request bodies: the selector from the file name's leading number.
for f in Fuzz/seeds/json/*.json; do
    n=${f##*/}; n=${n%%-*}
    { printf "\\x$(printf '%02x' "$n")"; cat "$f"; } > "$out/json/$(basename "$f" .json)"
done

for h in pdf verify cms templates json; do
    echo "fuzz-seeds: $h: $(ls "$out/$h" | wc -l) seeds"
done
