"""The few ReportLab flowables the fact sheets need beyond paragraphs and tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import FrameBreak, PageBreak


def unwrapped(flowable: Any) -> Any:
    """The flowable inside its wrappers (a tagged one, a pull quote's bar): what it draws."""
    while hasattr(flowable, "inner"):
        flowable = flowable.inner
    return flowable


def stacked_height(flowables: list[Flowable], width: float, height: float,
                   canvas: Any) -> float:
    """The height `flowables` take set one under the other at `width`, the space above and
    below each included: what a group kept together needs of its column."""
    total = 0.0
    for flowable in flowables:
        flowable.canv = canvas  # measured before the frame hands them a canvas
        total += flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + \
            flowable.getSpaceAfter()
    return total


class StartNew(Flowable):
    """Move to a new frame or page unless the current one is still empty.

    A plain FrameBreak at the top of a frame would leave that frame blank.
    """

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = self._doctemplateAttr("frame")
        if frame is not None and not frame._atTop:
            frame.add_generated_content(PageBreak() if self.kind == "page" else FrameBreak)
        return 0, 0

    def draw(self) -> None:
        pass


class HeadingRoom(Flowable):
    """Start a new frame unless a heading and the start of what follows it fit here.

    Measured at the width of the column it is about to land in: a heading of four lines in a
    narrow column, followed by a paragraph too short to split or by a chart, is never left
    alone at the column's foot. What follows may be a group that goes on together (a lead-in
    ending in ':' and the list it introduces): then the whole group must fit, or the heading
    goes with it. At the top of a frame it does nothing, so it cannot loop.
    """

    def __init__(self, heading: Flowable, following: list[Flowable], lines: float):
        super().__init__()
        self.heading = heading
        self.following = following  # what must start here with the heading; [] for lines
        self.lines = lines  # the height of the first lines that must follow the heading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = self._doctemplateAttr("frame")
        if frame is None or frame._atTop:
            return 0, 0
        self.heading.canv = self.canv  # measured before the frame hands it a canvas
        _, height = self.heading.wrap(availWidth, availHeight)
        after = self.lines
        if len(self.following) == 1:
            first = self.following[0]
            first.canv = self.canv
            _, next_height = first.wrap(availWidth, availHeight)
            splits = bool(first.split(availWidth, self.lines * 1.01))
            after = min(self.lines, next_height) if splits else next_height
            after += first.getSpaceBefore()
        elif self.following:  # kept together: all of it, unless it cannot fit any column
            group = stacked_height(self.following, availWidth, availHeight, self.canv)
            after = group if group < frame._aH else self.lines
        # the heading's own space above is spent in this column too
        need = self.heading.getSpaceBefore() + height + self.heading.getSpaceAfter() + after
        if availHeight < need:
            frame.add_generated_content(FrameBreak)
        return 0, 0

    def draw(self) -> None:
        pass


class Barred(Flowable):
    """A flowable with a coloured bar at its left: the pull-quote look.

    Each paragraph of a quote is wrapped on its own, so a quote of any length splits across
    columns like ordinary text, and `pad_after` keeps the bar continuous between paragraphs.
    """

    def __init__(self, inner: Flowable, color: Color, bar_width: float, gap: float,
                 pad_after: float = 0.0, space_before: float = 0.0, space_after: float = 0.0):
        super().__init__()
        self.inner = inner
        self.color = color
        self.bar_width = bar_width
        self.gap = gap
        self.pad_after = pad_after
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self._inner_h = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner_w = availWidth - self.bar_width - self.gap
        _, self._inner_h = self.inner.wrap(inner_w, availHeight)
        self.width = availWidth
        self.height = self._inner_h + self.pad_after
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        inner_w = availWidth - self.bar_width - self.gap
        parts = self.inner.split(inner_w, availHeight)
        if len(parts) < 2:
            _, height = self.inner.wrap(inner_w, availHeight)
            if height <= availHeight:
                # it fits without the space below it, which is only space: drop that
                return [Barred(self.inner, self.color, self.bar_width, self.gap, 0.0,
                               self.spaceBefore, self.spaceAfter)]
            return []
        first = Barred(parts[0], self.color, self.bar_width, self.gap, 0.0, self.spaceBefore)
        rest = [Barred(p, self.color, self.bar_width, self.gap, 0.0) for p in parts[1:]]
        rest[-1].pad_after = self.pad_after
        rest[-1].spaceAfter = self.spaceAfter
        return [first, *rest]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.color)
        canvas.rect(0, 0, self.bar_width, self.height, stroke=0, fill=1)
        canvas.restoreState()
        self.inner.drawOn(canvas, self.bar_width + self.gap, self.pad_after)


class ChartFlowable(Flowable):
    """A chart drawn for the width of the column it lands in.

    Drawing at the real width, rather than scaling one drawing, keeps the chart's type at the
    layout's size in a wide column and a narrow one alike. `make(width, height)` draws it at
    that width, and at a height (None: the layout's); `measure(width, height)` tells the
    height it would have without drawing it, so that a chart is drawn once, where it lands.
    The chart may be set shorter, down to the height its minimum plot needs, when that keeps
    it beside its heading (KeepFigures).
    """

    def __init__(self, make: Callable[[float, float | None], Any],
                 measure: Callable[[float, float | None], float], height: float,
                 space_after: float = 0.0):
        super().__init__()
        self.make = make
        self.measure = measure
        self.height = height
        self.spaceAfter = space_after
        self.width = 0.0
        self.fit_height: float | None = None  # set by KeepFigures to shorten the chart
        self.picture: Any = None

    def slack(self, width: float) -> float:
        """How much shorter than its natural height the chart can be set at `width`."""
        return self.measure(width, None) - self.measure(width, 1.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self.measure(availWidth, self.fit_height)
        return availWidth, self.height

    def draw(self) -> None:
        self.picture = self.make(self.width, self.fit_height)  # the plot's size, for
        self.picture.draw_on(self.canv)  # the page inspection


class KeepFigures(Flowable):
    """Keep a section's heading, text and figures together, shortening its charts to fit.

    Placed before the group: when the group does not fit in what is left of the column, its
    charts are set shorter (never under their minimum plot); when even that does not fit, the
    group starts in the next column. At the top of a column it does nothing, so it cannot loop.
    """

    def __init__(self, group: list[Flowable], charts: list[ChartFlowable]):
        super().__init__()
        self.group = group
        self.charts = charts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        for chart in self.charts:
            chart.fit_height = None
        frame = self._doctemplateAttr("frame")
        if frame is None or frame._atTop:
            return 0, 0
        # a KeepTogether reports a huge height to force its split: measure what it holds
        flat = [f for g in self.group for f in getattr(g, "_content", [g])]
        # the heading's space above is spent in this column too
        total = stacked_height(flat, availWidth, availHeight, self.canv)
        over = total + 1.0 - availHeight  # a point to spare for rounding
        slack = sum(chart.slack(availWidth) for chart in self.charts)
        if over > 0 and over <= slack:
            for chart in self.charts:
                natural = chart.wrap(availWidth, availHeight)[1]
                share = over * chart.slack(availWidth) / slack
                chart.fit_height = natural - share - 0.5
        elif over > 0:
            frame.add_generated_content(FrameBreak)
        return 0, 0

    def draw(self) -> None:
        pass


class NameColumns(Flowable):
    """A list of names set in columns that read downwards: the first names fill the first
    column, then the next. A name that wraps lengthens its own column only; a list longer
    than the space left splits into as many whole rows as fit, and goes on in the next
    column or page in the same order.
    """

    def __init__(self, names: list[Paragraph], columns: int, gap: float = 4.0):
        super().__init__()
        self.names = names
        self.columns = max(1, columns)
        self.gap = gap
        self._heights: list[float] = []
        self._for = -1.0

    def _measure(self, width: float) -> list[float]:
        if abs(self._for - width) > 0.01:
            inner = width / self.columns - self.gap
            self._heights = [p.wrap(inner, 1e6)[1] + p.getSpaceAfter() for p in self.names]
            self._for = width
        return self._heights

    def _height(self, heights: list[float]) -> float:
        rows = -(-len(heights) // self.columns)
        return max((sum(heights[c * rows:(c + 1) * rows]) for c in range(self.columns)),
                   default=0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._height(self._measure(availWidth))
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        heights = self._measure(availWidth)
        fits = max((k for k in range(len(heights) + 1)
                    if self._height(heights[:k]) <= availHeight), default=0)
        if fits >= len(self.names):
            return [self]
        if fits == 0:
            # a name taller than the space left (a column, at worst) is split itself, in
            # that space less the room after it, which counts in the columns' height
            first = self.names[0]
            parts = first.split(availWidth / self.columns - self.gap,
                                availHeight - first.getSpaceAfter())
            if len(parts) < 2:
                return []
            head = NameColumns(parts[:1], self.columns, self.gap)
            if head.wrap(availWidth, availHeight)[1] > availHeight:
                return []  # not even its first line: the whole list goes on further
            return [head, NameColumns([*parts[1:], *self.names[1:]], self.columns, self.gap)]
        return [NameColumns(self.names[:fits], self.columns, self.gap),
                NameColumns(self.names[fits:], self.columns, self.gap)]

    def draw(self) -> None:
        heights = self._measure(self.width)
        rows = -(-len(self.names) // self.columns)
        for column in range(self.columns):
            y = self.height
            x = column * self.width / self.columns
            for index in range(column * rows, min((column + 1) * rows, len(self.names))):
                para = self.names[index]
                _, h = para.wrap(self.width / self.columns - self.gap, 1e6)
                para.drawOn(self.canv, x, y - h)
                y -= heights[index]
