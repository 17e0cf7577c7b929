"""Registering a layout's TrueType families with ReportLab.

ReportLab keeps fonts in a process-wide registry. Names are derived from the file so the same
file is registered once per process however many briefs use it, and two different files never
share a name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefs.errors import Problem, UserError
from briefs.layout.model import FontFamily

FACES = ("regular", "bold", "italic", "bold_italic")
_registered: dict[str, str] = {}  # font file path -> ReportLab name


@dataclass(frozen=True)
class Family:
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.bold_italic
        return self.bold if bold else self.italic if italic else self.regular


def register_file(path: str) -> str:
    """The ReportLab name of a TrueType file, registering it on first use."""
    if path in _registered:
        return _registered[path]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = Path(path).stem
    if name in pdfmetrics.getRegisteredFontNames() or name in _registered.values():
        name = f"{name}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"
    try:
        font = TTFont(name, path)
    except Exception as exc:  # ReportLab's TTFError, or whatever a damaged file provokes
        raise UserError([Problem(path, "is not a usable TrueType font "
                                 f"({type(exc).__name__}) — use another .ttf file")]) from exc
    pdfmetrics.registerFont(font)
    _registered[path] = name
    return name


def register_families(fonts: dict[str, FontFamily]) -> dict[str, Family]:
    """Register every face of every family and tie them together for <b> and <i>."""
    from reportlab.lib.fonts import addMapping

    families = {}
    for key, faces in fonts.items():
        names = {face: register_file(getattr(faces, face)) for face in FACES}
        family = Family(**names)
        addMapping(family.regular, 0, 0, family.regular)
        addMapping(family.regular, 1, 0, family.bold)
        addMapping(family.regular, 0, 1, family.italic)
        addMapping(family.regular, 1, 1, family.bold_italic)
        families[key] = family
    return families
