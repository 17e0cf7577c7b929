"""Balancing the columns of the last page: a doc template that can shorten one page's frames.

It records how far down each frame of the last page the text went; a second pass gives that
page frames of equal, shorter height so its columns end level.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import Frame
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefs.render.inspect import Placed, stranded
from briefs.render.inspect import record as record_placed


class BalancingDocument(BaseDocTemplate):
    """A doc template that can shorten the frames of one page, to balance its columns."""

    def __init__(self, *args: Any, balance: tuple[int, float] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.balance = balance  # (page, frame height) to impose
        self.used: dict[int, list[float]] = {}  # page -> text height in each frame begun
        self.heights: dict[int, list[float]] = {}  # page -> height of each of its frames
        self.placed: list[Placed] = []  # where each flowable landed, for the inspection
        self._originals: dict[str, list[Frame]] = {}

    def handle_pageBegin(self) -> None:
        template = self.pageTemplate
        original = self._originals.setdefault(template.id, template.frames)
        if self.balance and self.page + 1 == self.balance[0]:
            target = self.balance[1]
            template.frames = [
                Frame(f._x1, f._y1 + f._height - target, f._width, target, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id=f"{f.id}-balanced")
                for f in original]
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


def balanced(render: Callable[[float], tuple[bytes, BalancingDocument]], page: int,
             used: list[float], full: float, columns: int,
             line: float) -> tuple[bytes, BalancingDocument] | None:
    """The last page laid out again with shorter, equal columns; None when it is already
    level, has one column, or no shorter height keeps the page count.

    `render(height)` lays the whole brief out with that page's frames `height` tall. At most
    four tries, each a whole layout pass: the even share with room for a line that does not
    break evenly, then more room until the text fits the page, then halfway between the
    tallest height that did not fit and the shortest that did, while the columns are not
    level. A height that parts a heading or a lead-in from its text does not fit. A
    remainder shorter than a column is spread too.
    """
    if columns < 2 or (len(used) == columns and min(used) > 0.8 * max(used)):
        return None
    share = sum(used) / columns
    best: tuple[float, bytes, BalancingDocument] | None = None
    low = share
    targets = [share + line, share + 3 * line, (share + full) / 2]
    for _ in range(4):
        if not targets or targets[0] >= full:
            break
        target = targets.pop(0)
        try:
            candidate, trial = render(target)
        except LayoutError:
            break  # something on that page cannot be shortened: keep the first layout
        if trial.page != page or stranded(trial.placed):
            low = target  # too short: the text ran over, or a heading lost its text
            continue
        ends = (trial.used.get(page, []) + [0.0] * columns)[:columns]
        evenness = min(ends) / max(max(ends), 1.0)
        if best is None or evenness > best[0]:
            best = (evenness, candidate, trial)
        if evenness > 0.6:
            break
        targets = [(low + target) / 2]
    return (best[1], best[2]) if best is not None else None
