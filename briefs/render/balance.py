"""Balancing the columns of the last page: a doc template that can shorten one page's frames.

It records how far down each frame of the last page the text went; a second pass gives that
page frames of equal, shorter height so its columns end level.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Frame
from reportlab.platypus.doctemplate import BaseDocTemplate


class BalancingDocument(BaseDocTemplate):
    """A doc template that can shorten the frames of one page, to balance its columns."""

    def __init__(self, *args: Any, balance: tuple[int, float] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.balance = balance  # (page, frame height) to impose
        self.used: dict[int, list[float]] = {}  # page -> text height in each frame begun
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

    def handle_frameEnd(self, resume: int = 0) -> None:
        self.record()
        super().handle_frameEnd(resume)

    def record(self) -> None:
        """Note how far down the current frame the text went."""
        frame = self.frame
        self.used.setdefault(self.page, []).append(frame._y2 - frame._y)


def balance_targets(used: list[float], full: float, columns: int,
                    line: float) -> list[float]:
    """The frame heights worth trying on the last page, shortest first; none when the page
    is already level or its text would not fill one column.

    At most two tries: the even share with room for a few lines that do not break evenly,
    then halfway to the full height; each try is a whole layout pass. A remainder shorter
    than one column stays one column: cut into thirds it would strand headings and split
    short paragraphs.
    """
    level = len(used) == columns and min(used) > 0.8 * max(used)
    if columns < 2 or level or sum(used) < full:
        return []
    even = sum(used) / columns + 3 * line
    return [even, (even + full) / 2] if even < full else []
