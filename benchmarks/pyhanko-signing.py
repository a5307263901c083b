#!/usr/bin/env python3
"""pyHanko's side of benchmarks/sign-vs-pyhanko.sh: sign one PDF repeatedly, in process.

Same inputs as `signet-bench pades-signing`: the platform seal key and certificate of a
Signet key directory (made with --key-algorithm rsa: DummyTimeStamper is RSA-only), an in-process RFC 3161 TSA with the directory's TSA
certificate and key (pyHanko's DummyTimeStamper), and for B-LT/B-LTA the directory's two
CRLs as the only revocation data (no network). Prints one line in the same format.
"""
import argparse
import io
import os
import sys
import time

from asn1crypto import pem
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext

parser = argparse.ArgumentParser()
parser.add_argument("--keys", required=True)
parser.add_argument("--pdf", required=True)
parser.add_argument("--level", choices=["B-T", "B-LTA"], required=True)
parser.add_argument("--seconds", type=float, default=3)
args = parser.parse_args()
k = lambda name: os.path.join(args.keys, name)

signer = signers.SimpleSigner.load(k("seal.key.pem"), k("seal.cert.pem"), ca_chain_files=(k("issuing-ca.cert.pem"), k("root-ca.cert.pem")))
root = load_cert_from_pemder(k("root-ca.cert.pem"))
chain = list(load_certs_from_pemder([k("issuing-ca.cert.pem"), k("root-ca.cert.pem")]))
timestamper = DummyTimeStamper(tsa_cert=load_cert_from_pemder(k("tsa.cert.pem")),
                               tsa_key=load_private_key_from_pemder(k("tsa.key.pem"), passphrase=None),
                               certs_to_embed=chain)
crls = []
for name in ("root-ca.crl", "issuing-ca.crl"):
    with open(k(name), "rb") as f:
        data = f.read()
    crls.append(pem.unarmor(data)[2] if pem.detect(data) else data)

lta = args.level == "B-LTA"
meta = signers.PdfSignatureMetadata(
    field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES,
    embed_validation_info=lta, use_pades_lta=lta,
    validation_context=ValidationContext(trust_roots=[root], other_certs=chain, crls=crls, allow_fetching=False) if lta else None)
pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
with open(args.pdf, "rb") as f:
    document = f.read()

count, size = 0, 0
start = time.perf_counter()
while time.perf_counter() - start < args.seconds:
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(document)))
    size = len(out.getvalue())
    count += 1
elapsed = time.perf_counter() - start
print(f"pyhanko {args.level}: {count} signatures in {elapsed:.2f} s = {count / elapsed:.2f}/s ({elapsed * 1000 / count:.2f} ms each, {size} bytes)")
