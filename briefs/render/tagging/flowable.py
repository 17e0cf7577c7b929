"""A flowable wrapper that tells the tagging canvas which element it is drawing.

The wrapper is transparent to layout: it measures, splits and keeps-with-next exactly as the
flowable it wraps, so tagging cannot change how a brief looks. When the wrapped flowable is
split (a paragraph across a column break) every piece keeps the element, so the paragraph is
one P with content on both pages.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from reportlab.platypus import Flowable

from briefs.render.tagging.tree import StructElem


class Tagged(Flowable):
    """Draw `inner` as `element`.

    `parts` sends successive text objects to sub-elements (a bulleted paragraph: its label,
    then its body); `figure` makes everything drawn, shapes included, the element's content;
    `outline` = (text, level) makes a bookmark where the element starts.
    """

    def __init__(self, inner: Flowable, element: StructElem,
                 parts: tuple[StructElem, ...] = (), figure: bool = False,
                 outline: tuple[str, int] | None = None):
        super().__init__()
        self.inner = inner
        self.element = element
        self.parts = parts
        self.figure = figure
        self.outline = outline
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    # --- layout: all the wrapped flowable's --------------------------------------------------
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        canv = getattr(self, "canv", None)
        if canv is None:
            self.width, self.height = self.inner.wrap(availWidth, availHeight)
        else:  # with the canvas the frame lent this wrapper, as the frame would lend it
            self.width, self.height = self.inner.wrapOn(canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        canv = getattr(self, "canv", None)
        pieces = self.inner.split(availWidth, availHeight) if canv is None \
            else self.inner.splitOn(canv, availWidth, availHeight)
        # only the first piece carries a list item's label; the rest is its body
        rest = self.parts[-1:]
        return [Tagged(p, self.element, self.parts if i == 0 else rest, self.figure,
                       self.outline if i == 0 else None) for i, p in enumerate(pieces)]

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()

    def getKeepWithNext(self) -> bool:
        if "keepWithNext" in self.__dict__:  # set by the doc template when it groups
            return self.__dict__["keepWithNext"]
        return self.inner.getKeepWithNext()

    def minWidth(self) -> float:
        return self.inner.minWidth()

    def identity(self, maxLen: int | None = None) -> str:
        return f"Tagged({self.element.role}, {self.inner.identity(maxLen)})"

    @property
    def style(self) -> Any:
        """The wrapped paragraph's style, which measuring code reads (leading, spaceAfter)."""
        return self.inner.style

    # --- drawing --------------------------------------------------------------------------------
    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        if not hasattr(canvas, "tag"):  # a plain canvas (measuring, previews of parts)
            self.inner.drawOn(canvas, x, y, _sW)
            return
        if self.outline is not None:
            canvas.bookmark(self.element, self.outline[0], self.outline[1], y + self.height)
        with canvas.tag(self.element, self.parts), \
                canvas.figure(self.element) if self.figure else nullcontext():
            self.inner.drawOn(canvas, x, y, _sW)
