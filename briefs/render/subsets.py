"""A TrueType subset's program as ReportLab's makeSubset writes it, from parts kept per face.

For each subset of each brief, ReportLab's `TTFontFile.makeSubset` reads the same things of
the same face again: each glyph it takes (whether it is made of other glyphs, read number
by number in Python), the tables a subset copies whole, and the whole glyf table (half a
megabyte of DejaVu, copied to take a hundred glyphs). They are the face's for good (a
registered face is read once, and never changes after): here each glyph is read once, with
the places of its components, and the whole tables once, and a subset is put together from
them by ReportLab's own rules, byte for byte (`tests/test_pdf_speed.py` holds both ways to
the same programs). A face whose glyphs ReportLab would read past their ends (a damaged
font) is left to ReportLab.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

# TrueType composite glyph flags (ReportLab's GF_...)
_WORDS, _SCALE, _MORE, _XY_SCALE, _TWO_BY_TWO = 0x01, 0x08, 0x20, 0x40, 0x80
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")  # tables a subset takes whole


@dataclass(frozen=True)
class Glyph:
    """A glyph's outline as the glyf table holds it, padded to 4 bytes as a subset writes
    it, and where it names other glyphs (a composite's components)."""

    block: bytes
    length: int  # before padding
    places: tuple[int, ...] = ()  # offsets of the components' glyph indices
    parts: tuple[int, ...] = ()  # the glyph indices there, in the face


class Parts:
    """What every subset of one face takes from it: its glyphs (read when first asked for)
    and the tables copied whole or changed in a number or two."""

    def __init__(self, face: Any):
        # the face's bytes and glyph places, not the face: kept in a weak dictionary keyed
        # by the face, these parts must not keep it alive
        self.data: bytes = face._ttf_data
        self.positions: list[int] = face.glyphPos
        self.glyf, self.glyf_length = face.get_table_pos("glyf")
        self.glyphs: dict[int, Glyph | None] = {}
        # cvt, fpgm and prep are optional
        copied = [(tag, face.get_table(tag)) for tag in _COPIED if tag in face.table]
        post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        self.copied = (*copied, ("post", post))
        self.hhea, self.maxp, self.head = (face.get_table(t) for t in ("hhea", "maxp", "head"))

    def glyph(self, index: int) -> Glyph | None:
        """Glyph `index`, None when ReportLab would read it past its end."""
        if index not in self.glyphs:
            self.glyphs[index] = self._read(index)
        return self.glyphs[index]

    def _read(self, index: int) -> Glyph | None:
        positions = self.positions
        at, length = positions[index], positions[index + 1] - positions[index]
        if length < 0 or at + length > self.glyf_length or length in (1, 2):
            return None
        data = self.data[self.glyf + at: self.glyf + at + length]
        block = data + b"\0" * (-length % 4)
        if not length or struct.unpack_from(">h", data)[0] >= 0:
            return Glyph(block, length)
        places, parts, offset, flags = [], [], 10, _MORE
        while flags & _MORE:
            if offset + 4 > length:
                return None
            flags, part = struct.unpack_from(">HH", data, offset)
            places.append(offset + 2)
            parts.append(part)
            offset += 8 if flags & _WORDS else 6
            offset += 2 if flags & _SCALE else 4 if flags & _XY_SCALE else \
                8 if flags & _TWO_BY_TWO else 0
        return Glyph(block, length, tuple(places), tuple(parts))


_parts: WeakKeyDictionary[Any, Parts] = WeakKeyDictionary()


def subset_program(face: Any, subset: list[int]) -> bytes:
    """The TrueType program of `subset` (character codes, in code order) of `face`: what
    ReportLab's `makeSubset` gives."""
    from reportlab.pdfbase.ttfonts import TTFontFile, TTFontMaker

    parts = _parts.get(face)
    if parts is None:
        parts = _parts[face] = Parts(face)
    chosen = _glyphs(face, parts, subset)
    if chosen is None:
        return TTFontFile.makeSubset(face, subset)
    order, new, codes = chosen
    glyf, loca, long = _outlines(parts, order, new)
    hmtx, metrics = _metrics(face, order)
    output = TTFontMaker()
    for tag, table in parts.copied:
        output.add(tag, table)
    output.add("hmtx", hmtx)
    output.add("hhea", _with_short(parts.hhea, 34, metrics))
    output.add("maxp", _with_short(parts.maxp, 4, len(order)))
    cmap = [0, 1, 1, 0, 0, 12, 6, 10 + 2 * len(subset), 0, 0, len(subset),
            *map(codes.__getitem__, subset)]
    output.add("cmap", struct.pack(f">{len(cmap)}H", *cmap))
    output.add("glyf", glyf)
    output.add("loca", loca)
    output.add("head", _with_short(parts.head, 50, long))
    return output.makeStream()


def _with_short(table: bytes, offset: int, value: int) -> bytes:
    return table[:offset] + struct.pack(">H", value) + table[offset + 2:]


def _glyphs(face: Any, parts: Parts, subset: list[int]
            ) -> tuple[list[int], dict[int, int], dict[int, int]] | None:
    """The subset's glyphs in the face, in the subset's order (glyph 0 first, then each
    character's, then the components of composites), each glyph's number in the subset,
    and each code's glyph there; None when one of them is left to ReportLab."""
    to_glyph = face.charToGlyph
    order, new, codes = [0], {0: 0}, {}
    for code in subset:
        glyph = to_glyph.get(code, 0)
        if glyph not in new:
            new[glyph] = len(order)
            order.append(glyph)
        codes[code] = new[glyph]
    at = 0
    while at < len(order):
        glyph = parts.glyph(order[at])
        at += 1
        if glyph is None:
            return None
        for part in glyph.parts:
            if part not in new:
                new[part] = len(order)
                order.append(part)
    return order, new, codes


def _outlines(parts: Parts, order: list[int], new: dict[int, int]) -> tuple[bytes, bytes, int]:
    """The glyf and loca tables of the glyphs `order`, and loca's format (0 short, 1 long)."""
    blocks, offsets, at = [], [], 0
    for index in order:
        glyph = parts.glyphs[index]
        assert glyph is not None  # _glyphs has read every one
        block = glyph.block
        if glyph.places:
            renumbered = bytearray(block)
            for place, part in zip(glyph.places, glyph.parts, strict=True):
                struct.pack_into(">H", renumbered, place, new[part])
            block = bytes(renumbered)
        offsets.append(at)
        blocks.append(block)
        at += len(block)
    offsets.append(at)
    if (at + 1) >> 1 > 0xFFFF:
        return b"".join(blocks), struct.pack(f">{len(offsets)}L", *offsets), 1
    return b"".join(blocks), struct.pack(f">{len(offsets)}H", *(o >> 1 for o in offsets)), 0


def _metrics(face: Any, order: list[int]) -> tuple[bytes, int]:
    """The hmtx table and its number of full metrics: a last run of equal advances is
    written as side bearings alone, as ReportLab writes it."""
    metrics = face.hmetrics
    hmtx: list[int] = []
    for index in order:
        advance, bearing = metrics[index]
        hmtx += (int(advance), int(bearing))
    n = len(hmtx) - 2
    while n and hmtx[n] == hmtx[n - 2]:
        n -= 2
    n += 2
    hmtx = hmtx[:n] + hmtx[n + 1::2]
    return struct.pack(f">{len(hmtx)}H", *hmtx), n >> 1
