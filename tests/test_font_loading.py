"""Fonts load fast and load the same: a face read in bulk is the face ReportLab parses.

`briefs/render/facereader.py` reads a face's character map, advances and glyph places with
numpy instead of ReportLab's number-by-number parse (~34 ms for a layout's four faces, on the
path of every worker's first brief). These tests hold it to ReportLab's own parse, attribute
by attribute (values, types, order), on every TrueType file this machine has (matplotlib's
and ReportLab's always; Debian's when installed), and on damaged copies, where the answer,
or the error, must be ReportLab's.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path
from typing import Any

import pytest


def _font_dirs() -> list[Path]:
    """matplotlib's and ReportLab's fonts (always there), and Debian's (when installed)."""
    import matplotlib
    import reportlab

    return [Path(matplotlib.get_data_path()) / "fonts" / "ttf",
            Path(reportlab.__file__).parent / "fonts", Path("/usr/share/fonts/truetype")]


FILES = sorted(p for d in _font_dirs() for p in d.rglob("*.ttf"))


def _dejavu() -> Path:
    return _font_dirs()[0] / "DejaVuSans.ttf"


def _differences(theirs: Any, ours: Any) -> list[str]:
    """Where `ours` differs from ReportLab's face `theirs`: each attribute ReportLab sets,
    its value, its type, a mapping's order and the types of what it holds."""
    found = []
    for name, value in vars(theirs).items():
        mine = getattr(ours, name, "(missing)")
        if name == "_pdfScale":  # a lambda: the same scale
            if [mine(x) for x in (0, 1, 7, 2048, 1.5)] != [value(x) for x in (0, 1, 7, 2048, 1.5)]:
                found.append(name)
        elif type(mine) is not type(value) or mine != value:
            found.append(name)
        elif isinstance(value, dict) and (
                list(value.items()) != list(mine.items())
                or list(map(type, value.values())) != list(map(type, mine.values()))):
            found.append(f"{name} (order or types)")
        elif isinstance(value, list) and [repr(v) for v in value] != [repr(v) for v in mine]:
            found.append(f"{name} (types)")
    return found


def _compact(path: Path) -> Any:
    from briefs.render.fonts import _compact_font

    return _compact_font("BulkReadForTest", str(path))


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_a_face_read_in_bulk_is_the_face_reportlab_parses(path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    shipped = path.is_relative_to(_font_dirs()[0]) or path.is_relative_to(_font_dirs()[1])
    try:
        theirs = TTFont("PlainForTest", str(path))
    except TTFError:
        if shipped:
            raise
        pytest.skip("a system font ReportLab cannot read (PostScript outlines, …)")
    ours = _compact(path)
    # the files every machine has must be read in bulk; a system font the reader does not
    # vouch for may be left to ReportLab, and must then be ReportLab's face all the same
    assert ours.face._later is not None or not shipped, "left to ReportLab: refused"
    assert _differences(theirs.face, ours.face) == []
    # the font around the face is TTFont's (its __init__ is written out in CompactFont)
    for name, value in vars(theirs).items():
        if name not in ("face", "state", "fontName"):
            assert type(getattr(ours, name)) is type(value), name
            assert getattr(ours, name) == value or name == "encoding", name
    assert ours.encoding.name == theirs.encoding.name


def test_the_faces_checked_include_every_kind_the_reader_reads() -> None:
    """The files above cover both character maps, glyph arrays pointed into, units of 1,000
    and 2,048 a square, both location formats and glyphs drawing several characters."""
    from briefs.render import facereader

    kinds = set()
    for path in FILES:
        face = _compact(path).face
        places = facereader._places(face)
        at = facereader._subtable(places)
        kind = struct.unpack_from(">H", face._ttf_data, at)[0]
        if kind == 4:
            segments = struct.unpack_from(">H", face._ttf_data, at + 6)[0] // 2
            pointers = struct.unpack_from(f">{segments}H", face._ttf_data,
                                          at + 16 + 6 * segments)
            kinds.add("format 4 pointed" if any(pointers) else "format 4")
        kinds |= {f"format {kind}", f"units {face.unitsPerEm}", f"loca {places.loca_format}"}
        if any(len(codes) > 1 for codes in face.glyphToChar.values()):
            kinds.add("shared glyphs")
    assert kinds >= {"format 4", "format 4 pointed", "format 12", "units 1000", "units 2048",
                     "loca 0", "loca 1", "shared glyphs"}


def test_the_tables_are_made_once_when_first_read() -> None:
    """A face's dictionaries and lists are made when first read (a face no brief draws never
    makes them), once."""
    from briefs.render.facereader import _Later

    face = _compact(_dejavu()).face
    assert not _Later.MADE & set(vars(face))
    for name in _Later.MADE:
        assert getattr(face, name) is getattr(face, name), name
    assert set(vars(face)) >= _Later.MADE
    assert not hasattr(face, "noSuchAttribute")


# --- damaged files: ReportLab's answer, or ReportLab's error --------------------------------

def _outcome(make: Any) -> tuple[str, Any]:
    try:
        return "parsed", make()
    except Exception as exc:  # whatever ReportLab raises on this file
        return "error", (type(exc).__name__, str(exc))


def _same_outcome(path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFace

    theirs = _outcome(lambda: TTFontFace(str(path)))
    ours = _outcome(lambda: _compact(path).face)
    assert theirs[0] == ours[0], (theirs, ours)
    if theirs[0] == "error":
        assert ours[1] == theirs[1]
    else:
        assert _differences(theirs[1], ours[1]) == []


def _tables(data: bytes) -> dict[str, tuple[int, int]]:
    count = struct.unpack_from(">H", data, 4)[0]
    found = {}
    for n in range(count):
        tag, _, offset, length = struct.unpack_from(">4sLLL", data, 12 + 16 * n)
        found[tag.decode("latin-1")] = (offset, length)
    return found


def _record(data: bytes) -> int:
    """Where the character map's record ReportLab follows is (the last Windows one)."""
    start = _tables(data)["cmap"][0]
    count = struct.unpack_from(">H", data, start + 2)[0]
    return [start + 4 + 8 * n for n in range(count)
            if struct.unpack_from(">H", data, start + 4 + 8 * n)[0] == 3][-1]


def _subtable(data: bytes) -> int:
    """Where the character map ReportLab reads starts."""
    return _tables(data)["cmap"][0] + struct.unpack_from(">L", data, _record(data) + 4)[0]


def _macintosh_after_unicode(data: bytes) -> bytes:
    """The Windows maps made unknown, the Unicode ones but the first made maps of variation
    sequences, and the Macintosh Roman map pointed at the Windows map: ReportLab reads the
    first Unicode map still (a Macintosh map never replaces a Unicode one)."""
    start = _tables(data)["cmap"][0]
    windows = struct.unpack_from(">L", data, _record(data) + 4)[0]
    unicode_seen = False
    for n in range(struct.unpack_from(">H", data, start + 2)[0]):
        at = start + 4 + 8 * n
        platform, encoding = struct.unpack_from(">HH", data, at)
        if platform == 3:
            data = _set(data, at, ">H", 7)
        elif platform == 0:
            data = _set(data, at + 2, ">H", encoding if not unicode_seen else 5)
            unicode_seen = True
        elif (platform, encoding) == (1, 0):
            data = _set(data, at + 4, ">L", windows)
    return data


def _set(data: bytes, at: int, kind: str, value: int) -> bytes:
    return data[:at] + struct.pack(kind, value) + data[at + struct.calcsize(kind):]


def _damaged(data: bytes) -> list[tuple[str, bytes]]:
    tables, sub = _tables(data), _subtable(data)
    head, hhea = tables["head"][0], tables["hhea"][0]
    return [
        ("cut in the character map", data[:sub + 40]),
        ("cut in the advances", data[:tables["hmtx"][0] + 100]),
        ("cut in the locations", data[:tables["loca"][0] + 10]),
        ("cut in the glyphs", data[:tables["glyf"][0] + 1000]),
        ("no advances", _set(data, hhea + 34, ">H", 0)),
        ("more advances than glyphs", _set(data, hhea + 34, ">H", 40000)),
        ("few advances", _set(data, hhea + 34, ">H", 1)),
        ("unknown location format", _set(data, head + 50, ">H", 2)),
        ("unknown glyph format", _set(data, head + 52, ">H", 1)),
        ("character map past the end", _set(data, _record(data) + 4, ">L", len(data))),
        ("no Windows character map", _set(data, _record(data), ">H", 7)),
        ("a Macintosh map after a Unicode one", _macintosh_after_unicode(data)),
        ("short map subtable", _set(data, sub + 2, ">H", 20)),
        ("unknown map format", _set(data, sub, ">H", 99)),
        ("map format 6", _set(data, sub, ">H", 6)),
        ("units of 1000", _set(data, head + 18, ">H", 1000)),
        ("units of 0", _set(data, head + 18, ">H", 0)),
        ("a few glyphs", _set(data, tables["maxp"][0] + 4, ">H", 40)),
        ("a space with no advance", _set(_set(data, tables["maxp"][0] + 4, ">H", 2),
                                         hhea + 34, ">H", 1)),
    ]


BASES = ["Vera.ttf", "cmr10.ttf", "DejaVuSans.ttf", "STIXGeneral.ttf"]


def _base(name: str) -> Path:
    return next(p for p in FILES if p.name == name)


@pytest.mark.parametrize("name", BASES)
def test_a_damaged_face_gets_reportlabs_answer_or_error(name: str, tmp_path: Path) -> None:
    data = _base(name).read_bytes()
    for what, damaged in _damaged(data):
        path = tmp_path / f"{what}.ttf"
        path.write_bytes(damaged)
        _same_outcome(path)


def _glyph_fields(data: bytes) -> list[int]:
    """The bytes of the character map that name glyphs (not which codes are mapped: changed,
    those could map millions of codes, and ReportLab would take minutes and gigabytes)."""
    sub = _subtable(data)
    if struct.unpack_from(">H", data, sub)[0] == 4:  # deltas and pointers of each segment
        segments = struct.unpack_from(">H", data, sub + 6)[0] // 2
        return list(range(sub + 16 + 4 * segments, sub + 16 + 8 * segments))
    groups = struct.unpack_from(">L", data, sub + 12)[0]  # each group's first glyph
    return [sub + 16 + 12 * n + 8 + k for n in range(min(groups, 200)) for k in range(4)]


@pytest.mark.parametrize("name", BASES)
def test_a_face_with_bytes_changed_gets_reportlabs_answer_or_error(name: str,
                                                                   tmp_path: Path) -> None:
    """Bytes changed at random (seeded) in the tables the reader reads."""
    data = _base(name).read_bytes()
    tables = _tables(data)
    draw = random.Random(name)
    regions = [_glyph_fields(data)] + [
        list(range(tables[tag][0], tables[tag][0] + min(tables[tag][1], 4096)))
        for tag in ("head", "hhea", "maxp", "hmtx", "loca")]
    for n in range(60):
        region = regions[n % len(regions)]
        changed = bytearray(data)
        for _ in range(draw.randint(1, 4)):
            changed[draw.choice(region)] = draw.randrange(256)
        path = tmp_path / f"changed-{n}.ttf"
        path.write_bytes(bytes(changed))
        _same_outcome(path)
