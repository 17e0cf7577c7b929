"""A ReportLab canvas that marks everything it paints, for a tagged PDF.

The rule is short enough to hold for every brief: text belongs to the structure element being
drawn (the one a `Tagged` flowable pushed), and shapes are artifacts (backgrounds, rules, the
quote bar) except inside a figure, where the chart's shapes and labels are the figure. Text
drawn with no element pushed (running headers, footers, page numbers) is an artifact too.

Each painting call is bracketed on its own, between complete operators, so marked content
always nests properly with q/Q and BT/ET. The one exception is a paragraph with a link: its
text object is marked inside BT/ET, in runs, so the link's words belong to a Link element.
The structure itself is written when the canvas is saved (`briefs.render.tagging.writer`),
with the archival parts (`briefs.render.tagging.archive`). Each text object drawn is also
kept, with its page and transform, in `drawn`: where the page inspection looks for text off
the page or over other text (`briefs.render.textboxes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFName, PDFPage, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from briefs.render.tagging.archive import Archive
from briefs.render.tagging.pdffile import pdf_file
from briefs.render.tagging.text import SpacedTextObject, link_runs, shows_text, strip_marks
from briefs.render.tagging.tree import AnnotRef, ContentRef, StructElem
from briefs.render.tagging.writer import Outline, write_structure
from briefs.render.textboxes import DrawnText

_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


def _marked(text: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Bracket a painting method in marked content: text for the element, shapes artifacts."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def painting(self: TaggingCanvas, *args: Any, **kwargs: Any) -> Any:
            if self._marking:
                return method(self, *args, **kwargs)
            self._open(self._text_target() if text else None)
            self._marking += 1
            try:
                return method(self, *args, **kwargs)
            finally:
                self._marking -= 1
                self._code.append("EMC")

        return painting

    return decorate


class TaggingCanvas(Canvas):
    """A canvas that fills a structure tree made beforehand with what it draws."""

    def __init__(self, *args: Any, document: StructElem, archive: Archive, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.document = document
        self.archive = archive
        self._elements: list[StructElem] = []  # the element being drawn is the last
        self._parts: list[StructElem] = []  # elements for the next text objects, in order
        self._marking = 0  # > 0 inside a marked section: inner calls are not bracketed again
        self._page = 0
        self._page_marks: list[StructElem] = []  # this page's elements, indexed by MCID
        self._parent_tree: dict[int, list[StructElem] | StructElem] = {}
        self._next_key = 0
        self._outline: dict[StructElem, Outline] = {}
        self._building: SpacedTextObject | None = None  # the text object being built
        self.drawn: list[DrawnText] = []  # every text drawn, for the page inspection

    # --- what flowables ask ------------------------------------------------------------------
    @contextmanager
    def tag(self, element: StructElem, parts: tuple[StructElem, ...] = ()) -> Iterator[None]:
        """Draw as `element`; with `parts`, successive text objects go to each part in turn
        (a list item's label, then its body) and later ones to the last part."""
        self._elements.append(element)
        saved, self._parts = self._parts, list(parts)
        try:
            yield
        finally:
            self._elements.pop()
            self._parts = saved

    @contextmanager
    def figure(self, element: StructElem) -> Iterator[None]:
        """Everything drawn inside, text and shapes alike, is the figure's content."""
        self._open(element)
        self._marking += 1
        try:
            yield
        finally:
            self._marking -= 1
            self._code.append("EMC")

    def bookmark(self, element: StructElem, text: str, level: int, top: float) -> None:
        """A destination at `top` (in the current coordinates) for the element's outline entry."""
        key = f"briefs-h{len(self._outline)}"
        self.bookmarkHorizontal(key, 0, top)
        self._outline[element] = Outline(key, text, level)

    # --- marking -----------------------------------------------------------------------------
    def _text_target(self) -> StructElem | None:
        if self._parts:
            return self._parts.pop(0) if len(self._parts) > 1 else self._parts[0]
        return self._elements[-1] if self._elements else None

    def _open(self, element: StructElem | None) -> None:
        if element is None:
            self._code.append("/Artifact BMC")
            return
        mcid = len(self._page_marks)
        self._page_marks.append(element)
        element.kids.append(ContentRef(self._page, mcid))
        self._code.append(f"/{element.role} <</MCID {mcid}>> BDC")

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        self._building = SpacedTextObject(self, x, y, direction=direction)
        return self._building

    _draw_text = _marked(text=True)(Canvas.drawText)

    def drawText(self, aTextObject: PDFTextObject) -> None:
        """A text object: with links, each link's words are a Link element of their own."""
        self._building = None
        # ReportLab's paragraph gives its text object a method of the object itself
        # (`_do_line`, for rules and links): a cycle, broken once the object is drawn
        aTextObject.__dict__.pop("_do_line", None)
        runs = getattr(aTextObject, "runs", None)
        if runs:
            self.drawn.append(DrawnText(self._page + 1, self._currentMatrix, tuple(runs)))
        if not (isinstance(aTextObject, SpacedTextObject) and aTextObject.has_links):
            self._draw_text(aTextObject)
            return
        if self._marking:  # inside a figure: the text is the figure's, the marks go
            self._draw_text(_Code(strip_marks(aTextObject.getCode())))
            return
        owner = self._text_target()
        annots = list(aTextObject.link_annots)
        self._code.append("BT")
        link: StructElem | None = None  # the last link, while no other text came after it
        link_url: str | None = None
        for inside, operators in link_runs(aTextObject.getCode()):
            if not shows_text(operators):  # a line break inside a link: nothing to mark
                self._code.append(operators)
                continue
            element = owner
            if inside and owner is not None:
                url = annots[0].url if annots else None
                if link is None or url != link_url:  # a link broken over lines stays one
                    link, link_url = owner.add("Link"), url
                element = link
                if annots:  # one annotation per line of a link, in the order of the runs
                    element.kids.append(annots[0])
                    self._parent_tree[annots.pop(0).key] = element
            else:
                link = None
            self._open(element)
            self._code.extend((operators, "EMC"))
        self._code.append("ET")
        for annot in annots:  # none left unless ReportLab changes how it reports links
            link = (owner or self.document).add("Link")
            link.kids.append(annot)
            self._parent_tree[annot.key] = link

    drawPath = _marked(text=False)(Canvas.drawPath)
    clipPath = _marked(text=False)(Canvas.clipPath)
    rect = _marked(text=False)(Canvas.rect)
    line = _marked(text=False)(Canvas.line)
    lines = _marked(text=False)(Canvas.lines)
    grid = _marked(text=False)(Canvas.grid)
    roundRect = _marked(text=False)(Canvas.roundRect)
    circle = _marked(text=False)(Canvas.circle)
    ellipse = _marked(text=False)(Canvas.ellipse)
    wedge = _marked(text=False)(Canvas.wedge)
    arc = _marked(text=False)(Canvas.arc)
    bezier = _marked(text=False)(Canvas.bezier)
    drawImage = _marked(text=False)(Canvas.drawImage)
    drawInlineImage = _marked(text=False)(Canvas.drawInlineImage)
    doForm = _marked(text=False)(Canvas.doForm)
    shade = _marked(text=False)(Canvas.shade)

    # --- links and pages ---------------------------------------------------------------------
    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: int = 0,
                color: Any = None, dashArray: Any = None, kind: str = "URI",
                **kw: Any) -> None:
        """A link annotation tied to a Link element of the text it covers; printable (PDF/A)
        and described by its address (PDF/UA)."""
        key = self._next_key
        self._next_key += 1
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind,
                        StructParent=key, F=4, Contents=PDFString(url), **kw)
        annot = AnnotRef(self._page, key, f"NUMBER{self._annotationCount}", url)
        if self._building is not None and self._building.has_links:
            self._building.link_annots.append(annot)  # tied to its words when drawn
            return
        owner = self._elements[-1] if self._elements else self.document
        link = owner.add("Link", alt=url)
        link.kids.append(annot)
        self._parent_tree[key] = link

    def _setAnnotations(self, page: Any) -> None:
        """Called once per page as it is closed: the page's entry in the parent tree."""
        super()._setAnnotations(page)
        key = self._next_key
        self._next_key += 1
        self._parent_tree[key] = self._page_marks
        page.__NoDefault__ = _PAGE_KEYS
        page.StructParents = key
        page.Tabs = PDFName("S")
        self._page_marks = []
        self._page += 1

    def save(self) -> None:
        """Write the structure and the archival parts, then the file, stream ends fixed."""
        if len(self._code):
            self.showPage()
        write_structure(self._doc, self.document, self._parent_tree, self._next_key,
                        self._outline)
        self.showOutline()
        self.archive.apply(self._doc)
        data = pdf_file(self._doc, self)
        if hasattr(self._filename, "write"):
            self._filename.write(data)
        else:
            with open(self._filename, "wb") as out:
                out.write(data)


class _Code:
    """A text object already turned into operators, drawn as they are."""

    def __init__(self, code: str):
        self.code = code

    def getCode(self) -> str:
        return self.code
