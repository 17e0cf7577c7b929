"""The PDF's streams compressed by libdeflate rather than zlib: same format, less time.

Every content stream, font file and font map of a brief is compressed with FlateDecode:
about 80 KB a brief, 1.5 ms of zlib at ReportLab's level (6). libdeflate writes the same
zlib format (every reader decodes it as before) in about 0.8 ms, and a little smaller
(38.2 KB against 38.4 for 20 benchmark briefs). ReportLab looks its one Flate filter up as
`pdfdoc.PDFZCompress` whenever it writes a stream; `deflating` puts this one there for the
time a brief is drawn and gives ReportLab its own back after, so a program that uses
ReportLab beside briefs gets ReportLab's bytes.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator

import deflate

LEVEL = 6  # zlib's default, ReportLab's: libdeflate's 6 is both faster and smaller


class Deflate:
    """ReportLab's Flate filter, written by libdeflate."""

    pdfname = "FlateDecode"

    def encode(self, text: str | bytes) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        return bytes(deflate.zlib_compress(data, LEVEL))  # a bytearray: ReportLab wants bytes

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


FLATE = Deflate()


@contextlib.contextmanager
def deflating() -> Iterator[None]:
    """ReportLab's streams compressed by `FLATE` for the block, by its own filter after."""
    from reportlab.pdfbase import pdfdoc

    own = pdfdoc.PDFZCompress
    pdfdoc.PDFZCompress = FLATE
    try:
        yield
    finally:
        pdfdoc.PDFZCompress = own
