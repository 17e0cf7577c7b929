"""The page inspection's text boxes, noted while drawing, are the boxes a PDF viewer reads.

The inspection once read each finished PDF back with pdfium to find its text; it now uses
boxes the canvas noted as it drew. pdfium stays here as the judge: on a page drawn to break
the rules and on the sample's real briefs, the noted boxes must be pdfium's, and find what
pdfium's find.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from briefs.render.fonts import Family
from briefs.render.inspect import inspect_pages
from briefs.render.textboxes import TextBox, text_boxes

A4 = (595.28, 841.89)


def _pdfium_boxes(pdf: bytes) -> list[tuple[TextBox, str]]:
    """pdfium's text rectangles as the inspection used to read them, each with its text as
    pdfium read it: pdfium counts a space before or after the glyphs of a large type into
    its box, and the noted boxes do not (a space prints nothing)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    boxes = []
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            for i in range(textpage.count_rects()):
                rect = textpage.get_rect(i)
                text = str(textpage.get_text_bounded(*rect)).rstrip("\r\n")
                if text.strip():
                    boxes.append((TextBox(index + 1, *rect, text.strip()), text))
    finally:
        document.close()
    return boxes


def _nearest(box: TextBox, others: list[TextBox]) -> TextBox | None:
    """The box of `others` on `box`'s page that shares the most area with it."""
    def shared(other: TextBox) -> float:
        return max(0.0, min(box.right, other.right) - max(box.left, other.left)) * \
            max(0.0, min(box.top, other.top) - max(box.bottom, other.bottom))

    best = max((o for o in others if o.page == box.page), key=shared, default=None)
    return best if best is not None and shared(best) > 0 else None


def _differs(noted: TextBox | None, seen: TextBox | None, text: str) -> bool:
    """Whether a noted box is not pdfium's: glyph boxes alike within a tenth of a point
    up and down, half a point and a little more along a long line across (pdfium advances by
    the PDF's widths, rounded to a thousandth of the type size); pdfium's box may reach a
    space further on a side where its `text` has one."""
    if noted is None or seen is None:
        return True
    space = noted.top - noted.bottom  # more than a space and a glyph's side bearing
    before = space if text.startswith(" ") else 0.0
    after = space if text.endswith(" ") else 0.0
    across = 0.6 + 0.002 * (noted.right - noted.left)
    return abs(noted.bottom - seen.bottom) > 0.1 or abs(noted.top - seen.top) > 0.1 or \
        not -across <= noted.left - seen.left <= across + before or \
        not -across <= seen.right - noted.right <= across + after


def _both_ways(pdf: bytes, noted: list[TextBox]) -> list[str]:
    """Each of pdfium's boxes is a noted box, and each noted box one of pdfium's."""
    seen = _pdfium_boxes(pdf)
    texts = dict(seen)
    wrong = [f"pdfium's {box} is not {mine}" for box, text in seen
             if _differs(mine := _nearest(box, noted), box, text)]
    wrong += [f"noted {box} is not pdfium's {theirs}" for box in noted
              if _differs(box, theirs := _nearest(box, list(texts)), texts.get(theirs, ""))]
    return wrong


def _drawn_page() -> tuple[bytes, list[TextBox]]:
    """A page of a real tagging canvas with text of every kind the renderer draws: a
    justified paragraph with bold words, a string run off the page, two strings printed
    over each other, a label turned as a chart's axis label is, and one over it."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefs.render.tagging import Archive, TaggingCanvas, new_document

    family = _dejavu()
    buffer = io.BytesIO()
    canvas = TaggingCanvas(buffer, pagesize=A4, invariant=1, document=new_document(),
                           archive=Archive("en", pdfa=False))
    style = ParagraphStyle("body", fontName=family.regular, fontSize=9, leading=12,
                           alignment=4)
    paragraph = Paragraph("Partners <b>fund decent work</b> in every region, and the "
                          "funds are counted in each brief from the rows of the table, "
                          "never typed. " * 3, style)
    paragraph.wrapOn(canvas, 200, 400)
    paragraph.drawOn(canvas, 60, 600)
    canvas.setFont(family.bold, 14)
    canvas.drawString(480, 700, "This heading runs off the page")
    canvas.setFont(family.regular, 10)
    canvas.drawString(300, 400, "Words printed here")
    canvas.drawString(310, 404, "and printed over")
    draw_turned(canvas, "A turned label")
    canvas.drawCentredString(100, 240, "crossing it")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), text_boxes(canvas.drawn)


def draw_turned(canvas: Any, text: str) -> None:
    """`text` turned as a chart's axis label is, upwards from (100, 200)."""
    canvas.saveState()
    canvas.translate(100, 200)
    canvas.rotate(90)
    canvas.drawString(0, 0, text)
    canvas.restoreState()


def test_noted_boxes_find_what_pdfium_found_on_a_page_that_breaks_the_rules() -> None:
    pdf, noted = _drawn_page()
    assert _both_ways(pdf, noted) == []
    found = [f.message.split(" — ")[0] for f in inspect_pages([], {}, {}, noted, A4)]
    assert found == ["'This heading runs off the page' runs off the page",
                     "'crossing it' overprints 'A turned label'",
                     "'and printed over' overprints 'Words printed here'"]
    by_pdfium = inspect_pages([], {}, {}, [box for box, _ in _pdfium_boxes(pdf)], A4)
    assert [(f.page, f.kind) for f in by_pdfium] == [(1, "off-page"), (1, "overlap"),
                                                      (1, "overlap")]


def test_noted_boxes_are_pdfiums_on_every_sample_brief(project: Path) -> None:
    """Every brief of the sample in both layouts: title band, columns, side box, chart
    labels, running headers, footers and page numbers."""
    from briefs.build.batch import plan_builds
    from briefs.layout.loader import load_layout
    from briefs.render.document import _render_once

    jobs = plan_builds(project, skip_current=False).jobs
    assert len(jobs) >= 4  # editions and languages
    for job in jobs:
        for name in ("factsheet", "profile"):
            layout = load_layout(name, project)
            pdf, doc = _render_once(job.brief, layout, layout.styles["body"].leading)
            noted = text_boxes(doc.canv.drawn)
            assert len(noted) > 50
            assert _both_ways(pdf, noted) == [], (job.brief.edition, job.brief.language, name)


def _dejavu() -> Family:
    from matplotlib import get_data_path

    from briefs.layout.model import FontFamily
    from briefs.render.fonts import register_families

    fonts = f"{get_data_path()}/fonts/ttf/DejaVuSans"
    return register_families({"sans": FontFamily(
        "sans", f"{fonts}.ttf", f"{fonts}-Bold.ttf", f"{fonts}-Oblique.ttf",
        f"{fonts}-BoldOblique.ttf")})["sans"]


@pytest.mark.parametrize("size", [7.0, 7.5, 8.5])
def test_a_yearly_chart_keeps_its_text_inside_it(size: float) -> None:
    """In a narrow column the legend's labels wrap on two lines; the chart gives them the
    room matplotlib lays them out in, so no label runs out under the chart onto the text
    below (the legend of a brief of 200 once overprinted the funding list). The value
    labels get the room of the widest of them ('2.5' ran out to the left beside a '6')."""
    from briefs.contract.model import Channel, ChannelAmount, Funding
    from briefs.render.charts import ChartStyle, chart_drawing
    from briefs.render.tagging import Archive, TaggingCanvas, new_document

    family = _dejavu()
    labels = ("Assessed contributions", "Voluntary core contributions",
              "Voluntary earmarked contributions")
    codes = ("assessed", "voluntary_core", "voluntary_earmarked")
    yearly = tuple((year, code, 1e6 * (index + 1)) for year in range(2019, 2024)
                   for index, code in enumerate(codes))
    amounts = tuple(ChannelAmount(Channel(code, label), 5e6, "")
                    for code, label in zip(codes, labels, strict=True))
    funding = Funding((2019, 2023), amounts, yearly)
    outside = []
    for width in (120.0, 140.0, 156.8, 200.0, 260.0, 334.5):
        style = ChartStyle(width=width, height=100, font_size=size, font_name=family.regular,
                           bold_name=family.bold, text="#000000", grid="#cccccc",
                           colors=("#111111", "#222222", "#333333"), labels=labels,
                           codes=codes)
        picture = chart_drawing.__wrapped__(funding, style, width)
        canvas = TaggingCanvas(io.BytesIO(), pagesize=A4, document=new_document(),
                               archive=Archive("en", pdfa=False))
        picture.draw_on(canvas)
        outside += [(width, box.text) for box in text_boxes(canvas.drawn)
                    if box.left < -0.5 or box.bottom < -0.5 or
                    box.right > picture.width + 0.5 or box.top > picture.height + 0.5]
    assert outside == []
