"""Looking at the laid-out pages the way a designer would, before a brief is kept.

`render_pdf` lays a brief out; while it does, `record` notes where each flowable landed (its
page, its column, its lines), and the canvas notes where each run of text was drawn, boxed
as a reader's viewer measures glyphs (`briefs.render.textboxes`: the PDF is not read back).
`inspect_pages` then reads those notes and returns findings: text boxes that overlap or
leave the page, a heading stranded at a column's foot, a chart squeezed under its minimum
size, a column or page left mostly empty, a word cut without a hyphen, a line wider than its
column. Each finding says what to do. The colours are checked once per layout, in
`briefs.render.contrast`.

Findings are warnings, never errors: the PDF is still written, and `check --strict` decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from briefs.render.charts import MIN_PLOT_HEIGHT, MIN_PLOT_WIDTH
from briefs.render.flowables import unwrapped
from briefs.render.textboxes import TextBox

EMPTY_COLUMN = 0.5  # a column that ends above half its height, with more text to come
UNBALANCED = 0.67  # last page: the shortest column shorter than the longest by this share
OVERLAP = 1.5  # points two text boxes may touch (ascenders, descenders) before they overlap
HEADINGS = frozenset({"title", "subtitle", "heading", "story_heading", "box_heading",
                      "subheading"})


@dataclass(frozen=True)
class Finding:
    """One thing on one page a person should look at, and what to do about it."""

    page: int | None  # None: the layout as a whole
    kind: str  # overlap, off-page, orphan, lead-in, chart-size, empty, balance, cut, wide, contrast
    message: str

    def where(self, who: str) -> str:
        return f"{who}, page {self.page}" if self.page is not None else who


@dataclass(frozen=True)
class Placed:
    """Where one flowable landed, as the inspection needs it."""

    page: int
    frame: str
    kind: str  # heading, text, chart, other
    height: float
    lines: tuple[str, ...] = ()  # a paragraph's lines as set
    source: str = ""  # a paragraph's plain text, to tell a cut word from a break at a space
    wide: bool = False  # a line is wider than the column
    plot: tuple[float, float] = (0.0, 0.0)  # a chart's plot width and height
    axis: str = "y"  # a chart's value axis: its length there must make a readable scale
    ends_colon: bool = False


def record(page: int, frame: Any, flowable: Any) -> Placed | None:
    """What `inspect_pages` needs to know about a flowable just placed on `page`.

    Called from the document template's afterFlowable: the one hook the renderer needs.
    """
    height = float(getattr(flowable, "height", 0.0) or 0.0)
    frame_id = str(getattr(frame, "id", ""))
    flowable = unwrapped(flowable)  # tagged for the structure tree, or a pull quote's bar
    picture = getattr(flowable, "picture", None)
    if picture is not None:
        plot = getattr(picture, "plot", (0.0, 0.0))
        return Placed(page, frame_id, "chart", height, plot=plot,
                      axis=getattr(picture, "axis", "y"))
    para = flowable
    lines = _lines(para)
    if lines is None:
        return Placed(page, frame_id, "other", height) if height > 0 else None
    style = getattr(para.style, "name", "")
    kind = "heading" if style in HEADINGS else "text"
    # a split paragraph's second part may have no source text of its own: use its lines
    text = para.getPlainText() or " ".join(lines)
    # ReportLab lets a line overshoot by its space shrinkage (5%) before it counts as too wide
    limit = -0.05 * float(getattr(para, "width", 0.0) or 0.0) - 1.0
    wide = any(extra < limit for extra in _extra_space(para))
    return Placed(page, frame_id, kind, height, tuple(lines), text, wide,
                  ends_colon=text.rstrip().endswith(":"))


def _lines(para: Any) -> list[str] | None:
    block = getattr(para, "blPara", None)
    if block is None or not hasattr(para, "getPlainText"):
        return None
    if block.kind == 0:
        return [" ".join(words) for _, words in block.lines]
    return ["".join(getattr(w, "text", "") for w in line.words) for line in block.lines]


def _extra_space(para: Any) -> list[float]:
    block = para.blPara
    if block.kind == 0:
        return [float(extra) for extra, _ in block.lines]
    return [float(getattr(line, "extraSpace", 0.0)) for line in block.lines]


def cut_words(lines: Sequence[str], source: str) -> list[str]:
    """Words split across two lines without a hyphen: "Lieferketten" / "gesetz".

    A break after a hyphen, or anywhere inside a web address, is a proper break; any other
    break inside a word of the source text is a cut.
    """
    tokens = set(source.split())
    cuts = []
    for first, second in pairwise(lines):
        if not first or first[-1].isspace() or not second or second[0].isspace():
            continue
        head, tail = first.rsplit(None, 1)[-1:], second.split(None, 1)[:1]  # end words
        if not head or not tail or head[0] in tokens:
            continue
        end = head[0]
        if end.endswith(("-", "\u00ad")) or "/" in end + tail[0]:  # a web address breaks
            continue
        if any(end + tail[0] in token for token in tokens):
            cuts.append(f"{end}/{tail[0]}")
    return cuts


def stranded(placed: Sequence[Placed]) -> bool:
    """Whether a heading or a lead-in is parted from what follows it: the balancing of the
    last page rejects such a layout."""
    return any(f.kind in ("orphan", "lead-in") for f in _flow_findings(placed))


def inspect_pages(placed: Sequence[Placed], used: dict[int, list[float]],
                  frame_heights: dict[int, list[float]], text: Sequence[TextBox],
                  page_size: tuple[float, float]) -> list[Finding]:
    """Every page warning for one laid-out brief, in page order; `text` is where the
    brief's text was drawn (`briefs.render.textboxes`), on pages of `page_size`."""
    findings = [*_flow_findings(placed), *_space_findings(used, frame_heights),
                *_text_box_findings(text, *page_size)]
    return sorted(findings, key=lambda f: (f.page or 0, f.kind))


def _flow_findings(placed: Sequence[Placed]) -> Iterable[Finding]:
    shown = [p for p in placed if p.height > 0.01]
    for index, item in enumerate(shown):
        after = shown[index + 1] if index + 1 < len(shown) else None
        moved = after is not None and (after.page, after.frame) != (item.page, item.frame)
        if item.kind == "heading" and moved:
            yield Finding(item.page, "orphan", f"the heading '{_short(item.source)}' ends its "
                          "column and its text starts in the next one — shorten the text "
                          "above it or the heading, or move the section")
        elif item.kind == "text" and item.ends_colon and moved and after.kind != "heading":
            yield Finding(item.page, "lead-in", f"'{_short(item.source)}' ends its column and "
                          "what it introduces starts in the next one — shorten the text above "
                          "or the list")
        if item.kind == "chart" and item.plot != (0.0, 0.0):
            width, height = item.plot
            short = item.axis == "y" and height < MIN_PLOT_HEIGHT - 0.5
            if short or width < MIN_PLOT_WIDTH - 0.5:
                yield Finding(item.page, "chart-size", f"the chart's plot is {_mm(width)} × "
                              f"{_mm(height)} mm, under the minimum of {_mm(MIN_PLOT_WIDTH)} × "
                              f"{_mm(MIN_PLOT_HEIGHT)} mm — give the layout's chart more "
                              "height or set it in a wider frame")
        if item.kind in ("text", "heading"):
            for cut in cut_words(item.lines, item.source):
                yield Finding(item.page, "cut", f"the word '{cut.replace('/', '')}' is cut "
                              f"without a hyphen ('{cut.replace('/', ' / ')}') — add a "
                              "hyphen or a shorter word, or check the brief's language")
            if item.wide:
                yield Finding(item.page, "wide", f"a line of '{_short(item.source)}' is wider "
                              "than its column — shorten the long word or address in it")


def _space_findings(used: dict[int, list[float]],
                    frame_heights: dict[int, list[float]]) -> Iterable[Finding]:
    last = max(used, default=0)
    for page in sorted(used):
        heights = frame_heights.get(page, [])
        columns = used[page]
        if page < last:
            for number, (fill, full) in enumerate(zip(columns, heights, strict=False), 1):
                if full and fill < EMPTY_COLUMN * full:
                    which = f"column {number}" if len(heights) > 1 else "the page"
                    yield Finding(page, "empty", f"{which} is {100 - round(100 * fill / full)}% "
                                  "empty while the text goes on over the page — something "
                                  "that cannot split (a chart, a box, a long heading) moved on: "
                                  "shorten the text before it")
        elif len(heights) > 1:
            filled = columns + [0.0] * (len(heights) - len(columns))
            top = max(filled, default=0.0)
            # a remainder of a few lines cannot end level; a quarter of a column can
            column = max(h for hs in frame_heights.values() for h in hs)
            if top > 0.25 * column and min(filled) < (1 - UNBALANCED) * top:
                yield Finding(page, "balance", "the last page's columns end at very different "
                              "heights — shorten or lengthen the last story by a few lines")


def _text_box_findings(boxes: Sequence[TextBox], width: float,
                       height: float) -> Iterable[Finding]:
    pages: dict[int, list[TextBox]] = {}
    for box in boxes:
        pages.setdefault(box.page, []).append(box)
    for page in sorted(pages):
        yield from _boxes(page, pages[page], width, height)


def _boxes(page: int, boxes: Sequence[TextBox], width: float,
           height: float) -> Iterable[Finding]:
    """Text boxes of one page off the page or over each other."""
    for box in boxes:
        if box.left < -0.5 or box.bottom < -0.5 or box.right > width + 0.5 or \
                box.top > height + 0.5:
            yield Finding(page, "off-page", f"'{_short(box.text)}' runs off the page — "
                          "shorten it or let the layout give it more room")
    order = sorted(boxes, key=lambda b: b.bottom)
    seen: set[tuple[str, str]] = set()
    for rank, box in enumerate(order):
        for other in order[rank + 1:]:
            if other.bottom >= box.top - OVERLAP:
                break
            if min(box.right, other.right) - max(box.left, other.left) > OVERLAP and \
                    min(box.top, other.top) - max(box.bottom, other.bottom) > OVERLAP:
                pair = (_short(other.text), _short(box.text))
                if pair not in seen:
                    seen.add(pair)
                    yield Finding(page, "overlap", f"'{pair[0]}' overprints '{pair[1]}' — "
                                  "shorten one of them or give the layout more room")


def _short(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _mm(points: float) -> str:
    return f"{points / 72 * 25.4:.0f}"
