"""Where the drawn text landed: the boxes the page inspection checks, noted while drawing.

The inspection looks for text off the page and text printed over other text. Reading the
finished PDF back with a viewer's engine to find its text cost more than a page's drawing;
the renderer knows where it puts every piece of text, so it notes it. A text object
(`RunRecorder`) notes each run it shows: where its pen was, in the text object's own space,
with the font, size and spacing in force. The canvas ties a text object's runs to the page and
the transform (a flowable's place, a chart label's rotation) when it draws it (`DrawnText`).
Boxes are made from those notes only when inspected (`text_boxes`), measured the way a PDF
viewer measures text: from the outlines of the glyphs, read from the font file's glyph table,
so the box of "menu" is shorter than that of "Typography", and no box is the font's whole
height. Spaces at either end of a run print nothing and are not in its box.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.textobject import PDFTextObject


class Run(NamedTuple):
    """One piece of text as a text object showed it, in the text object's own space."""

    x: float | None  # None: right after the run before it, on the same line
    y: float
    font: str
    size: float
    text: str
    word_space: float
    char_space: float


class DrawnText(NamedTuple):
    """A text object's runs as the canvas drew them: on `page`, through `matrix` (a named
    tuple, as `TextBox`: ~90 a brief)."""

    page: int
    matrix: tuple[float, float, float, float, float, float]
    runs: tuple[Run, ...]


_new_run = tuple.__new__  # a Run made without the Python frame of its generated __new__


class TextBox(NamedTuple):
    """The box around one run's glyphs on its page, in PDF points from the lower left
    (a named tuple: a brief makes hundreds, and a frozen dataclass costs more to make)."""

    page: int
    left: float
    bottom: float
    right: float
    top: float
    text: str


class Boxes(Sequence[TextBox]):
    """A brief's text boxes as columns: the pages, the four sides (numpy arrays) and the
    texts. The inspection compares the columns as they are; a `TextBox` is made only for a
    box that is looked at one by one (a finding's, a test's)."""

    def __init__(self, pages: Any, left: Any, bottom: Any, right: Any, top: Any,
                 texts: list[str]):
        self.columns = (pages, left, bottom, right, top)
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> TextBox: ...

    @overload
    def __getitem__(self, index: slice) -> list[TextBox]: ...

    def __getitem__(self, index: int | slice) -> TextBox | list[TextBox]:
        return list(self)[index]  # all of them made: not for a loop

    def __iter__(self) -> Iterator[TextBox]:
        return map(TextBox, *(column.tolist() for column in self.columns), self.texts)


class RunRecorder(PDFTextObject):
    """A text object that notes each run of text it shows and where its pen was.

    ReportLab's text object does not follow its pen across a line of several runs (a bold
    word inside a paragraph) nor down a line break, so the recorder keeps its own: the start
    of the current line, and whether a run follows the one before it on the line.
    """

    break_space = False  # whether a line broken with _textOut keeps a space at its end

    def __init__(self, *args: Any, **kwargs: Any):
        self.runs: list[Run] = []
        self._lift = 0.0  # the text rise in force
        self._wordSpace = self._charSpace = 0.0  # as ReportLab names them when it sets them
        super().__init__(*args, **kwargs)

    def setTextOrigin(self, x: float, y: float) -> None:
        super().setTextOrigin(x, y)  # a rise outlasts a new origin, as in PDF
        self._line = (x, y)
        self._follows = False

    def moveCursor(self, dx: float, dy: float) -> None:
        super().moveCursor(dx, dy)  # joins with a move just before it: the sum is the same
        self._line = (self._line[0] + dx, self._line[1] - dy)
        self._follows = False

    def setRise(self, rise: float) -> None:
        super().setRise(rise)
        self._lift = rise

    def _formatText(self, text: str) -> str:
        if text:
            x, y = self._line
            self.runs.append(_new_run(Run, (None if self._follows else x, y + self._lift,
                                            self._fontname, self._fontsize, text,
                                            self._wordSpace, self._charSpace)))
            self._follows = True
        return self._operators(text)

    def _textOut(self, text: str, TStar: int = 0) -> None:
        """ReportLab's `_textOut` (a line of a paragraph, ~450 a brief), in one call: with
        `TStar` the pen goes down a line, and the recorder's line with it; a line keeps the
        space it breaks at when `break_space` says so (`briefs.render.tagging.text`)."""
        if not TStar:
            self._code.append(self._formatText(text))
            return
        if self.break_space and not text.endswith((" ", "\u00a0")):
            text += " "
        self._code.append(f"{self._formatText(text)} T*")
        self._new_line()

    def _operators(self, text: str) -> str:
        """The operators that show `text`, as ReportLab's `_formatText` writes them.

        A line of a paragraph is one call (~450 a brief): for a TrueType font and plain
        text, the operators are written here without ReportLab's general machinery
        (saving and restoring the text object's state, the shaping checks); anything else
        goes to ReportLab. `test_text_speed` holds the two to the same bytes.
        """
        font = getFont(self._fontname)
        if not font._dynamicFont or type(text) is not str:
            return super()._formatText(text)
        doc = self._canvas._doc
        pieces = font.splitString(text, doc)
        if len(pieces) == 1 and pieces[0][0] == self._curSubset:  # most lines
            return f"({escapePDF(pieces[0][1])}) Tj"
        shown = []
        for subset, codes in pieces:
            if subset != self._curSubset:
                shown.append(f"{font.getSubsetInternalName(subset, doc)} "
                             f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL")
                self._curSubset = subset
            shown.append(f"({escapePDF(codes)}) Tj")  # the canvas's _escape
        return " ".join(shown)

    def _new_line(self) -> None:
        self._line = (self._line[0], self._line[1] - self._leading)
        self._follows = False

    def textLine(self, text: str = "") -> None:
        super().textLine(text)
        self._new_line()


def text_boxes(drawn: Iterable[DrawnText]) -> Sequence[TextBox]:
    """A box for each run that shows a glyph, in page coordinates, in drawing order.

    A brief's runs are boxed all at once, from arrays (`briefs.render.glyphtable`), to the
    same bits as `run_boxes` boxes them one by one, and given as columns (`Boxes`); that way
    is kept for what the arrays cannot promise the same bits for.
    """
    from briefs.render.glyphtable import array_boxes

    items = list(drawn)
    found = array_boxes(items)
    return run_boxes(items) if found is None else found


def run_boxes(drawn: Iterable[DrawnText]) -> list[TextBox]:
    """`text_boxes` run by run: the rule the arrays follow.

    Written for speed all the same (~500 runs a brief): one width measure per run, glyph
    sides looked up in dictionaries, corners turned only for turned text.
    """
    boxes: list[TextBox] = []
    glyphs: _Glyphs | None = None
    for item in drawn:
        a, b, c, d, e, f = map(float, item.matrix)  # a chart's numbers are numpy's
        turned = not (a == d == 1.0 and b == c == 0.0)
        pen = 0.0
        for x, y, font, size, text, word_space, char_space in item.runs:
            if glyphs is None or font != glyphs.name:
                glyphs = _fonts.get(font) or _glyphs(font)
            spaced = word_space or char_space
            start = pen if x is None else x
            pen = start + glyphs.width(text, size)
            if spaced:
                pen += _spacing(text, word_space, char_space)
            shown = text.strip()
            if not shown:
                continue
            lead = text.find(shown)
            if lead:
                start += glyphs.width(text[:lead], size) + \
                    (_spacing(text[:lead], word_space, char_space) if spaced else 0.0)
            tail = text[lead + len(shown) - 1:]  # the last glyph and the spaces after it
            scale = size / 1000
            left = start + scale * glyphs.left[shown[0]]
            right = pen - glyphs.width(tail, size) + scale * glyphs.right[shown[-1]]
            if spaced:
                right -= _spacing(tail, word_space, char_space)
            chars = set(shown)  # a line has a third as many letters as characters
            low = y + scale * min(map(glyphs.bottom.__getitem__, chars))
            high = y + scale * max(map(glyphs.top.__getitem__, chars))
            if low > high:  # nothing but characters without outlines (a zero-width space)
                continue
            if not turned:
                boxes.append(TextBox(item.page, left + e, low + f, right + e, high + f, shown))
                continue
            xs = [a * px + c * py + e for px in (left, right) for py in (low, high)]
            ys = [b * px + d * py + f for px in (left, right) for py in (low, high)]
            boxes.append(TextBox(item.page, min(xs), min(ys), max(xs), max(ys), shown))
    return boxes


def _spacing(text: str, word_space: float, char_space: float) -> float:
    """What PDF's word and character spacing add to `text`'s width (word spacing applies
    to the space character only)."""
    return word_space * text.count(" ") + char_space * len(text)


class _Extent(dict[str, float]):
    """One side of each character's glyph box, in thousandths of the font size, looked up
    in the font file the first time a character is met."""

    def __init__(self, glyphs: _Glyphs, side: int):
        super().__init__()
        self.glyphs = glyphs
        self.side = side  # 0 left, 1 bottom, 2 right, 3 top

    def __missing__(self, char: str) -> float:
        value = self.glyphs.box(char)[self.side]
        self[char] = value
        return value


class _Glyphs:
    """A font's glyph boxes, read from the TrueType `glyf` table ReportLab has in memory.

    A glyph with no outline (a space) has no height: no run's top or bottom comes from it.
    A font without glyph outlines (a built-in Type 1 font) gives its ascent and descent.
    """

    def __init__(self, font: Any):
        self.font = font
        self.name = font.fontName
        face = font.face
        self.left, self.bottom = _Extent(self, 0), _Extent(self, 1)
        self.right, self.top = _Extent(self, 2), _Extent(self, 3)
        self._outlines = hasattr(face, "glyphPos") and "glyf" in getattr(face, "table", {})
        self.width: Callable[[str, float], float] = font.stringWidth  # (text, size): points

    def box(self, char: str) -> tuple[float, float, float, float]:
        face = self.font.face
        if not self._outlines:
            width = float(self.font.stringWidth(char, 1000))
            return 0.0, float(face.descent), width, float(face.ascent)
        glyph = face.charToGlyph.get(ord(char), 0)
        start, end = face.glyphPos[glyph], face.glyphPos[glyph + 1]
        if end - start < 10:  # no outline: its advance across, nothing up or down
            return 0.0, math.inf, float(self.font.stringWidth(char, 1000)), -math.inf
        at = face.table["glyf"]["offset"] + start + 2
        left, bottom, right, top = struct.unpack_from(">hhhh", face._ttf_data, at)
        scale = 1000 / face.unitsPerEm
        return left * scale, bottom * scale, right * scale, top * scale


_fonts: dict[str, _Glyphs] = {}


def _glyphs(name: str) -> _Glyphs:
    found = _fonts.get(name)
    if found is None:
        from reportlab.pdfbase.pdfmetrics import getFont

        found = _fonts[name] = _Glyphs(getFont(name))
    return found
