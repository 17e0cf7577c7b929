"""Running headers and footers fitted to their line: nothing overprints, nothing leaves the page.

A header such as "{title} – {subtitle}" at the left and "{edition}" at the right shares one
line; a long title would run over the year and off the page. Each text gets the room between
its position and its neighbour on the same line (or the page's margin); its type steps down
to fit, to at most MIN_SCALE, and only then is it shortened with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

MIN_SCALE = 0.75
GAP = 8.0  # points kept between two texts of one line


@dataclass(frozen=True)
class LineText:
    """One text of a template, placed: x, its alignment and its baseline (from the top)."""

    x: float
    y: float
    align: str  # left, right or center
    text: str
    font: str
    size: float


def _extent(item: LineText, width: float) -> tuple[float, float]:
    if item.align == "left":
        return item.x, item.x + width
    if item.align == "right":
        return item.x - width, item.x
    return item.x - width / 2, item.x + width / 2


def fitted(items: Sequence[LineText], page_width: float) -> list[tuple[str, float]]:
    """(text, font size) for each item, in order, so that none overlaps another of its line
    or runs past the page's margins (taken as the smallest left position used).

    The shortest texts are fitted first and keep their size: a long title yields to the
    edition year beside it, never the other way round.
    """
    margin = min((i.x for i in items if i.align == "left"), default=0.0)
    done: dict[int, tuple[str, float, tuple[float, float]]] = {}
    order = sorted(range(len(items)), key=lambda k: len(items[k].text))
    for index in order:
        item = items[index]
        left, right = margin, page_width - margin
        anchor = _extent(item, 0.0)[0]
        for other, (_, _, (o_left, o_right)) in ((items[k], v) for k, v in done.items()):
            if abs(other.y - item.y) > item.size:
                continue
            if o_left >= anchor:
                right = min(right, o_left - GAP)
            else:
                left = max(left, o_right + GAP)
        room = (right - item.x if item.align == "left" else item.x - left
                if item.align == "right" else 2 * min(item.x - left, right - item.x))
        natural = stringWidth(item.text, item.font, item.size)
        text, size = _fit(item, natural, max(room, 0.0))
        done[index] = (text, size, _extent(item, stringWidth(text, item.font, size)))
    return [done[k][:2] for k in range(len(items))]


def _fit(item: LineText, natural: float, room: float) -> tuple[str, float]:
    if natural <= room:
        return item.text, item.size
    scale = max(MIN_SCALE, room / natural)
    size = item.size * scale
    text = item.text
    while len(text) > 1 and stringWidth(text, item.font, size) > room:
        text = text[:-2].rstrip() + "…"
    return text, size
