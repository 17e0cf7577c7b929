"""Lengths and colours as layout files write them.

Designers think in millimetres and hex colours; ReportLab works in points. Parsing lives here
so that every layout key of a given kind accepts the same spellings.
"""

from __future__ import annotations

import re

POINTS_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
PAGE_SIZES = {"A4": (210, 297), "A5": (148, 210), "A3": (297, 420), "LETTER": (215.9, 279.4),
              "LEGAL": (215.9, 355.6)}


def parse_length(value: object) -> float | None:
    """Points from '12mm', '9.5pt', '1in', or a bare number (points); None when not a length."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = LENGTH.match(value)
        if match:
            return float(match.group(1)) * POINTS_PER[match.group(2) or "pt"]
    return None


def parse_color(value: object) -> str | None:
    """A normalised '#rrggbb', or None when the value is not a hex colour."""
    if not isinstance(value, str) or not HEX.match(value.strip()):
        return None
    text = value.strip().lower()
    if len(text) == 4:
        text = "#" + "".join(c * 2 for c in text[1:])
    return text


def page_size(value: object) -> tuple[float, float] | None:
    """(width, height) in points from a name such as A4 or a [width, height] pair."""
    if isinstance(value, str) and value.upper() in PAGE_SIZES:
        w, h = PAGE_SIZES[value.upper()]
        return w * POINTS_PER["mm"], h * POINTS_PER["mm"]
    if isinstance(value, list) and len(value) == 2:
        w, h = (parse_length(v) for v in value)
        if w and h and w > 0 and h > 0:
            return w, h
    return None
