"""The tagging machinery on small documents, and the structure checker on broken copies.

Each check of tests/structure.py is shown to fail on a document broken in exactly the way it
guards against, so a clean report on a brief means something.
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
import pikepdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from structure import check_pdf
from validators import pdfua, preflight

from briefs.render.tagging import Archive, Tagged, TaggingCanvas, new_document
from briefs.render.tagging.archive import finish_file

FONT = "TaggingTestSans"
LINK = "a link whose words run over more than one line of this narrow frame"
LONG = ("Words that wrap over the end of the line for sure because this paragraph is long "
        "enough to need several lines in a narrow frame, and then some more words. ")


class Square(Flowable):
    """A figure's stand-in: a shape and a label, both the figure's content."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 100, 40

    def draw(self) -> None:
        self.canv.rect(0, 0, 40, 40, fill=1, stroke=0)
        self.canv.setFont(FONT, 8)
        self.canv.drawString(50, 10, "label")


def _style() -> ParagraphStyle:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    return ParagraphStyle("t", fontName=FONT, fontSize=10, leading=12, bulletFontName=FONT,
                          leftIndent=12)


def build_small(path: Path, pdfa: bool = True) -> Path:
    """H1, a section with H2, paragraphs long enough to cross a page, a link, a list, a
    figure; a running footer and a background drawn on every page."""
    style = _style()
    document = new_document()
    h1 = document.add("H1", actual="A small document")
    story: list[Flowable] = [Tagged(Paragraph("A SMALL DOCUMENT", style), h1,
                                    outline=("A small document", 0))]
    section = document.add("Sect")
    story.append(Tagged(Paragraph("Section", style), section.add("H2"),
                        outline=("Section", 1)))
    for index in range(3):
        story.append(Tagged(Paragraph(f"P{index}. {LONG * 3}", style), section.add("P")))
    story.append(Tagged(Paragraph("See <a href='https://www.ilo.org'>the ILO</a>.", style),
                        section.add("P")))
    story.append(Tagged(Paragraph(f"Read <a href='https://www.ilo.org/long'>{LINK}</a> now.",
                                  style), section.add("P")))
    items = section.add("L")
    for word in ("first", "second"):
        item = items.add("LI")
        story.append(Tagged(Paragraph(word, style, bulletText="•"), item,
                            (item.add("Lbl"), item.add("LBody"))))
    story.append(Tagged(Square(), section.add("Figure", alt="A black square"), figure=True))

    def furniture(canvas: TaggingCanvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(0.9, 0.9, 0.9)
        canvas.rect(0, 0, 60, 60, fill=1, stroke=0)
        canvas.setFont(FONT, 8)
        canvas.drawString(300, 20, f"page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=(300, 300), title="Small", author="Tests",
                          subject="tagging", lang="en", invariant=1, initialFontName=FONT,
                          pageCompression=1)
    doc.addPageTemplates([PageTemplate(frames=[Frame(30, 40, 240, 220)], onPage=furniture)])
    maker = functools.partial(TaggingCanvas, document=document, archive=Archive("en", pdfa))
    doc.build(story, canvasmaker=maker)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("small") / "small.pdf")


def test_small_document_is_clean_for_all_three_checkers(small: Path, tmp_path: Path) -> None:
    assert check_pdf(small).findings == []
    summary = pdfua([small])[str(small)]["summary"]
    assert (summary["errors"], summary["warnings"], summary["rules_skipped"]) == (0, 0, 0)
    assert preflight([small], tmp_path) == {str(small): []}


def test_a_paragraph_across_pages_is_one_element_and_lines_keep_their_spaces(
        small: Path) -> None:
    report = check_pdf(small)
    with pikepdf.open(small) as pdf:
        assert len(pdf.pages) >= 2
    lines = report.text.splitlines()
    first = next(line for line in lines if line.startswith("P0."))
    # one P holds the whole paragraph although it crosses a page, every word intact
    assert first == f"P0. {LONG * 3}".strip()
    assert "A small document" in lines  # the capitals are read in their real case
    assert "A black square" in lines  # the figure is heard as its description
    assert "•" in lines and "first" in lines  # label and body are separate elements
    assert not any("page " in line for line in lines)  # the footer is an artifact


def test_bookmarks_follow_the_headings(small: Path) -> None:
    with pikepdf.open(small) as pdf:
        top = pdf.Root.Outlines.First
        assert str(top.Title) == "A small document"
        assert str(top.First.Title) == "Section"
        assert str(pdf.Root.PageMode) == "/UseOutlines"


def _owners(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Dictionary]:
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    return dict(zip(nums[::2], nums[1::2], strict=True))


def test_links_are_link_elements_with_their_words_and_annotations(small: Path) -> None:
    with pikepdf.open(small) as pdf:
        annots = [a for p in pdf.pages for a in p.obj.get("/Annots", [])]
        short = [a for a in annots if str(a.Contents) == "https://www.ilo.org"]
        assert len(short) == 1 and int(short[0].F) == 4
        owner = _owners(pdf)[int(short[0].StructParent)]
        assert str(owner.S) == "/Link" and str(owner.P.S) == "/P"  # inside its paragraph
        assert [k.Obj.objgen for k in owner.K if isinstance(k, pikepdf.Dictionary)] == \
            [short[0].objgen]
        # a link over several lines has an annotation per line, all in one Link element
        long = [a for a in annots if str(a.Contents) == "https://www.ilo.org/long"]
        assert len(long) >= 2
        assert len({_owners(pdf)[int(a.StructParent)].objgen for a in long}) == 1
    lines = check_pdf(small).text.splitlines()
    # the link's words are the Link's content, between the paragraph's words around them
    assert lines[lines.index("the ILO") - 1: lines.index("the ILO") + 2] == \
        ["See", "the ILO", "."]
    assert lines[lines.index(LINK) - 1: lines.index(LINK) + 2] == ["Read", LINK, "now."]


def test_without_pdfa_there_is_no_output_intent_but_still_the_ua_claim(tmp_path: Path) -> None:
    path = build_small(tmp_path / "plain.pdf", pdfa=False)
    with pikepdf.open(path) as pdf:
        assert "/OutputIntents" not in pdf.Root
        xmp = pdf.Root.Metadata.read_bytes()
    assert b"pdfuaid:part>1<" in xmp and b"pdfaid" not in xmp


def test_every_stream_ends_with_an_end_of_line(small: Path) -> None:
    raw = small.read_bytes()
    assert raw.count(b"endstream") == raw.count(b"\nendstream")
    assert finish_file(raw) == raw  # and fixing twice changes nothing


# --- the checker on broken copies ---------------------------------------------------------

def _broken(small: Path, tmp_path: Path, change: str) -> list[str]:
    path = tmp_path / f"{change}.pdf"
    with pikepdf.open(small) as pdf:
        root = pdf.Root.StructTreeRoot
        elems = _all(root.K)
        if change == "painting":
            page = pdf.pages[0]
            page.contents_add(pdf.make_stream(b"0 0 5 5 re f"), prepend=False)
        elif change == "nesting":
            page = pdf.pages[0]
            data = page.Contents.read_bytes().replace(b"EMC\nQ", b"Q\nEMC", 1)
            page.Contents = pdf.make_stream(data)
        elif change == "parent-tree":
            nums = root.ParentTree.Nums
            marks = next(v for v in list(nums)[1::2] if isinstance(v, pikepdf.Array))
            marks[0], marks[1] = marks[1], marks[0]
        elif change == "alt":
            del next(e for e in elems if str(e.S) == "/Figure").Alt
        elif change == "list":
            next(e for e in elems if str(e.S) == "/LI").S = pikepdf.Name.P
        elif change == "table":
            next(e for e in elems if str(e.S) == "/L").S = pikepdf.Name.Table
        elif change == "heading":
            next(e for e in elems if str(e.S) == "/H2").S = pikepdf.Name.H3
        pdf.save(path)
    return check_pdf(path).findings


def _all(elem: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    out = [elem]
    kids = elem.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += _all(kid)
    return out


@pytest.mark.parametrize(("change", "expected"), [
    ("painting", "painted outside marked content"),
    ("nesting", "must nest with q/Q and BT/ET"),
    ("parent-tree", "ParentTree disagrees"),
    ("alt", "a Figure has no /Alt"),
    ("list", "inside L"),
    ("table", "LI inside Table"),
    ("heading", "heading level skipped"),
])
def test_the_checker_sees_each_defect(small: Path, tmp_path: Path, change: str,
                                      expected: str) -> None:
    findings = _broken(small, tmp_path, change)
    assert any(expected in f for f in findings), findings
