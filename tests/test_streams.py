"""A brief's streams are compressed by libdeflate (briefs.render.streams), only while briefs
draws: the same format, read by every reader, in about half zlib's time."""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf
import pytest


def test_a_briefs_streams_are_libdeflates_and_read_as_before(built: Path) -> None:
    """Each compressed stream of a built brief is what libdeflate makes of its content (the
    colour profile of PDF/A aside: compressed once by zlib at level 9), and decodes."""
    import deflate

    from briefs.render.streams import LEVEL

    with pikepdf.open(built / "output" / "2023" / "KOR.pdf") as pdf:
        flate = (pikepdf.Name.FlateDecode, pikepdf.Array([pikepdf.Name.FlateDecode]))
        streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                   and o.get("/Filter") in flate]
        ours = others = 0
        for stream in streams:
            raw = stream.read_raw_bytes()
            content = zlib.decompress(raw)
            if raw == bytes(deflate.zlib_compress(content, LEVEL)):
                ours += 1
            else:
                assert raw == zlib.compress(content, 9)
                others += 1
    assert ours >= 5 and others == 1  # pages, fonts, their maps; the colour profile


def test_reportlab_has_its_own_filter_again_after_a_brief(project: Path) -> None:
    """The filter is briefs' for the time a brief is drawn, ReportLab's after, also when
    drawing fails."""
    from reportlab.pdfbase import pdfdoc

    from briefs.render.streams import FLATE, deflating

    own = pdfdoc.PDFZCompress
    with deflating():
        assert pdfdoc.PDFZCompress is FLATE
    assert pdfdoc.PDFZCompress is own
    with pytest.raises(RuntimeError), deflating():
        raise RuntimeError("drawing failed")
    assert pdfdoc.PDFZCompress is own
    assert own.encode(b"x" * 100) == zlib.compress(b"x" * 100)  # still zlib's, by ReportLab
