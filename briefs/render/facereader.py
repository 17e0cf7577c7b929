"""A TrueType face's character tables read in bulk: what ReportLab's parse gives, sooner.

ReportLab's `TTFontFile.extractInfo` reads a face's character map, its advances and its
glyphs' places one number at a time through Python calls (some 18,000 for a DejaVu face,
~30 ms of CPU for a layout's four faces): it lay on the path of every worker's first brief
and of every one-brief command. Its first part (names, `head`, `OS/2`, `post`, `hhea`,
`maxp`: a few dozen numbers) is left to ReportLab; the rest is read here with numpy, a table
at a time, into arrays, and the attributes ReportLab sets (`charToGlyph`, `charWidths`,
`glyphToChar`, `hmetrics`, `glyphPos`) are made from them when first read, equal value for
value, type for type and in the same order; `defaultWidth` and the read position `_pos` are
set at once.

The reader vouches only for what it knows: character maps of formats 4 and 12 (the ones
every TrueType file of matplotlib, ReportLab and Debian's DejaVu and Liberation packages
leads ReportLab to) read wholly inside the file, location tables of both formats, and a
space or no-break space with an advance. Any other file, damaged or merely unusual, is left
to ReportLab, parsed as before: its answer, or its error, when the face is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

_MOST_CODES = 0x110000  # more codes than Unicode has: a damaged map, left to ReportLab


@dataclass(frozen=True)
class _Places:
    """Where `extractInfo` reads what this module reads, and the numbers its first part read
    into local variables only."""

    data: bytes
    table: dict[str, dict[str, Any]]
    glyphs: int  # maxp's numGlyphs
    metrics: int  # hhea's numberOfHMetrics
    loca_format: int  # head's indexToLocFormat
    units: int  # head's unitsPerEm

    def at(self, tag: str) -> int | None:
        record = self.table.get(tag)
        return None if record is None else record["offset"]

    def numbers(self, kind: str, at: int, count: int) -> np.ndarray | None:
        return _numbers(self.data, kind, at, count)


def _numbers(data: bytes, kind: str, at: int, count: int) -> np.ndarray | None:
    """`count` big-endian numbers ('u2', 'i2' or 'u4') at `at`, as int64; None past the end
    of the file (where ReportLab's reads fail)."""
    size = int(kind[1])
    if at < 0 or count < 0 or at + size * count > len(data):
        return None
    return np.frombuffer(data, ">" + kind, count, at).astype(np.int64)


class BulkFace:
    """A TrueType face (mixed in before ReportLab's `TTFontFace`) whose character tables are
    read in bulk, and made into ReportLab's dictionaries and lists when first read: a face a
    brief never draws (the bold italic, often) never makes them. Whatever could fail is
    decided when the face is read, as with ReportLab's parse."""

    _later: _Later | None = None

    def extractInfo(self, charInfo: int = 1) -> None:
        super().extractInfo(0)  # type: ignore[misc]  # the names and metrics: a few dozen numbers
        if charInfo and not read_char_info(self):
            super().extractInfo(charInfo)  # type: ignore[misc]  # a file left to ReportLab

    def __getattr__(self, name: str) -> Any:
        later = self.__dict__.get("_later")
        if later is None or name not in _Later.MADE:
            raise AttributeError(name)
        value = getattr(later, name)()
        setattr(self, name, value)
        return value


@dataclass(frozen=True)
class _Later:
    """What the attributes of `MADE` are made of, each as ReportLab's parse makes it."""

    MADE = frozenset({"charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos"})
    codes: np.ndarray  # the map's codes, in the order ReportLab's loop meets them
    glyphs: np.ndarray  # the glyph of each
    advances: np.ndarray  # each glyph's advance as scaled (past numberOfHMetrics, the last)
    spaces: list[tuple[int, int]]  # (code, code it is copied to): the no-break space's
    advance: np.ndarray  # font units, numberOfHMetrics of them
    side: np.ndarray  # left side bearings: one a glyph
    last: Any  # the last advance as ReportLab scales it
    places: np.ndarray  # each glyph's offset in `glyf`, and the end

    def charToGlyph(self) -> dict[int, int]:  # ReportLab's name
        made = dict(zip(self.codes.tolist(), self.glyphs.tolist(), strict=True))
        for have, lack in self.spaces:
            made[lack] = made[have]
        return made

    def charWidths(self) -> dict[int, Any]:  # ReportLab's name
        """Each glyph's codes get its advance, glyph by glyph as ReportLab's loop goes."""
        measured = self.glyphs < len(self.advances)
        glyphs = self.glyphs[measured]
        order = np.argsort(glyphs, kind="stable")
        made = dict(zip(self.codes[measured][order].tolist(),
                        self.advances[glyphs[order]].tolist(), strict=True))
        for have, lack in self.spaces:
            made[lack] = made[have]
        return made

    def glyphToChar(self) -> dict[int, list[int]]:  # ReportLab's name
        """Each glyph's codes, glyphs in the order the map first names them."""
        made: dict[int, list[int]] = {}
        add = made.setdefault
        for code, glyph in zip(self.codes.tolist(), self.glyphs.tolist(), strict=True):
            add(glyph, []).append(code)
        return made

    def hmetrics(self) -> list[tuple[Any, int]]:
        """(advance, left side) in font units, then, past numberOfHMetrics, with the last
        advance as scaled (as ReportLab's loop leaves it)."""
        full = len(self.advance)
        made = list(zip(self.advance.tolist(), self.side[:full].tolist(), strict=True))
        made += zip(repeat(self.last), self.side[full:].tolist(), strict=False)
        return made

    def glyphPos(self) -> list[int]:  # ReportLab's name
        return self.places.tolist()


def read_char_info(face: Any) -> bool:
    """Give `face` (whose `extractInfo(charInfo=0)` has run) what `extractInfo` with
    charInfo sets, or makes it from; False, with nothing set, for a file left to ReportLab."""
    places = _places(face)
    if places is None:
        return False
    mapped = _char_map(places)
    metrics = _metrics(places)
    positions = _glyph_positions(places)
    if mapped is None or metrics is None or positions is None:
        return False
    codes, glyphs = mapped
    advances, later = metrics
    spaces = _spaces(codes, glyphs, len(advances))
    if spaces is None:
        return False
    face.defaultWidth, face._pos = advances[0].item(), positions[1]
    face._later = _Later(codes, glyphs, advances, spaces, *later, positions[0])
    for name in _Later.MADE:  # extractInfo(charInfo=0) set some to None
        vars(face).pop(name, None)
    return True


def _spaces(codes: np.ndarray, glyphs: np.ndarray, measured: int) -> list[tuple[int, int]] | None:
    """ReportLab's last step: a no-break space is drawn as the space (or the space as the
    no-break space); None where its step fails (the code copied has no advance)."""
    for have, lack in ((0x20, 0xA0), (0xA0, 0x20)):
        found = codes == have
        if found.any():
            return [(have, lack)] if (found & (glyphs < measured)).any() else None
    return []


def _places(face: Any) -> _Places | None:
    data, table = face._ttf_data, face.table
    head, hhea = table.get("head"), table.get("hhea")
    if head is None or hhea is None or not isinstance(data, bytes):
        return None
    words = _numbers(data, "u2", head["offset"] + 50, 2)  # indexToLocFormat, glyphDataFormat
    metrics = _numbers(data, "u2", hhea["offset"] + 34, 1)
    if words is None or metrics is None or words[1] != 0 or metrics[0] == 0:
        return None
    return _Places(data, table, face.numGlyphs, int(metrics[0]), int(words[0]),
                   face.unitsPerEm)


def _char_map(places: _Places) -> tuple[np.ndarray, np.ndarray] | None:
    """Codes and their glyphs, in the order ReportLab's loop meets them (a code met twice is
    there twice), from the subtable ReportLab picks."""
    at = _subtable(places)
    if at is None:
        return None
    kind = places.numbers("u2", at, 1)
    if kind is None:
        return None
    if kind[0] == 4:
        return _format_4(places, at)
    if kind[0] == 12:
        return _format_12(places, at)
    return None


def _subtable(places: _Places) -> int | None:
    """Where the character map ReportLab reads starts: the last Windows subtable, else the
    last Unicode one (not of variation sequences), else Macintosh Roman."""
    start = places.at("cmap")
    head = None if start is None else places.numbers("u2", start, 2)
    if start is None or head is None:
        return None
    version, count = head.tolist()
    if count == 0 and version != 0:
        count = version
    records = places.numbers("u2", start + 4, 4 * count)
    if records is None:
        return None
    chosen, best = None, 0
    for platform, encoding, high, low in records.reshape(-1, 4).tolist():
        offset = high << 16 | low
        if platform == 3 or (platform == 1 and encoding == 1) or (
                platform == 0 and encoding != 5):
            chosen, best = offset, 1
        elif platform == 1 and encoding == 0 and best != 1:
            chosen, best = offset, 2
    return None if chosen is None else start + chosen


def _ranges(first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Every code of the ranges first..last, in order, and the range each comes from."""
    counts = np.maximum(last - first + 1, 0)
    total = int(counts.sum())
    if total > _MOST_CODES:
        return None
    which = np.repeat(np.arange(len(first)), counts)
    return first[which] + np.arange(total) - (np.cumsum(counts) - counts)[which], which


def _format_4(places: _Places, at: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Segments of codes: a glyph is the code plus the segment's delta, or is read from the
    glyph array the segment points into (0 past the subtable's end, as ReportLab has it)."""
    header = places.numbers("u2", at + 2, 3)
    if header is None:
        return None
    limit, segments = at + int(header[0]), int(header[2]) // 2
    ends = places.numbers("u2", at + 14, segments)
    starts = places.numbers("u2", at + 16 + 2 * segments, segments)
    deltas = places.numbers("i2", at + 16 + 4 * segments, segments)
    pointers = places.numbers("u2", at + 16 + 6 * segments, segments)
    if ends is None or starts is None or deltas is None or pointers is None:
        return None
    expanded = _ranges(starts, ends)
    if expanded is None:
        return None
    codes, which = expanded
    glyphs = (codes + deltas[which]) & 0xFFFF
    pointed = np.flatnonzero(pointers[which])
    if len(pointed):
        seg = which[pointed]
        where = (at + 16 + 6 * segments + 2 * seg + (codes[pointed] - starts[seg]) * 2
                 + pointers[seg])
        inside = where < limit
        if inside.any() and int(where[inside].max()) + 2 > len(places.data):
            return None
        raw = np.frombuffer(places.data, np.uint8)
        read = np.zeros(len(pointed), np.int64)
        read[inside] = raw[where[inside]].astype(np.int64) << 8 | raw[where[inside] + 1]
        glyphs[pointed] = np.where(read != 0, (read + deltas[seg]) & 0xFFFF, 0)
    return codes, glyphs


def _format_12(places: _Places, at: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Groups of codes, each drawn by consecutive glyphs from the group's first glyph."""
    count = places.numbers("u4", at + 12, 1)
    groups = None if count is None else places.numbers("u4", at + 16, 3 * int(count[0]))
    if groups is None:
        return None
    first, last, glyph = groups.reshape(-1, 3).T
    expanded = _ranges(first, last)
    if expanded is None:
        return None
    codes, which = expanded
    return codes, glyph[which] + codes - first[which]


def _metrics(places: _Places) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, Any]] | None:
    """Each glyph's advance as ReportLab scales it to thousandths (units × 1000/unitsPerEm,
    kept whole when unitsPerEm is 1000), and what `hmetrics` is made of: the advances in
    font units, every glyph's left side, the last advance as scaled."""
    start, full = places.at("hmtx"), places.metrics
    if start is None:
        return None
    pairs = places.numbers("u2", start, 2 * full)
    rest = places.numbers("u2", start + 4 * full, max(0, places.glyphs - full))
    if pairs is None or rest is None:
        return None
    advance = pairs[0::2]
    scaled = advance if places.units == 1000 else advance * (1000 / places.units)
    last = scaled[-1].item()
    advances = np.concatenate([scaled, np.full(len(rest), last, scaled.dtype)])
    return advances, (advance, np.concatenate([pairs[1::2], rest]), last)


def _glyph_positions(places: _Places) -> tuple[np.ndarray, int] | None:
    """`glyphPos` (each glyph's offset in `glyf`, and the end) and where reading it ended."""
    start = places.at("loca")
    if start is None or places.loca_format not in (0, 1):
        return None
    kind = "u2" if places.loca_format == 0 else "u4"
    offsets = places.numbers(kind, start, places.glyphs + 1)
    if offsets is None:
        return None
    if places.loca_format == 0:
        offsets = offsets << 1
    return offsets, start + int(kind[1]) * (places.glyphs + 1)
