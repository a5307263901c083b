#!/usr/bin/env python3
"""Signs a signature field of a PDF with pyHanko, for Signet's modification-analysis tests.

usage: pyhanko-sign.py IN OUT --field NAME (--key KEY --cert CERT [--chain CA]... | --ed25519)
                       [--rewrite N]...

The signature is a PAdES one (ETSI.CAdES.detached) in a new incremental update, written
the way pyHanko writes it: a new invisible field if NAME does not exist, the existing field
filled otherwise, and the catalog bookkeeping pyHanko adds for the signature's algorithm
(/Version 2.0 and the ISO 32002 extension for ECDSA on a named curve and for EdDSA).

--rewrite N gives object N, a stream, new content in that same update, keeping its
dictionary: an appearance stream overridden "in place", the way a form-filling update can
try to change signed content.

--ed25519 signs with a throwaway self-signed Ed25519 certificate instead of KEY and CERT.
Nothing is printed but errors.
"""

import argparse
import datetime
import os
import tempfile

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

REWRITTEN_CONTENT = b"q 1 0 0 rg 0 0 100 20 re f Q BT /Helv 10 Tf 2 5 Td (Pay 1,000,000) Tj ET"


def ed25519_signer(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Signet Test Ed25519 Signer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, None)
    )
    key_file = os.path.join(directory, "ed25519.key")
    cert_file = os.path.join(directory, "ed25519.pem")
    with open(key_file, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    with open(cert_file, "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(key_file, cert_file)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--field", required=True)
    parser.add_argument("--key")
    parser.add_argument("--cert")
    parser.add_argument("--chain", action="append", default=[])
    parser.add_argument("--ed25519", action="store_true")
    parser.add_argument("--rewrite", type=int, action="append", default=[])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        if args.ed25519:
            signer = ed25519_signer(directory)
        else:
            signer = signers.SimpleSigner.load(args.key, args.cert, ca_chain_files=args.chain)
        with open(args.input, "rb") as source:
            writer = IncrementalPdfFileWriter(source)
            for number in args.rewrite:
                old = generic.Reference(number, 0, writer.prev).get_object()
                kept = {key: value for key, value in old.items() if key not in ("/Length", "/Filter", "/DecodeParms")}
                writer.objects[(0, number)] = generic.StreamObject(kept, stream_data=REWRITTEN_CONTENT)
            meta = signers.PdfSignatureMetadata(field_name=args.field, subfilter=fields.SigSeedSubFilter.PADES)
            with open(args.output, "wb") as out:
                signers.sign_pdf(writer, meta, signer, output=out)


if __name__ == "__main__":
    main()
