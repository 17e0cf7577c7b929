"""A brief's text boxes all at once, from arrays: the boxes `text_boxes` makes run by run.

Boxing runs one by one cost ~6 µs a run (~2.8 ms a brief), most of it measuring: ReportLab
measures a width with a dictionary lookup for each character, and each run was measured
twice. Here the brief's text is one array of character codes; each code's advance and
glyph sides are read from one table row per font (`GlyphTable`), filled from the font the
first time a character is met, and numpy sums and compares them run by run.

The boxes are the same to the last bit. A TrueType advance is the font's units times
1000/unitsPerEm, a whole number of 1/65,536ths when unitsPerEm is a power of two (2,048 for
DejaVu): sums of such numbers are exact, so a run's sum is the sum ReportLab's loop adds up,
whatever the order, and (sum × 0.001) × size is then worked out as ReportLab works it out.
The rest is the arithmetic of `text_boxes`, in its order. A brief this cannot promise that
for (a font with other advances or no TrueType table, a character at or past `SPAN`, an
empty run, more than a million characters) gets None: it is boxed run by run.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, compress
from typing import Any

import numpy as np
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont

from briefs.render.textboxes import Boxes, DrawnText, _glyphs

SPAN = 0x2300  # codes below: Latin, Greek, Cyrillic, punctuation, currency, arrows, maths
_GRAIN = 2.0 ** 16  # an advance must be a whole number of 1/65,536ths of a thousandth …
_LARGEST = 2.0 ** 16  # … under 65,536 thousandths: then 2^20 of them add up exactly
_MOST = 2 ** 20  # characters in one brief
_PLAIN = {float, int, type(None), np.float64}


def _exact(width: float) -> bool:
    return abs(width) < _LARGEST and float(width * _GRAIN).is_integer()


class GlyphTable:
    """Each font's advance and glyph sides (thousandths of the size) for codes under SPAN,
    a row of SPAN per font, side by side, so that one lookup serves all of a brief's fonts.

    It holds what the font files say and nothing of any brief: a brief's boxes do not
    depend on the briefs before it.
    """

    def __init__(self) -> None:
        self.rows: dict[str, tuple[Any, int]] = {}  # font name -> (font, its row)
        self.names: list[str] = []
        self.exact: list[bool] = []  # the row's advances add up exactly
        self.sides = np.zeros((5, 0))  # advance, left, bottom, right, top
        self.known = np.zeros(0, dtype=bool)
        self.inked_blanks = 0  # blank characters (str.isspace) met that have an outline

    def row(self, name: str) -> int | None:
        """The font's row, or None when its runs must be boxed one by one."""
        font = getFont(name)
        found = self.rows.get(name)
        if found is None or found[0] is not font:
            glyphs = _glyphs(name)
            ok = isinstance(font, TTFont) and glyphs.font is font and glyphs._outlines and \
                _exact(font.face.defaultWidth)
            found = self.rows[name] = (font, len(self.names))
            self.names.append(name)
            self.exact.append(bool(ok))
            self.sides = np.concatenate([self.sides, np.zeros((5, SPAN))], axis=1)
            self.known = np.concatenate([self.known, np.zeros(SPAN, dtype=bool)])
        return found[1] if self.exact[found[1]] else None

    def learn(self, where: np.ndarray) -> bool:
        """Fill the entries `where` (row × SPAN + code) not filled yet; False when an advance
        met is not exact (that font's briefs are then boxed run by run)."""
        if self.known[where].all():
            return True
        for entry in np.unique(where[~self.known[where]]).tolist():
            row, code = divmod(entry, SPAN)
            glyphs = _glyphs(self.names[row])
            face = glyphs.font.face
            advance = face.charWidths.get(code, face.defaultWidth)
            if not _exact(advance):
                self.exact[row] = False
                return False
            box = glyphs.box(chr(code))
            self.sides[:, entry] = (advance, *box)
            self.known[entry] = True
            if _BLANK[code] and box[1] <= box[3]:  # a blank that prints (Ogham's)
                self.inked_blanks += 1
        return True


_TABLE = GlyphTable()
_BLANK = np.array([chr(code).isspace() for code in range(SPAN)])  # what str.strip strips


class _Text:
    """The brief's runs as columns, and where each run's characters are in one array."""

    def __init__(self, drawn: Sequence[DrawnText]):
        runs = list(chain.from_iterable(item.runs for item in drawn))
        self.count = len(runs)
        self.xs, self.ys, self.fonts, self.sizes, self.texts, self.word_space, \
            self.char_space = zip(*runs, strict=True)
        self.lengths = np.array(list(map(len, self.texts)), dtype=np.int64)
        self.ends = np.cumsum(self.lengths)
        self.starts = self.ends - self.lengths
        self.codes = np.frombuffer("".join(self.texts).encode("utf-32-le", "surrogatepass"),
                                   dtype="<u4")

    def fits(self) -> bool:
        """Whether the arrays can give the boxes to the bit: plain numbers (numpy's float32
        would be worked out in single precision), no empty run, codes the table has."""
        numbers = set(map(type, chain(self.xs, self.ys, self.sizes, self.word_space,
                                      self.char_space)))
        return bool(numbers <= _PLAIN and self.count and self.lengths.all() and
                    len(self.codes) < _MOST and self.codes.max() < SPAN)

    def column(self, values: Sequence[float]) -> np.ndarray:
        return np.array(values, dtype=float)


def array_boxes(drawn: Sequence[DrawnText]) -> Boxes | None:
    """`text_boxes(drawn)`, or None when the brief must be boxed run by run."""
    if not drawn:
        return None  # nothing to box either way
    text = _Text(drawn)
    if not text.fits():
        return None
    rows = {name: _TABLE.row(name) for name in set(text.fonts)}
    if None in rows.values():
        return None
    row = np.array(list(map(rows.__getitem__, text.fonts)), dtype=np.int64) * SPAN
    where = np.repeat(row, text.lengths) + text.codes
    if not _TABLE.learn(where):
        return None
    return _boxes(drawn, text, where)


def _boxes(drawn: Sequence[DrawnText], text: _Text, where: np.ndarray) -> Boxes:
    """The boxes from each character's advance and glyph sides (`where` in `_TABLE`)."""
    advance, left_side, bottom, right_side, top = _TABLE.sides
    starts, ends = text.starts, text.ends
    advances = advance[where]
    shown = list(map(str.strip, text.texts))
    first = starts + np.array(list(map(str.find, text.texts, shown)), dtype=np.int64)
    seen = np.array(list(map(len, shown)), dtype=np.int64)
    last = first + np.maximum(seen, 1) - 1
    low, high = bottom[where], top[where]
    if _TABLE.inked_blanks:  # a blank outside the glyphs shown must not count
        at = np.arange(len(where))
        inside = (at >= np.repeat(first, text.lengths)) & (at <= np.repeat(last, text.lengths))
        low, high = np.where(inside, low, np.inf), np.where(inside, high, -np.inf)
    low, high = np.minimum.reduceat(low, starts), np.maximum.reduceat(high, starts)
    size = text.column(text.sizes)

    def width(sums: np.ndarray) -> np.ndarray:
        return sums * 0.001 * size  # as ReportLab works it out: (s × 0.001) × size

    full = width(np.add.reduceat(advances, starts))  # exact: see the module's note
    spacing = _Spacing(text, first - starts, last - starts)
    start = _starts(drawn, text, full, spacing)
    pen = np.where(spacing.spaced, start + full + spacing.full, start + full)
    before = width(_between(advances, starts, first))
    lead = np.where(spacing.spaced, before + spacing.lead, before)
    start = np.where(first > starts, start + lead, start)
    scale = size / 1000
    left = start + scale * left_side[where[first]]
    right = pen - width(_between(advances, last, ends)) + scale * right_side[where[last]]
    right = np.where(spacing.spaced, right - spacing.tail, right)
    ys = text.column(text.ys)
    low, high = ys + scale * low, ys + scale * high
    return _placed(drawn, shown, (seen > 0) & ~(low > high), (left, low, right, high))


def _between(values: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The sum of `values` from each start up to its end (one a run, in order: each end
    at most the next start); 0 where they meet."""
    bounds = np.column_stack((starts, ends)).ravel()
    if bounds[-1] == len(values):
        bounds = bounds[:-1]  # the last sum runs to the end as it is
    sums = np.add.reduceat(values, bounds)[::2]
    return np.where(ends > starts, sums, 0.0)


class _Spacing:
    """What word and character spacing add to each run, its blanks before the glyphs and its
    last glyph with the blanks after it (0 where no spacing is set: most runs)."""

    def __init__(self, text: _Text, first: np.ndarray, last: np.ndarray):
        self.spaced = (text.column(text.word_space) != 0) | (text.column(text.char_space) != 0)
        self.full, self.lead, self.tail = (np.zeros(text.count) for _ in range(3))
        for index in np.flatnonzero(self.spaced).tolist():
            run, word, char = text.texts[index], text.word_space[index], \
                text.char_space[index]
            lead, tail = run[:first[index]], run[last[index]:]
            self.full[index] = word * run.count(" ") + char * len(run)
            self.lead[index] = word * lead.count(" ") + char * len(lead)
            self.tail[index] = word * tail.count(" ") + char * len(tail)


def _starts(drawn: Sequence[DrawnText], text: _Text, full: np.ndarray,
            spacing: _Spacing) -> np.ndarray:
    """Where each run starts: its own x, or where the run before it on its line ended (the
    pen starts each text object at 0)."""
    start = text.column(text.xs)  # None is NaN there
    follows = np.flatnonzero(np.isnan(start)).tolist()
    if len(follows) != text.xs.count(None):  # an x of NaN: not a run that follows
        follows = [index for index, x in enumerate(text.xs) if x is None]
    if follows:
        start[follows] = 0.0
        firsts = set(np.cumsum([0, *(len(item.runs) for item in drawn)]).tolist())
        widths, extras, spaced = full.tolist(), spacing.full.tolist(), spacing.spaced.tolist()
        for index in follows:
            if index not in firsts:
                pen = float(start[index - 1]) + widths[index - 1]
                start[index] = pen + extras[index - 1] if spaced[index - 1] else pen
    return start


def _placed(drawn: Sequence[DrawnText], shown: list[str], keep: np.ndarray,
            sides: tuple[np.ndarray, ...]) -> Boxes:
    """The boxes of the runs kept, moved by their text object's transform onto the page
    (the corners of turned text turned, as `run_boxes` turns them)."""
    counts = [len(item.runs) for item in drawn]
    matrix = np.array([item.matrix for item in drawn], dtype=float)
    a, b, c, d, e, f = (np.repeat(column, counts) for column in matrix.T)  # a run's
    left, low, right, high = sides
    placed = [left + e, low + f, right + e, high + f]
    turned = np.flatnonzero(~((a == 1.0) & (d == 1.0) & (b == 0.0) & (c == 0.0)))
    if len(turned):
        a, b, c, d, e, f = (column[turned] for column in (a, b, c, d, e, f))
        corners = [(px[turned], py[turned]) for px in (left, right) for py in (low, high)]
        xs = [a * px + c * py + e for px, py in corners]
        ys = [b * px + d * py + f for px, py in corners]
        for side, value in zip(placed, (np.minimum.reduce(xs), np.minimum.reduce(ys),
                                        np.maximum.reduce(xs), np.maximum.reduce(ys)),
                               strict=True):
            side[turned] = value
    pages = np.repeat([item.page for item in drawn], counts)
    return Boxes(pages[keep], *(side[keep] for side in placed),
                 list(compress(shown, keep.tolist())))
