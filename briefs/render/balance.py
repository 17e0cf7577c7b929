"""Balancing the columns of the last page, in the one layout pass that writes the PDF.

When a page with several columns begins, what is left of the story is laid out on a trial
page that is never written (`_TrialPage`): if it all fits, this is the last page, and shorter
frame heights are tried the same way until one holds it all with its columns level. The page
is then laid out with those frames, once, for real. Only the last page is laid out again,
never the whole brief, and PDF bytes are written once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError


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
        self._originals: dict[str, list[Frame]] = {}
        self._story: list[Flowable] | None = None

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        self._story = flowables  # the list build consumes: at a page's start, what is left
        super().build(flowables, *args, **kwargs)

    def handle_pageBegin(self) -> None:
        template = self.pageTemplate
        original = self._originals.setdefault(template.id, template.frames)
        if self.line and self.balance is None and self.page >= 1 and len(original) > 1 \
                and self._story:
            target = balanced_height(list(self._story), original, self.pagesize, self.line)
            if target is not None:
                self.balance = (self.page + 1, target)
        if self.balance and self.page + 1 == self.balance[0]:
            template.frames = shortened(original, self.balance[1])
        else:
            template.frames = original
        super().handle_pageBegin()

    def handle_frameEnd(self, resume: int = 0) -> None:
        self.record()
        super().handle_frameEnd(resume)

    def record(self) -> None:
        """Note how far down the current frame the text went."""
        frame = self.frame
        self.used.setdefault(self.page, []).append(frame._y2 - frame._y)


def shortened(frames: list[Frame], height: float | None) -> list[Frame]:
    """New frames like `frames` (fresh, with their state), `height` tall from the same top."""
    return [Frame(f._x1, f._y1 + f._height - (height or f._height), f._width,
                  height or f._height, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id=f"{f.id}-balanced" if height else f.id)
            for f in frames]


def balance_targets(used: list[float], full: float, columns: int,
                    line: float) -> list[float]:
    """The frame heights worth trying on the last page, shortest first; none when the page
    is already level or its text would not fill one column.

    At most two tries: the even share with room for a few lines that do not break evenly,
    then halfway to the full height. A remainder shorter than one column stays one column:
    cut into thirds it would strand headings and split short paragraphs.
    """
    level = len(used) == columns and min(used) > 0.8 * max(used)
    if columns < 2 or level or sum(used) < full:
        return []
    even = sum(used) / columns + 3 * line
    return [even, (even + full) / 2] if even < full else []


def balanced_height(rest: list[Flowable], frames: list[Frame], pagesize: tuple[float, float],
                    line: float) -> float | None:
    """The frame height that balances this page, when `rest` (what is left of the story)
    all fits on it; None when it does not fit (not the last page) or no height balances."""
    if _surely_more(rest, frames):
        return None
    whole = _trial(rest, shortened(frames, None), pagesize)
    if whole is None:
        return None
    for target in balance_targets(whole.used, min(f._height for f in frames), len(frames),
                                  line):
        if _trial(rest, shortened(frames, target), pagesize) is not None:
            return target
    return None


def _surely_more(rest: list[Flowable], frames: list[Frame]) -> bool:
    """True when the story left surely needs more than this page: a lower bound of its
    height, each paragraph's words set end to end and cut into lines of the column's full
    width, exceeds the page's columns. Far cheaper than a trial page, for every page but
    the last; wrong only in saying False, which costs a trial, never a layout."""
    width = max(f._width for f in frames)
    room = sum(f._height for f in frames)
    need = 0.0
    for paragraph in (p for f in rest for p in _paragraphs(f)):
        text = sum(stringWidth(frag.text, frag.fontName, frag.fontSize)
                   for frag in getattr(paragraph, "frags", ())  # a split part's differ
                   if isinstance(getattr(frag, "text", None), str)
                   and hasattr(frag, "fontName") and hasattr(frag, "fontSize"))
        need += int(0.9 * text / width) * paragraph.style.leading
        if need > room:
            return True
    return False


def _paragraphs(flowable: Flowable) -> list[Paragraph]:
    """The paragraphs in a flowable: itself, or those it wraps (tagged, barred, kept)."""
    if isinstance(flowable, Paragraph):
        return [flowable]
    inner = getattr(flowable, "inner", None)
    content = [inner] if inner is not None else getattr(flowable, "_content", None) or []
    return [p for f in content for p in _paragraphs(f)]


@dataclass(frozen=True)
class Trial:
    used: list[float]  # text height in each frame begun


class _Overflow(Exception):
    """The trial page is full and story is left: it is not the last page."""


class _TrialPage(BaseDocTemplate):
    """One page laid out on a canvas that is never saved, to see whether the rest fits.

    ReportLab's doc template marks flowables it groups (keepWithNext); those marks are undone
    after the trial, as its multi-pass build undoes them, so the real pass groups the same.
    """

    def __init__(self, frames: list[Frame], pagesize: tuple[float, float]):
        super().__init__(io.BytesIO(), pagesize=pagesize, leftMargin=0, rightMargin=0,
                         topMargin=0, bottomMargin=0, invariant=1)
        self.addPageTemplates([PageTemplate(id="trial", frames=frames)])
        self.edits: list[tuple[Any, ...]] = []
        self._multiBuildEdits = self.edits.append
        self._doSave = 0
        self.used: list[float] = []

    def handle_pageBegin(self) -> None:
        if self.page >= 1:
            raise _Overflow
        super().handle_pageBegin()

    def handle_frameEnd(self, resume: int = 0) -> None:
        self.used.append(self.frame._y2 - self.frame._y)
        super().handle_frameEnd(resume)

    def undo(self) -> None:
        for edit in reversed(self.edits):
            edit[0](*edit[1:])


def _trial(rest: list[Flowable], frames: list[Frame],
           pagesize: tuple[float, float]) -> Trial | None:
    """The text heights of `rest` laid out in `frames`, or None when it does not all fit."""
    page = _TrialPage(frames, pagesize)
    try:
        page.build(list(rest))
    except (_Overflow, LayoutError):
        return None
    finally:
        page.undo()
    page.used.append(page.frame._y2 - page.frame._y)  # the frame ends with the build
    return Trial(page.used)
