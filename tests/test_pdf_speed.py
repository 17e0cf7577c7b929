"""Writing the PDF file by briefs' shorter paths gives ReportLab's bytes.

`briefs.render.tagging.pdffile` formats the commonest values itself and writes the file in
one pass; each check here sets it beside the ReportLab code it stands in for: value by value,
and on a whole brief (two subsets of a face, a link, the outline, the archival parts).
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from test_text_speed import _stress_brief


def _values() -> list[Any]:
    """Values of every kind ReportLab's format meets, the awkward ones too."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFArrayCompact,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFString,
    )

    class Text(str):
        pass

    forced = PDFDictionary({"B": 1, "A": PDFName("Name With Space")})
    forced.multiline = "forced"
    ordered = PDFDictionary()
    ordered.dict = OrderedDict([("Z", 1), ("A", 2)])
    stream = PDFStream(content=b"q Q")
    many = PDFDictionary({f"K{i}": i * 1.5 for i in range(14)})
    return [
        "/Type", "/Fl#20ate", "true", "é ü ß", Text("/Sub"), 0, -3, 12.5, 600.0977, 1e-7,
        True, b"raw \x00 bytes", PDFName("Type"), PDFString("Name (with) é"),
        PDFArray(list(range(23))), PDFArrayCompact([1, 2.25, "/N"]),
        PDFArray([PDFArray([1, 2]), PDFDictionary({"A": "/B"})]),
        many, forced, ordered, PDFDictionary({"S": stream, "Kids": PDFArray([stream])}),
    ]


def test_each_value_is_formatted_as_reportlab_formats_it() -> None:
    """Value by value, the short paths write ReportLab's bytes: names, texts in and out of
    ASCII, numbers, booleans, bytes, references, arrays and dictionaries of every length
    (their line breaks), ordered and forced-multiline dictionaries, streams met inside a
    dictionary (written as references to objects of their own)."""
    from reportlab.pdfbase import pdfdoc

    from briefs.render.tagging import pdffile

    theirs, mine = pdfdoc.PDFDocument(invariant=1), pdfdoc.PDFDocument(invariant=1)
    expected = [pdfdoc.format(value, theirs) for value in _values()]
    values = _values()
    with pdffile.formatting():
        found = [pdfdoc.format(value, mine) for value in values]
        again = [pdfdoc.format(value, mine) for value in values]  # from what was kept
    assert found == expected
    assert again == expected
    assert mine.idToObjectNumberAndVersion == theirs.idToObjectNumberAndVersion
    assert b"/Fl#2320ate" not in b"".join(found)  # a name is escaped once, where ReportLab does


def test_reportlab_has_its_own_formatting_again_after_a_file() -> None:
    """The short paths stand in for the time a file is written, ReportLab's after, also when
    writing fails."""
    from reportlab.pdfbase import pdfdoc

    from briefs.render.tagging import pdffile

    own = (pdfdoc.format, pdfdoc.PDFDictionary.format, pdfdoc.PDFArray.format)
    with pytest.raises(RuntimeError), pdffile.formatting():
        assert pdfdoc.format is not own[0]
        raise RuntimeError("writing failed")
    assert (pdfdoc.format, pdfdoc.PDFDictionary.format, pdfdoc.PDFArray.format) == own


def test_texts_kept_are_short_and_start_again_past_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text's bytes are kept only when short (a long one is a stream's or a title's, seen
    once), and the kept ones start again past KEPT, so a worker's memory stays flat."""
    from briefs.render.tagging import pdffile

    monkeypatch.setattr(pdffile, "_encoded", {})
    monkeypatch.setattr(pdffile, "KEPT", 3)
    long = "x" * (pdffile.SHORT + 1)
    assert pdffile._text(long) == long.encode("ascii")
    assert long not in pdffile._encoded
    for text in ("/A", "/B", "/C", "/D"):
        assert pdffile._text(text) == text.encode("ascii")
    assert list(pdffile._encoded) == ["/D"]


def test_a_document_reportlab_must_write_is_left_to_it() -> None:
    """Encrypted documents, and comments in the file, are written by ReportLab's own code."""
    from reportlab import rl_config
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfdoc

    from briefs.render.tagging import pdffile

    doc = pdfdoc.PDFDocument(invariant=1)
    assert pdffile.plain(doc)
    doc.encrypt = StandardEncryption("secret")
    assert not pdffile.plain(doc)
    doc = pdfdoc.PDFDocument(invariant=0)
    invariant, comments = rl_config.invariant, rl_config.pdfComments
    try:
        rl_config.invariant, rl_config.pdfComments = 0, 1
        assert not pdffile.plain(doc)
    finally:
        rl_config.invariant, rl_config.pdfComments = invariant, comments


def test_a_brief_written_in_one_pass_is_reportlabs_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole brief (two subsets of a face, a link, bookmarks, PDF/A): the file written by
    the short paths, its fonts' subsets made from kept parts, is the file ReportLab writes
    (and `finish_file` ends its streams in) with ReportLab's subsets."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefs.render import subsets
    from briefs.render.document import render_pdf
    from briefs.render.tagging import pdffile

    brief, layout = _stress_brief(tmp_path)
    taken: list[bool] = []
    plain, program = pdffile.plain, subsets.subset_program

    def spied(document: Any) -> bool:
        taken.append(plain(document))
        return taken[-1]

    def made(face: Any, subset: list[int]) -> bytes:
        taken.append(True)
        return program(face, subset)

    monkeypatch.setattr(pdffile, "plain", spied)
    monkeypatch.setattr(subsets, "subset_program", made)
    fast = render_pdf(brief, layout).pdf
    assert len(taken) >= 5 and all(taken)  # the file, and each face's subsets
    assert b"/F2+1 " in fast and b"/URI" in fast and b"/Outlines" in fast
    monkeypatch.setattr(pdffile, "plain", lambda document: False)
    monkeypatch.setattr(subsets, "subset_program", TTFontFile.makeSubset)
    assert render_pdf(brief, layout).pdf == fast


def _face(name: str) -> Any:
    """A face of its own (never the one registered for briefs), read from matplotlib's."""
    from matplotlib import get_data_path
    from reportlab.pdfbase.ttfonts import TTFontFace

    return TTFontFace(f"{get_data_path()}/fonts/ttf/{name}.ttf")


def _subsets(face: Any) -> list[list[int]]:
    """Subsets as briefs makes them (codes 0-127, those of ASCII not drawn at 0, then the
    other characters drawn), with composite glyphs (é, ü, ĳ), and one of every character
    of the face, whose glyf table needs long offsets."""
    def drawn(text: str) -> list[int]:
        ascii = [c if chr(c) in text else 0 for c in range(128)]
        return ascii + [ord(c) for c in dict.fromkeys(text) if ord(c) >= 128]

    return [drawn("Decent work: 12.5 %"), drawn("Éducation, été, ĳ, ü – “ñ”"),
            drawn("Ωμέγα → ∞ ½"), sorted(face.charToGlyph)]


def test_a_subset_made_from_kept_parts_is_reportlabs() -> None:
    """Subsets of two faces in turn, each made twice (the second time from parts kept):
    every program is ReportLab's makeSubset's, composites renumbered, both loca formats."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefs.render import subsets

    faces = [_face("DejaVuSans"), _face("DejaVuSans-Bold")]
    for _ in range(2):
        for subset in _subsets(faces[0]):
            for face in faces:
                assert subsets.subset_program(face, subset) == \
                    TTFontFile.makeSubset(face, subset)
    kept = subsets._parts[faces[0]].glyphs
    assert any(glyph is not None and glyph.places for glyph in kept.values())  # composites
    assert len(kept) > 4000  # the whole face was asked for once: loca's long format


def test_the_parts_kept_of_a_face_go_with_the_face() -> None:
    """The parts are kept in a weak dictionary keyed by the face: they hold nothing that
    keeps the face alive, so a face no longer used takes its parts with it."""
    import gc

    from briefs.render import subsets

    face = _face("DejaVuSans")
    subsets.subset_program(face, [ord(c) for c in "cafe"])
    assert face in subsets._parts
    kept = len(subsets._parts)
    del face
    gc.collect()
    assert len(subsets._parts) == kept - 1


def test_a_glyph_read_past_its_end_is_left_to_reportlab() -> None:
    """A composite glyph whose components run past its end (a damaged font): the subset is
    ReportLab's to make, and fails as ReportLab's fails."""
    import struct

    from reportlab.pdfbase.ttfonts import TTFontFile

    from briefs.render import subsets

    face = _face("DejaVuSans")
    glyph = face.charToGlyph[ord("é")]
    face.glyphPos[glyph + 1] = face.glyphPos[glyph] + 12  # its first component cut
    subset = [ord(c) for c in "café"]
    assert subsets._parts.get(face) is None
    with pytest.raises(struct.error):
        TTFontFile.makeSubset(face, subset)
    with pytest.raises(struct.error):
        subsets.subset_program(face, subset)
    assert subsets._parts[face].glyph(glyph) is None
    assert subsets.subset_program(face, [ord(c) for c in "cafe"]) == \
        TTFontFile.makeSubset(face, [ord(c) for c in "cafe"])


_DRAW = """
import hashlib, sys
from pathlib import Path
from briefs.build.batch import plan_builds
from briefs.contract.project import complete_brief
from briefs.render.document import render_pdf
jobs = {j.key: j for j in plan_builds(Path(sys.argv[1]), skip_current=False).jobs}
for key in sys.argv[2:]:
    job = jobs[key]
    brief = job.brief if job.brief.profile.parsed else complete_brief(job.brief)[0]
    print(key, hashlib.sha256(render_pdf(brief, job.layout).pdf).hexdigest())
"""


def _drawn(folder: Path, *keys: str) -> list[str]:
    """The briefs `keys` drawn one after the other in one fresh process: their digests."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", _DRAW, str(folder), *keys], env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.split()[1::2]


def test_what_is_kept_across_briefs_changes_no_brief(tmp_path: Path) -> None:
    """What a process keeps from brief to brief (each face's glyphs and tables, names
    encoded, the compressed colour profile) changes no brief: a brief of Greek, Cyrillic
    and symbols and a French one, drawn in one process in either order, are the bytes each
    is drawn alone."""
    _stress_brief(tmp_path)
    stress, french = "2017/KOR.pdf", "2023/KOR.fr.pdf"
    alone = _drawn(tmp_path, stress) + _drawn(tmp_path, french)
    assert _drawn(tmp_path, stress, french) == alone
    assert _drawn(tmp_path, french, stress) == alone[::-1]
