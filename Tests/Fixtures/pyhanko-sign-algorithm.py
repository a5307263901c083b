#!/usr/bin/env python3
"""Signs a PDF with pyHanko, for tests of other signature algorithms than Signet's own.

    pyhanko-sign-algorithm.py IN.pdf OUT.pdf KEY.pem CERT.pem CHAIN.pem DIGEST [pss]

DIGEST is a pyHanko digest name (sha256, sha3_256, sha512, shake256, ...); "pss" makes an
RSA key sign with RSASSA-PSS (pyHanko's parameters: MGF1 with the same digest, salt as
long as the digest). The signature is PAdES (ETSI.CAdES.detached), no timestamp, in one
incremental update: the only revision after IN.pdf is the signature's own.
"""
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
from pyhanko_certvalidator.registry import SimpleCertificateStore

source, target, key_file, cert_file, chain_file, digest = sys.argv[1:7]
pss = len(sys.argv) > 7 and sys.argv[7] == "pss"

signer = signers.SimpleSigner(
    signing_cert=load_cert_from_pemder(cert_file),
    signing_key=load_private_key_from_pemder(key_file, passphrase=None),
    cert_registry=SimpleCertificateStore.from_certs(list(load_certs_from_pemder([chain_file]))),
    prefer_pss=pss,
)
metadata = signers.PdfSignatureMetadata(
    field_name="Signature1", md_algorithm=digest, subfilter=fields.SigSeedSubFilter.PADES,
)
with open(source, "rb") as infile, open(target, "wb") as outfile:
    writer = IncrementalPdfFileWriter(infile)
    signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, output=outfile)
