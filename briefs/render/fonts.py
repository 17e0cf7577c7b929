"""Registering a layout's TrueType families with ReportLab.

ReportLab keeps fonts in a process-wide registry. Names are derived from the file so the same
file is registered once per process however many briefs use it, and two different files never
share a name.

What a brief embeds of each face is trimmed (`CompactFont`): the font program is most of a
brief's bytes, and ReportLab's subsets carry two things no reader of the PDF uses. Each face
is read in bulk (`briefs.render.facereader.BulkFace`), not number by number as ReportLab
reads it.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary, ref

from briefs.errors import Problem, UserError
from briefs.layout.model import FontFamily
from briefs.render.facereader import BulkFace

FACES = ("regular", "bold", "italic", "bold_italic")
WIDTHS_KEPT = 4096  # words' widths kept a face: under 1 MB; a brief adds ~100 names and sums
WORD = 30  # characters: longer strings measured are lines, each measured once
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


# what an embedded subset's naming table keeps: copyright, family, style, full and PostScript
# names; the licence text and the other records (a third of a DejaVu subset) are left out
_NAMES_KEPT = frozenset({0, 1, 2, 4, 6})


def short_name_table(table: bytes) -> bytes:
    """A TrueType naming table (format 0) with only the records of `_NAMES_KEPT`.

    PDF readers never need a subset's naming table (ISO 32000-1, 9.9, lists the tables a
    TrueType program in a PDF needs; `name` is not one); the copyright and the names stay so
    the embedded program still says what it is. A table this cannot read is kept as it is.
    """
    if len(table) < 6 or struct.unpack_from(">H", table)[0] != 0:
        return bytes(table)
    count, strings = struct.unpack_from(">HH", table, 2)
    records = [struct.unpack_from(">6H", table, 6 + 12 * i) for i in range(count)]
    head, data = bytearray(), bytearray()
    kept = 0
    for platform, encoding, language, name_id, length, offset in records:
        if name_id in _NAMES_KEPT:
            text = table[strings + offset: strings + offset + length]
            head += struct.pack(">6H", platform, encoding, language, name_id, len(text),
                                len(data))
            data += text
            kept += 1
    return struct.pack(">3H", 0, kept, 6 + 12 * kept) + bytes(head) + bytes(data)


class _NewCharacter(Exception):
    """A character `SubsetCodes` has no code for yet (not a LookupError, so that
    `str.translate` stops instead of keeping the character as it is)."""


class SubsetCodes(dict[int, str]):
    """One font's codes in one document, as `str.translate` takes them: each character drawn
    so far (its ordinal) to its code in the font's subsets, as a one-character string.

    ReportLab's `TTFont.splitString` gives a new character the next free code and looks up
    every other in a loop in Python, for each of the ~500 strings a brief draws. After a
    few paragraphs nearly every string is made of characters already coded: translated
    here, at C speed, into the same bytes. A new character, or a character of a second
    subset (a code of 256 or more), leaves the string to ReportLab, and the codes it gave
    are learnt. Its keys are also the characters the document drew (`CompactFont.addObjects`).
    """

    def __missing__(self, char: int) -> str:
        raise _NewCharacter

    def split(self, text: str) -> list[tuple[int, bytes]] | None:
        """`text` as ReportLab's splitString gives it, when every character has a code in
        the first subset; None otherwise."""
        try:
            return [(0, text.translate(self).encode("latin-1"))] if text else []
        except (_NewCharacter, UnicodeEncodeError):
            return None

    def learn(self, text: str, assignments: dict[int, int]) -> None:
        """The codes ReportLab's splitString has just used for `text`: a no-break space is
        drawn as a space, and a character the font lacks as code 0 (.notdef)."""
        for char in set(text):
            code = ord(char)
            self[code] = chr(assignments.get(32 if code == 0xA0 else code, 0))


def written_widths(doc: Any, names: list[str]) -> None:
    """The /Widths of the font dictionaries `names` written as bytes now, as ReportLab's
    PDFArray would write them when the file is formatted: a brief's fonts have some 500
    widths, each formatted on its own there, by C's fp_str in one call for ten here.
    Left to ReportLab when its arrays are set to a line per item (rl_config.pdfMultiLine).
    """
    from reportlab import rl_config
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfdoc import PDFArray

    from briefs.render.tagging.writer import Written

    fonts = doc.idToObject["BasicFonts"].dict
    for name in names:
        font = fonts.get(name)
        widths = getattr(font, "Widths", None)
        if not isinstance(widths, PDFArray) or rl_config.pdfMultiLine:
            continue
        items = widths.sequence
        rows = [fp_str(*items[at:at + 10]).encode() for at in range(0, len(items), 10)]
        font.Widths = Written(b"[ " + b" \n  ".join(rows) + b" ]")


def _compact_font(name: str, path: str) -> Any:
    """ReportLab's TrueType font for `path`, whose subsets embed only what a brief draws."""
    from fnmatch import fnmatch

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace, unShapedFontGlob

    class CompactFace(BulkFace, TTFontFace):
        """A face whose subsets carry a short naming table (`short_name_table`), and whose
        font dictionaries give the codes no text uses (those of glyph 0) the width 0: one
        byte each in /Widths instead of 8 ('600.0977'), and no content ever shows them.
        Its character tables are read in bulk (`BulkFace`), not number by number."""

        _name_table: bytes | None = None

        def getCharWidth(self, code: int) -> float:
            return 0 if code == 0 else super().getCharWidth(code)

        def get_table(self, tag: str) -> bytes:
            if tag != "name":
                return super().get_table(tag)
            if self._name_table is None:
                self._name_table = short_name_table(super().get_table(tag))
            return self._name_table

    class CompactFont(TTFont):
        """A font whose subsets hold only the glyphs a document draws.

        ReportLab reserves codes 32–127 of the first subset for ASCII (so content streams
        stay readable) and embeds all 96 glyphs even when a face draws five letters; here
        the codes stay, and those never drawn point, as codes 0–31 already do, at glyph 0
        (.notdef), with no text. Other characters get a code only when drawn, so they need
        no check.
        """

        def __init__(self, name: str, path: str):
            # TTFont.__init__, with the face above instead of ReportLab's
            self.fontName = name
            self.face = CompactFace(path)
            self.encoding = TTEncoding()
            self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
            self._asciiReadable = rl_config.ttfAsciiReadable
            self.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
            self.codes: WeakKeyDictionary[Any, SubsetCodes] = WeakKeyDictionary()
            self._last: tuple[Any, SubsetCodes] | None = None
            self._widths: dict[tuple[str | bytes, float], float] = {}

        def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
            # asked for every word of every paragraph each time its lines are broken (~2,600
            # times a brief), mostly for words met before: a width is the font's for good
            # (`encoding` reads bytes only), so the widths of words are kept; lines, measured
            # once, are not, and the words start again past WIDTHS_KEPT
            key = (text, size)
            width = self._widths.get(key)
            if width is None:
                width = super().stringWidth(text, size, encoding)
                if len(text) <= WORD and isinstance(text, str):
                    if len(self._widths) >= WIDTHS_KEPT:
                        self._widths.clear()
                    self._widths[key] = width
            return width

        def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8") -> Any:
            # called for every string drawn (~500 a brief): ReportLab's loop looks at each
            # character in Python; a string of characters it has already coded is translated
            last = self._last
            if last is None or last[0]() is not doc:
                last = self._last = (ref(doc), self.codes.setdefault(doc, SubsetCodes()))
            if not isinstance(text, str):
                text = text.decode("utf-8")  # as ReportLab reads bytes, whatever `encoding`
            codes = last[1]
            found = codes.split(text)
            if found is None:
                found = super().splitString(text, doc, encoding)
                codes.learn(text, self.state[doc].assignments)
            return found

        def addObjects(self, doc: Any) -> None:
            state, codes = self.state.get(doc), self.codes.pop(doc, {})
            if state is not None and state.subsets:
                state.subsets[0] = [c if not 32 <= c < 128 or c in codes else 0
                                    for c in state.subsets[0]]
            self._last = None
            names = [self.getSubsetInternalName(n, doc)[1:]
                     for n in range(len(state.subsets))] if state is not None else []
            super().addObjects(doc)
            written_widths(doc, names)

    return CompactFont(name, path)


def register_file(path: str) -> str:
    """The ReportLab name of a TrueType file, registering it on first use."""
    if path in _registered:
        return _registered[path]
    from reportlab.pdfbase import pdfmetrics

    name = Path(path).stem
    if name in pdfmetrics.getRegisteredFontNames() or name in _registered.values():
        name = f"{name}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"
    try:
        font = _compact_font(name, path)
    except Exception as exc:  # ReportLab's TTFError, or whatever a damaged file provokes
        raise UserError([Problem(path, "is not a usable TrueType font "
                                 f"({type(exc).__name__}) — use another .ttf file")]) from exc
    pdfmetrics.registerFont(font)
    if pdfmetrics.getFont(name) is not font:
        # ReportLab gives a new name the font already registered for the same face (by its
        # PostScript name): one registered by the program using briefs as a library would
        # be drawn instead, its subsets whole (a brief ~40 % larger); the name is ours
        pdfmetrics._fonts[name] = font
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
