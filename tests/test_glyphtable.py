"""A brief's text boxes made all at once from arrays are the boxes made run by run.

`briefs.render.glyphtable` boxes a brief's runs with numpy for speed (issue 15); the run by
run way (`run_boxes`) is the rule, held to pdfium's boxes in tests/test_textboxes.py. Here
the two must agree to the last bit on every kind of text the renderer draws, and the arrays
must step aside where they cannot promise that.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_textboxes import _dejavu, draw_turned

from briefs.render import glyphtable
from briefs.render.glyphtable import GlyphTable, array_boxes
from briefs.render.textboxes import DrawnText, TextBox, run_boxes, text_boxes

A4 = (595.28, 841.89)
GREEK = "Η Διεθνής Οργάνωση Εργασίας"
MISSING = "\u0870\u0871"  # in the table's span, not in DejaVu Sans: drawn as .notdef
OGHAM = "\u1680 __ \u1680"  # a blank (str.isspace) with an outline, above the rest


def _canvas() -> Any:
    from briefs.render.tagging import Archive, TaggingCanvas, new_document

    return TaggingCanvas(io.BytesIO(), pagesize=A4, invariant=1, document=new_document(),
                         archive=Archive("en", pdfa=False))


def _every_kind_of_text(extra: str = "") -> list[DrawnText]:
    """Text objects of every kind: a justified paragraph with bold and raised words (word
    spacing, runs that follow runs), character spacing, blanks before, after and only,
    characters without outlines, a blank with one, letters the font lacks, a turned label."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    family = _dejavu()
    canvas = _canvas()
    style = ParagraphStyle("body", fontName=family.regular, fontSize=9, leading=12,
                           alignment=4)
    paragraph = Paragraph("Partners <b>fund decent work</b> in every region<super>2</super>, "
                          f"{GREEK}, and the funds are <i>counted</i> in each brief from the "
                          "rows of the table, never typed. " * 3 + extra, style)
    paragraph.wrapOn(canvas, 200, 400)
    paragraph.drawOn(canvas, 60, 600)
    text = canvas.beginText(300, 500)
    text.setFont(family.bold, 11)
    text.setCharSpace(0.7)
    text.setWordSpace(1.3)
    for line in ("  spaced out  ", "   ", "a\u200bb", "\u200b", OGHAM, MISSING + " x"):
        text.textLine(line)
    text.setFont(family.italic, 10)  # an int size
    text.textOut("  follows ")
    text.textOut("and follows")
    canvas.drawText(text)
    canvas.setFont(family.regular, 10.5)
    draw_turned(canvas, " A turned label ")
    canvas.drawCentredString(100.25, 240, "crossing it")
    canvas.drawString(300, 100, "  the last run, after blanks")
    return canvas.drawn


def _same(drawn: list[DrawnText]) -> list[TextBox]:
    """The boxes from arrays, checked against the boxes made run by run."""
    found = array_boxes(drawn)
    assert found is not None, "the arrays stepped aside"
    expected = run_boxes(drawn)
    assert [tuple(box) for box in found] == [tuple(box) for box in expected]
    return found


def test_boxes_from_arrays_are_the_boxes_run_by_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a table just made and with one that has served other text first."""
    monkeypatch.setattr(glyphtable, "_TABLE", GlyphTable())
    boxes = _same(_every_kind_of_text())
    texts = [box.text for box in boxes]
    assert {"spaced out", "a\u200bb", OGHAM.strip(), "A turned label"} <= set(texts)
    assert "\u200b" not in texts  # a box needs a glyph with an outline
    assert glyphtable._TABLE.inked_blanks > 0  # the Ogham mark took the careful way
    _same(_every_kind_of_text("Ünïcödé ½ € → ≈ ≤"))


def test_the_sample_briefs_are_boxed_from_arrays(project: Path) -> None:
    """Every brief of the sample in both layouts: the chart's labels, headers, the side box."""
    from briefs.build.batch import plan_builds
    from briefs.layout.loader import load_layout
    from briefs.render.document import _render_once

    for job in plan_builds(project, skip_current=False).jobs:
        for name in ("factsheet", "profile"):
            layout = load_layout(name, project)
            _, doc = _render_once(job.brief, layout, layout.styles["body"].leading)
            assert len(_same(doc.canv.drawn)) > 50


def _stepped_aside(drawn: list[DrawnText]) -> None:
    assert array_boxes(drawn) is None
    assert text_boxes(drawn) == run_boxes(drawn)


def test_text_the_arrays_cannot_promise_is_boxed_run_by_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A character past the table (Chinese), a position in single precision, and a font whose
    advances do not add up exactly are boxed one run at a time, as before."""
    _stepped_aside(_every_kind_of_text("中文"))
    drawn = _every_kind_of_text()
    first = drawn[0]
    single = first.runs[0]._replace(y=np.float32(first.runs[0].y))
    _stepped_aside([DrawnText(first.page, first.matrix, (single, *first.runs[1:])),
                    *drawn[1:]])
    canvas = _canvas()
    canvas.setFont(_uneven_font(monkeypatch), 10)
    canvas.drawString(50, 50, "quite even")
    monkeypatch.setattr(glyphtable, "_TABLE", GlyphTable())
    _stepped_aside(canvas.drawn)


def _uneven_font(monkeypatch: pytest.MonkeyPatch) -> str:
    """A DejaVu Sans of its own whose 'q' is 600.1 thousandths wide: not a whole number of
    1/65,536ths, so widths with it do not add up exactly in every order."""
    from matplotlib import get_data_path
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = "DejaVuUnevenForTest"
    font = TTFont(name, f"{get_data_path()}/fonts/ttf/DejaVuSans.ttf")
    font.face.charWidths[ord("q")] = 600.1
    monkeypatch.setitem(pdfmetrics._fonts, name, font)  # as briefs.render.fonts does
    return name
