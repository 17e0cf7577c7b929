"""Page templates and what is drawn on every page: rectangles, rules, header and footer text,
and on the first page the fitted slots.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.platypus import PageTemplate

from briefs.layout.model import Template
from briefs.render.balance import Column
from briefs.render.context import Context
from briefs.render.furniture import LineText, fitted
from briefs.render.slots import FittedSlot, draw_slot
from briefs.text import fill as fill_pattern


def _page_decorator(ctx: Context, template: Template,
                    slots: list[FittedSlot]) -> Callable[[Any, Any], None]:
    width, height = ctx.layout.page_size
    # every placeholder's value but the page number is the same on every page
    common = {**ctx.values, "eyebrow": fill_pattern(ctx.layout.labels.eyebrow, ctx.values)}

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        for rect in template.rects:
            canvas.setFillColor(rect.fill)
            canvas.rect(rect.left, height - rect.top - rect.height, rect.width, rect.height,
                        stroke=0, fill=1)
        for rule in template.rules:
            canvas.setStrokeColor(rule.color)
            canvas.setLineWidth(rule.width)
            canvas.line(rule.x1, height - rule.y1, rule.x2, height - rule.y2)
        values = {**common, "page": str(doc.page)}
        placed = []
        for item in template.texts:
            style = ctx.styles[item.style.name]
            text = fill_pattern(item.text, values)
            if item.style.name in ctx.styles.upper:
                text = text.upper()
            placed.append(LineText(item.x, item.y, item.align, text, style.fontName,
                                   style.fontSize))
        # a long running header steps its type down rather than run over the year beside it
        for item, (text, size) in zip(template.texts, fitted(placed, width), strict=True):
            style = ctx.styles[item.style.name]
            canvas.setFont(style.fontName, size)
            canvas.setFillColor(style.textColor)
            draw = {"left": canvas.drawString, "right": canvas.drawRightString,
                    "center": canvas.drawCentredString}[item.align]
            draw(item.x, height - item.y, text)
        canvas.restoreState()
        if doc.page == 1:
            for slot in slots:
                draw_slot(canvas, slot, height)

    return decorate


def page_templates(ctx: Context, slots: list[FittedSlot]) -> list[PageTemplate]:
    """ReportLab's page templates, the layout's first page's template first."""
    layout = ctx.layout
    _, height = layout.page_size
    first = layout.page.first
    templates = []
    for name, tpl in layout.templates.items():
        frames = [Column(f.left, height - f.top - f.height, f.width, f.height,
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                        id=f"{name}{i}") for i, f in enumerate(tpl.frames)]
        mine = slots if name == first else []
        templates.append(PageTemplate(id=name, frames=frames,
                                      onPage=_page_decorator(ctx, tpl, mine),
                                      autoNextPageTemplate=tpl.next or name))
    templates.sort(key=lambda t: t.id != first)
    return templates
