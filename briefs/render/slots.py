"""Slots: fixed boxes (the title band, the side box) filled with text that must fit.

A slot's text is laid out at the largest type scale that fits, down to the slot's
`min_scale`; text that still does not fit is reported to the user, never cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, Frame

from briefs.errors import Problem, UserError
from briefs.layout.model import Slot
from briefs.render.tagging import StructElem

SCALE_STEP = 0.025


def _measure(flows: Sequence[Flowable], width: float, height: float) -> float:
    total = 0.0
    for index, flow in enumerate(flows):
        _, h = flow.wrap(width, height)
        total += h
        if index:
            total += flow.getSpaceBefore()
        if index < len(flows) - 1:
            total += flow.getSpaceAfter()
    return total


@dataclass
class FittedSlot:
    slot: Slot
    flows: list[Flowable]
    height: float  # of the text
    scale: float
    tags: StructElem  # the structure elements of the text at the scale that fits

    @property
    def name(self) -> str:
        return self.slot.name


def fit_slot(slot: Slot, make: Callable[[float], tuple[list[Flowable], StructElem]],
             where: tuple[str, int | None], who: str, holds: str) -> FittedSlot:
    """Lay the slot's text out at the largest scale that fits; never cut it.

    `make` gives the flowables at a scale and the element holding their structure elements:
    only the elements of the scale that fits are kept."""
    width = slot.width - 2 * slot.padding
    height = slot.height - 2 * slot.padding
    scale = 1.0
    floor = slot.min_scale if slot.fit == "shrink" else 1.0
    while True:
        flows, tags = make(scale)
        used = _measure(flows, width, height)
        if used <= height + 0.01:
            return FittedSlot(slot, flows, used, scale, tags)
        if scale - SCALE_STEP < floor - 1e-9:
            break
        scale = round(scale - SCALE_STEP, 4)
    lines = used - height
    body = flows[-1].style.leading if flows and hasattr(flows[-1], "style") else 12
    message = (f"{who}: the '{slot.name}' slot overflows by {lines:.1f}pt (about "
               f"{max(1, round(lines / body))} lines)")
    message += f" even at {round(floor * 100)}% type size" if slot.fit == "shrink" else ""
    message += f"; it holds {holds} — shorten that text or give the slot more room"
    raise UserError([Problem(where[0], message, line=where[1])])


def draw_slot(canvas: Any, fitted: FittedSlot, page_height: float) -> None:
    slot = fitted.slot
    x, w, h = slot.left, slot.width, slot.height
    y = page_height - slot.top - h
    if slot.fill is not None:
        canvas.saveState()
        canvas.setFillColor(slot.fill)
        canvas.rect(x, y, w, h, stroke=0, fill=1)
        canvas.restoreState()
    pad = slot.padding
    free = h - 2 * pad - fitted.height
    offset = {"top": 0.0, "middle": free / 2, "bottom": free}[slot.valign]
    frame = Frame(x + pad, y + pad, w - 2 * pad, h - 2 * pad - offset, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList(list(fitted.flows), canvas)
