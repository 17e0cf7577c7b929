"""The layout's colours against the WCAG 2.1 limits, checked once per layout.

Text needs a contrast of at least 4.5:1 with what it is set on (success criterion 1.4.3),
the chart's bars and slices at least 3:1 with the chart's background (1.4.11, non-text
contrast), and the channels' colours must be told apart from one another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefs.layout.model import Layout, Placement, Style, Template, hex_color
from briefs.render.inspect import Finding

TEXT = 4.5
GRAPHICS = 3.0
DISTINCT = 18.0  # CIE76 colour difference two chart colours must keep
WHITE = "#ffffff"


def luminance(color: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _lab(color: str) -> tuple[float, float, float]:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def difference(one: str, two: str) -> float:
    """CIE76 ΔE between two colours: about 2 is just noticeable, 18 plainly different."""
    a, b = _lab(one), _lab(two)
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def _hex(value: Any) -> str:
    return hex_color(value) or WHITE


def _named(layout: Layout, colour: str) -> str:
    """'pale, #c9cff5' when the palette names the colour, else '#c9cff5'."""
    names = [n for n, c in layout.palette.items() if _hex(c) == colour]
    return f"{names[0]}, {colour}" if names else colour


def text_backgrounds(layout: Layout) -> Iterable[tuple[str, Style, str]]:
    """(where, style, background) for every place the layout sets text."""
    for template in layout.templates.values():
        for item in template.texts:
            yield (f"templates.{template.name}.texts ('{item.text}')", item.style,
                   _under(template, item.x, item.y))
        for slot in template.slots.values():
            back = _hex(slot.fill) if slot.fill is not None else \
                _under(template, slot.left, slot.top + slot.height / 2)
            styles = (layout.styles["title"], layout.styles["subtitle"]) \
                if slot.content == "title" else tuple(
                    s for place in _placements(layout)
                    if place.slot is not None and place.slot.name == slot.name
                    for s in (place.heading, place.body))
            for style in styles:
                yield f"templates.{template.name}.slots.{slot.name}", style, back
    for cls, place in zip(PLACES, _placements(layout), strict=True):
        if place.slot is None:
            back = _hex(place.shade) if place.shade is not None else WHITE
            for style in (place.heading, place.body):
                yield f"sections.{cls}", style, back
    for name in ("chart", "funding", "list", "quote", "attribution"):
        if name in layout.styles:
            yield f"styles.{name}", layout.styles[name], WHITE


PLACES = ("intro", "story", "box", "partner-countries", "key-partners", "contributions")


def _placements(layout: Layout) -> list[Placement]:
    return [layout.sections.of(cls) for cls in PLACES]


def _under(template: Template, x: float, top: float) -> str:
    """The colour of the last rectangle of `template` drawn under the point, else white."""
    colour = WHITE
    for rect in template.rects:
        if rect.left <= x <= rect.left + rect.width and \
                rect.top <= top <= rect.top + rect.height:
            colour = _hex(rect.fill)
    return colour


def layout_findings(layout: Layout) -> list[Finding]:
    """Every colour of `layout` below its limit, each named by the layout key to change."""
    found: dict[str, Finding] = {}
    for where, style, back in text_backgrounds(layout):
        colour = hex_color(style.color) or "#000000"
        ratio = contrast(colour, back)
        if ratio < TEXT - 1e-9:
            found.setdefault(f"{style.name}{back}", Finding(None, "contrast", (
                f"styles.{style.name} ({colour}) on {back} in {where} has a contrast of "
                f"{ratio:.2f}:1, under {TEXT}:1 for text — choose a darker or lighter "
                "colour")))
    chart = layout.chart
    colours = {**{code: _hex(c) for code, c in chart.colors.items()},
               **{f"series {i + 1}": _hex(c) for i, c in enumerate(chart.series)}}
    for key, colour in colours.items():
        ratio = contrast(colour, WHITE)
        if ratio < GRAPHICS - 1e-9:
            found[key] = Finding(None, "contrast", (
                f"chart colour {key} ({_named(layout, colour)}) has a contrast of "
                f"{ratio:.2f}:1 against the white chart, under {GRAPHICS}:1 — choose a "
                "darker colour"))
    series = list(dict.fromkeys(colours[k] for k in colours if k.startswith("series")))
    for index, one in enumerate(series):
        for two in series[index + 1:]:
            if difference(one, two) < DISTINCT:
                found[one + two] = Finding(None, "contrast", (
                    f"chart.series colours {one} and {two} are too alike to tell apart — "
                    "choose colours further apart"))
    return list(found.values())
