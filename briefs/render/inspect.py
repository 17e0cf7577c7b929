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
from operator import itemgetter
from typing import Any

import numpy as np

from briefs.render.charts import MIN_PLOT_HEIGHT, MIN_PLOT_WIDTH
from briefs.render.flowables import unwrapped
from briefs.render.textboxes import Boxes, TextBox

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


def record(page: int, frame: Any, flowable: Any, detail: bool = True) -> Placed | None:
    """What `inspect_pages` needs to know about a flowable just placed on `page`.

    Called from the document template's afterFlowable: the one hook the renderer needs.
    Without `detail` (a trial page of the balancing, which only asks `stranded`), a
    paragraph's lines and whether one is too wide are not noted: a third of the placements
    a brief notes are a trial's.
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
    block = getattr(para, "blPara", None)
    if block is None or not hasattr(para, "getPlainText"):
        return Placed(page, frame_id, "other", height) if height > 0 else None
    style = getattr(para.style, "name", "")
    kind = "heading" if style in HEADINGS else "text"
    # a split paragraph's second part may have no source text of its own: use its lines
    text = para.getPlainText()
    if not detail:
        text = text or " ".join(_lines(block))
        return Placed(page, frame_id, kind, height, ends_colon=text.rstrip().endswith(":"))
    lines = _lines(block)
    text = text or " ".join(lines)
    # ReportLab lets a line overshoot by its space shrinkage (5%) before it counts as too wide
    limit = -0.05 * float(getattr(para, "width", 0.0) or 0.0) - 1.0
    wide = bool(block.lines) and _least_extra_space(block) < limit
    return Placed(page, frame_id, kind, height, tuple(lines), text, wide,
                  ends_colon=text.rstrip().endswith(":"))


def _lines(block: Any) -> list[str]:
    """A laid-out paragraph's lines as set (ReportLab's blPara: plain lines are (extra
    space, words), lines with several styles have words that are fragments)."""
    if block.kind == 0:
        return list(map(" ".join, map(itemgetter(1), block.lines)))
    return ["".join([getattr(w, "text", "") for w in line.words]) for line in block.lines]


def _least_extra_space(block: Any) -> float:
    """The room left on the paragraph's fullest line: below 0, a line is too wide."""
    if block.kind == 0:
        return float(min(map(itemgetter(0), block.lines)))
    return float(min(getattr(line, "extraSpace", 0.0) for line in block.lines))


def cut_words(lines: Sequence[str], source: str) -> list[str]:
    """Words split across two lines without a hyphen: "Lieferketten" / "gesetz".

    A break after a hyphen, or anywhere inside a web address, is a proper break; any other
    break inside a word of the source text is a cut.
    """
    padded = f" {source} "  # a word between spaces there is a word of the source …
    tokens: set[str] | None = None  # … and the source's words are split only for others
    cuts = []
    for first, second in pairwise(lines):
        if not first or first[-1].isspace() or not second or second[0].isspace():
            continue
        head, tail = first.rsplit(None, 1)[-1:], second.split(None, 1)[:1]  # end words
        if not head or not tail or f" {head[0]} " in padded:
            continue
        if tokens is None:
            tokens = set(source.split())
        end = head[0]
        if end in tokens:
            continue
        if end.endswith(("-", "\u00ad")) or "/" in end + tail[0]:  # a web address breaks
            continue
        if any(end + tail[0] in token for token in tokens):
            cuts.append(f"{end}/{tail[0]}")
    return cuts


def stranded(placed: Sequence[Placed]) -> bool:
    """Whether a heading or a lead-in is parted from what follows it: the balancing of the
    last page rejects such a layout (asked after each trial page: the other findings of the
    flow, cut words above all, are not looked for)."""
    return any(True for _ in _parted(_shown(placed)))


def inspect_pages(placed: Sequence[Placed], used: dict[int, list[float]],
                  frame_heights: dict[int, list[float]], text: Sequence[TextBox],
                  page_size: tuple[float, float]) -> list[Finding]:
    """Every page warning for one laid-out brief, in page order; `text` is where the
    brief's text was drawn (`briefs.render.textboxes`), on pages of `page_size`."""
    findings = [*_flow_findings(placed), *_space_findings(used, frame_heights),
                *_text_box_findings(text, *page_size)]
    return sorted(findings, key=lambda f: (f.page or 0, f.kind))


def _shown(placed: Sequence[Placed]) -> list[Placed]:
    return [p for p in placed if p.height > 0.01]


def _parted(shown: Sequence[Placed]) -> Iterable[tuple[Placed, str]]:
    """Each heading ("orphan") or lead-in ending a column while what follows it starts the
    next one."""
    for item, after in pairwise(shown):
        if (after.page, after.frame) == (item.page, item.frame):
            continue
        if item.kind == "heading":
            yield item, "orphan"
        elif item.kind == "text" and item.ends_colon and after.kind != "heading":
            yield item, "lead-in"


def _flow_findings(placed: Sequence[Placed]) -> Iterable[Finding]:
    """The findings of what flowed: in order of kind, then of place (sorted by page and
    kind in `inspect_pages`, they come out as when one pass found them all)."""
    shown = _shown(placed)
    for item, kind in _parted(shown):
        if kind == "orphan":
            yield Finding(item.page, "orphan", f"the heading '{_short(item.source)}' ends its "
                          "column and its text starts in the next one — shorten the text "
                          "above it or the heading, or move the section")
        else:
            yield Finding(item.page, "lead-in", f"'{_short(item.source)}' ends its column and "
                          "what it introduces starts in the next one — shorten the text above "
                          "or the list")
    for item in shown:
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
    """Text boxes off the page or over each other, page by page: a brief's ~500 boxes are
    compared as arrays, and only pairs near each other up and down are compared at all."""
    if not boxes:
        return
    if isinstance(boxes, Boxes):
        (pages, left, bottom, right, top), texts = boxes.columns, boxes.texts
    else:
        *sides, texts = zip(*boxes, strict=True)
        pages, left, bottom, right, top = map(np.array, sides)
    off = (left < -0.5) | (bottom < -0.5) | (right > width + 0.5) | (top > height + 0.5)
    for page in np.unique(pages).tolist():
        mine = np.flatnonzero(pages == page)  # in drawing order
        for index in mine[off[mine]].tolist():
            yield Finding(page, "off-page", f"'{_short(texts[index])}' runs off the page — "
                          "shorten it or let the layout give it more room")
        order = mine[np.argsort(bottom[mine], kind="stable")]  # from the page's foot up
        seen: set[tuple[str, str]] = set()
        for box, other in _overprinting(order, (left, bottom, right, top)):
            pair = (_short(texts[other]), _short(texts[box]))
            if pair in seen:
                continue
            seen.add(pair)
            yield Finding(page, "overlap", f"'{pair[0]}' overprints '{pair[1]}' — "
                          "shorten one of them or give the layout more room")


def _overprinting(order: np.ndarray, sides: tuple[np.ndarray, ...]) -> list[tuple[int, int]]:
    """Pairs of boxes (`order`: one page's, lowest first) that share more than OVERLAP
    points each way, the lower first, in the order of `order`. A box is compared with the
    boxes after it that start below its top less OVERLAP, and no others: they are next in
    `order`, so each box's partners are a run of it found by one binary search."""
    left, bottom, right, top = sides
    ends = np.searchsorted(bottom[order], top[order] - OVERLAP, side="left")
    counts = np.maximum(ends - np.arange(1, len(order) + 1), 0)
    lower = np.repeat(np.arange(len(order)), counts)
    upper = lower + 1 + np.arange(len(lower)) - np.repeat(np.cumsum(counts) - counts, counts)
    a, b = order[lower], order[upper]
    hit = (np.minimum(right[a], right[b]) - np.maximum(left[a], left[b]) > OVERLAP) & \
        (np.minimum(top[a], top[b]) - np.maximum(bottom[a], bottom[b]) > OVERLAP)
    return list(zip(a[hit].tolist(), b[hit].tolist(), strict=True))


def _short(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _mm(points: float) -> str:
    return f"{points / 72 * 25.4:.0f}"
