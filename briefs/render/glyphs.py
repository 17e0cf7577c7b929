"""Characters a brief's text holds that its layout's font cannot print as written.

ReportLab draws a character the font lacks as an empty box, and draws right-to-left scripts
(Arabic, Hebrew) unshaped and left to right; control characters print as boxes in charts and
raw in the PDF's title. `check` reports each with its line, so no one finds them on paper.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from briefs.layout.model import Layout

_RIGHT_TO_LEFT = ("R", "AL")
_ALLOWED_CONTROLS = "\t\n\r"


def font_cmap(layout: Layout) -> tuple[str, frozenset[int]]:
    """The body text font's name and the code points it has glyphs for."""
    from reportlab.pdfbase.pdfmetrics import getFont

    from briefs.render.fonts import register_file

    font = layout.styles["body"].font
    return font.name, frozenset(getFont(register_file(font.regular)).face.charToGlyph)


def unprintable(lines: list[str], family: str,
                cmap: frozenset[int]) -> Iterator[tuple[int, str]]:
    """(line number, what is wrong) for the first unprintable character of each kind per line."""
    for number, line in enumerate(lines, start=1):
        said: set[str] = set()
        for char in line:
            why = _why(char, family, cmap)
            kind = why.split(" ", 1)[0] if why else ""
            if why and kind not in said:
                said.add(kind)
                yield number, why


def _why(char: str, family: str, cmap: frozenset[int]) -> str:
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cc":
        if char in _ALLOWED_CONTROLS:
            return ""
        return f"control character {code} — remove it (it prints as a box or raw)"
    if unicodedata.bidirectional(char) in _RIGHT_TO_LEFT:
        return (f"right-to-left text '{char}' ({code}) prints unshaped and left to right — "
                "write the name in Latin letters")
    if ord(char) not in cmap and not char.isspace() and unicodedata.category(char) != "Cf":
        return (f"character '{char}' ({code}, {unicodedata.name(char, 'unnamed')}) is not in "
                f"the layout's font '{family}' and prints as an empty box — write it in Latin "
                "letters, or use a layout whose font has it")
    return ""
