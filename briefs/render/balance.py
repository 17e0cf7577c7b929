"""Balancing the columns of the last page, in the one layout pass that writes the PDF.

When a page with several columns begins, what is left of the story is laid out on a trial
page that is never written (`_TrialPage`): if it all fits, this is the last page, and shorter
frame heights are tried the same way (`balanced`) until one holds it all with its columns
level and no heading parted from its text. The page is then laid out with those frames,
once, for real. Only the last page is laid out again, never the whole brief, and the PDF's
bytes are written once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from reportlab.lib.sequencer import Sequencer
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefs.render.inspect import Placed, stranded
from briefs.render.inspect import record as record_placed

TRIES = 8  # frame heights tried at most to balance the last page

_ATOMIC = (int, float, str, bool, type(None))  # what deepcopy gives back as it is


class Column(Frame):
    """A frame that is deep-copied for a fifth of the cost.

    ReportLab measures a group kept together (a lead-in and its list, a pull quote) in a
    deep copy of the current frame, some ten times a brief. A frame's state is numbers and
    strings, and a list of backgrounds: its dictionary copied, with anything but those
    copied deeply, is the copy `copy.deepcopy` makes, without a call for each number.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Column:
        copied = self.__class__.__new__(self.__class__)
        memo[id(self)] = copied
        copied.__dict__.update({key: value if type(value) in _ATOMIC else deepcopy(value, memo)
                                for key, value in self.__dict__.items()})
        return copied


class BalancingDocument(BaseDocTemplate):
    """A doc template that balances the columns of its last page as it reaches it.

    `line` is the body text's leading, the slack a balanced column gets; 0 turns balancing
    off. `balance` is then (page, frame height) when a page was balanced.
    """

    def __init__(self, *args: Any, line: float = 0.0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.balance: tuple[int, float] | None = None
        self.used: dict[int, list[float]] = {}  # page -> text height in each frame begun
        self.heights: dict[int, list[float]] = {}  # page -> height of each of its frames
        self.placed: list[Placed] = []  # where each flowable landed, for the inspection
        self._originals: dict[str, list[Frame]] = {}
        self._story: list[Flowable] | None = None
        self._lent = Lent()  # the canvas of this brief's trial pages

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        self._story = flowables  # the list build consumes: at a page's start, what is left
        try:
            super().build(flowables, *args, **kwargs)
        finally:
            self._nameSpace.clear()  # ReportLab's dict(doc=self): a cycle

    def handle_pageBegin(self) -> None:
        template = self.pageTemplate
        original = self._originals.setdefault(template.id, template.frames)
        if self.line and self.balance is None and self.page >= 1 and len(original) > 1 \
                and self._story:
            target = balanced_height(list(self._story), original, self.pagesize, self.line,
                                     self.page + 1, list(self.placed), self._lent)
            if target is not None:
                self.balance = (self.page + 1, target)
        if self.balance and self.page + 1 == self.balance[0]:
            template.frames = shortened(original, self.balance[1])
        else:
            template.frames = original
        super().handle_pageBegin()
        self.heights[self.page] = [f._height for f in template.frames]

    def handle_frameEnd(self, resume: int = 0) -> None:
        self.record()
        super().handle_frameEnd(resume)

    def record(self) -> None:
        """Note how far down the current frame the text went."""
        frame = self.frame
        self.used.setdefault(self.page, []).append(frame._y2 - frame._y)

    def afterFlowable(self, flowable: Any) -> None:
        """The page inspection's one hook: where the flowable just drawn landed."""
        placed = record_placed(self.page, self.frame, flowable)
        if placed is not None:
            self.placed.append(placed)


def shortened(frames: list[Frame], height: float | None,
              kind: type[Frame] = Column) -> list[Frame]:
    """New frames like `frames` (fresh, with their state), `height` tall from the same top;
    `height` None keeps theirs."""
    return [kind(f._x1, f._y1 + f._height - (height or f._height), f._width,
                  height or f._height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id=f"{f.id}-balanced" if height else f.id)
            for f in frames]


@dataclass(frozen=True)
class Trial:
    used: list[float]  # text height in each frame begun
    placed: list[Placed]  # where each flowable landed


def balanced(trial: Callable[[float], Trial | None], before: list[Placed],
             used: list[float], full: float, columns: int, line: float) -> float | None:
    """The frame height that makes the last page's columns level; None when it is already
    level, has one column, or no shorter height holds its text.

    `trial(height)` lays the page's text out in frames `height` tall (None: it does not all
    fit; LayoutError: something cannot be shortened). At most eight tries (a trial page
    draws nothing, so a try costs about a millisecond; four left a long pull quote near the
    end of a story with one short column beside two full ones): the even share
    with room for a line that does not break evenly, then more room until the text fits,
    then halfway between the tallest height that did not fit and the shortest that did,
    while the columns are not level. A height that parts a heading or a lead-in from its
    text (`before`: what the pages before hold) does not fit. A remainder shorter than a
    column is spread too.
    """
    if columns < 2 or (len(used) == columns and min(used) > 0.8 * max(used)):
        return None
    share = sum(used) / columns
    best: tuple[float, float] | None = None
    low = share
    targets = [share + line, share + 3 * line, (share + full) / 2]
    for _ in range(TRIES):
        if not targets or targets[0] >= full:
            break
        target = targets.pop(0)
        try:
            laid = trial(target)
        except LayoutError:
            break  # something on that page cannot be shortened: keep the first layout
        if laid is None or stranded([*before, *laid.placed]):
            low = target  # too short: the text ran over, or a heading lost its text
            continue
        ends = (laid.used + [0.0] * columns)[:columns]
        evenness = min(ends) / max(max(ends), 1.0)
        if best is None or evenness > best[0]:
            best = (evenness, target)
        if evenness > 0.6:
            break
        targets = [(low + target) / 2]
    return best[1] if best is not None else None


@dataclass
class Lent:
    """The canvas the pages tried are laid out on: made for a brief's first and lent to the
    next, since nothing is drawn on it and it is never saved."""

    canvas: Any = None


def balanced_height(rest: list[Flowable], frames: list[Frame], pagesize: tuple[float, float],
                    line: float, page: int, before: list[Placed],
                    lent: Lent | None = None) -> float | None:
    """The frame height that balances page `page`, when `rest` (what is left of the story)
    all fits on it; None when it does not fit (not the last page) or no height balances."""
    if _surely_more(rest, frames):
        return None
    lent = lent or Lent()
    try:
        whole = _trial(rest, shortened(frames, None, _TrialFrame), pagesize, page, lent)
    except LayoutError:
        return None
    if whole is None:
        return None
    return balanced(lambda height: _trial(rest, shortened(frames, height, _TrialFrame),
                                          pagesize, page, lent),
                    before, whole.used, min(f._height for f in frames), len(frames), line)


def _surely_more(rest: list[Flowable], frames: list[Frame]) -> bool:
    """True when the story left surely needs more than this page: a lower bound of its
    height, each paragraph's words set end to end and cut into lines of the column's full
    width, exceeds the page's columns. Far cheaper than a trial page, for every page but
    the last; wrong only in saying False, which costs a trial, never a layout."""
    width = max(f._width for f in frames)
    room = sum(f._height for f in frames)
    need = 0.0
    for flowable in rest:
        for paragraph in _paragraphs(flowable):
            need += int(0.9 * _text_width(paragraph) / width) * paragraph.style.leading
            if need > room:
                return True
    return False


def _text_width(paragraph: Paragraph) -> float:
    """The width of a paragraph's text set on one line (a split part's words are not
    counted), kept with the fragments it was measured from: the next page asks again."""
    frags = getattr(paragraph, "frags", ())
    known = paragraph.__dict__.get("_one_line")
    if known is not None and known[0] is frags:
        return known[1]
    width = sum(stringWidth(frag.text, frag.fontName, frag.fontSize) for frag in frags
                if isinstance(getattr(frag, "text", None), str)
                and hasattr(frag, "fontName") and hasattr(frag, "fontSize"))
    paragraph.__dict__["_one_line"] = (frags, width)
    return width


def _paragraphs(flowable: Flowable) -> list[Paragraph]:
    """The paragraphs in a flowable: itself, or those it wraps (tagged, barred, kept)."""
    if isinstance(flowable, Paragraph):
        return [flowable]
    inner = getattr(flowable, "inner", None)
    if inner is not None:
        return _paragraphs(inner)
    content = getattr(flowable, "_content", None)
    return [p for f in content for p in _paragraphs(f)] if content else []


def _not_drawn(*args: Any, **kwargs: Any) -> None:
    pass


class _TrialFrame(Column):
    """A frame that places flowables without drawing them: a trial page is never seen, and
    drawing its text (encoding every line for the PDF) was half of a trial's cost."""

    def _add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:
        flowable.drawOn = _not_drawn  # type: ignore[method-assign]
        try:
            return super()._add(flowable, canv, trySplit)
        finally:
            del flowable.drawOn

    add = _add


class _Overflow(Exception):
    """The trial page is full and story is left: it is not the last page."""


class _TrialPage(BaseDocTemplate):
    """One page laid out on a canvas that is never saved, to see whether the rest fits.

    ReportLab's doc template marks flowables it groups (keepWithNext); those marks are undone
    after the trial, as its multi-pass build undoes them, so the real pass groups the same.
    Placements are recorded under the real page's number, for `stranded`.
    """

    def __init__(self, frames: list[Frame], pagesize: tuple[float, float], page: int,
                 lent: Lent):
        super().__init__(io.BytesIO(), pagesize=pagesize, leftMargin=0, rightMargin=0,
                         topMargin=0, bottomMargin=0, invariant=1)
        self.lent = lent
        self.addPageTemplates([PageTemplate(id="trial", frames=frames)])
        self.edits: list[tuple[Any, ...]] = []
        self._multiBuildEdits = self.edits.append
        self._doSave = 0
        self.number = page
        self.used: list[float] = []
        self.placed: list[Placed] = []

    def _makeCanvas(self, *args: Any, **kwargs: Any) -> Any:
        canvas = self.lent.canvas
        if canvas is None:
            canvas = self.lent.canvas = super()._makeCanvas(*args, **kwargs)
        self.seq = Sequencer()  # as ReportLab's gives each build
        return canvas

    def handle_pageBegin(self) -> None:
        if self.page >= 1:
            raise _Overflow
        super().handle_pageBegin()

    def handle_frameEnd(self, resume: int = 0) -> None:
        self.used.append(self.frame._y2 - self.frame._y)
        super().handle_frameEnd(resume)

    def afterFlowable(self, flowable: Any) -> None:
        placed = record_placed(self.number, self.frame, flowable, detail=False)
        if placed is not None:
            self.placed.append(placed)

    def undo(self) -> None:
        for edit in reversed(self.edits):
            edit[0](*edit[1:])


def _trial(rest: list[Flowable], frames: list[Frame], pagesize: tuple[float, float],
           page: int, lent: Lent) -> Trial | None:
    """`rest` laid out in `frames` as page `page`, or None when it does not all fit."""
    trial = _TrialPage(frames, pagesize, page, lent)
    try:
        trial.build(list(rest))
    except _Overflow as full:
        full.__traceback__ = None  # its frames, one of which holds it: a cycle
        return None
    finally:
        trial.undo()
        trial._nameSpace.clear()  # ReportLab's dict(doc=self): a cycle
    trial.used.append(trial.frame._y2 - trial.frame._y)  # the frame ends with the build
    return Trial(trial.used, trial.placed)
