"""schemathesis hooks for scripts/schemathesis.sh: how to make `application/pdf` bodies.

schemathesis has no serializer for binary media types of its own. The PDF routes
(`POST /v1/verify`, `POST /v1/merchants/{id}/documents`) get small bodies, at most 4 KiB,
of three kinds: arbitrary bytes (→ 422 `not_a_pdf`), bytes behind a `%PDF-` header (a
damaged PDF: a verify report, or 422 `damaged_pdf`), and a minimal well-formed
one-page PDF without signatures (a `noSignature` report, or a sealed paper document).
"""
import schemathesis
from hypothesis import strategies as st


def minimal_pdf(text: bytes) -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


pdf_bodies = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=4096).map(lambda tail: b"%PDF-1.7\n" + tail),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=40).map(lambda t: minimal_pdf(t.encode())),
)
schemathesis.openapi.media_type("application/pdf", pdf_bodies)
