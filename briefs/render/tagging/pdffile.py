"""Writing ReportLab's document out as the PDF file: ReportLab's bytes, by shorter paths.

ReportLab formats a document value by value through one generic `pdfdoc.format`, which asks
each value what it is (isinstance, hasattr) and sends every name and number through a codec
looked up by name: some 700 values a brief, most of them dictionary keys, names, numbers and
references, about 15 of a warm brief's 196 million instructions under callgrind.
`formatting` puts shorter paths for those values in its place for the time a file is
written (and ReportLab's back after, as `briefs.render.streams.deflating` does for its
filter); every other value goes the way ReportLab sends it. `pdf_file` then writes the
objects, the cross-reference table and the trailer in one pass, each stream ended by an end
of line as it is written, where ReportLab writes the file and `finish_file` writes it again
with those line ends.

A document this cannot promise ReportLab's bytes for (encrypted, signed, with comments in
the file) is written by ReportLab, as before. `tests/test_pdf_speed.py` holds the two ways
to the same bytes.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFTrailer,
)

from briefs.render.tagging.archive import eol_before_endstream, finish_file
from briefs.render.tagging.writer import Written

KEPT = 4096  # texts (names, keys) kept encoded: a brief uses about a hundred, all short
SHORT = 64  # characters: a longer text is encoded each time
_encoded: dict[str, bytes] = {}  # text -> its bytes in ReportLab's PDFDocEncoding
_keys: dict[str, bytes] = {}  # dictionary key -> its name as written, "Type" -> b"/Type"


def _kept(memo: dict[str, bytes], text: str, made: bytes) -> bytes:
    """`made` (what `text` is written as: a pure function of the text) kept for next time."""
    if len(text) <= SHORT:
        if len(memo) >= KEPT:
            memo.clear()
        memo[text] = made
    return made


def _text(text: str) -> bytes:
    """A text as ReportLab's format writes it (pdfdocEnc: the extended PDFDocEncoding)."""
    found = _encoded.get(text)
    return found if found is not None else _kept(_encoded, text, text.encode("extpdfdoc"))


def _key(key: str) -> bytes:
    """A dictionary key as ReportLab writes it: the name, escaped, encoded."""
    found = _keys.get(key)
    return found if found is not None else _kept(_keys, key, _text(PDFName(key)))


def _reference(name: str, document: Any) -> bytes:
    """`N V R` for an object ReportLab has numbered (PDFObjectReference.format)."""
    try:
        return b"%d %d R" % document.idToObjectNumberAndVersion[name]
    except KeyError:
        raise KeyError(f"forward reference to {name!r} not resolved upon final "
                       "formatting") from None


def _format(element: Any, document: Any, toplevel: int = 0) -> bytes:
    """ReportLab's pdfdoc.format, the commonest values first and each by its own path."""
    kind = type(element)
    if kind is str:
        return _text(element)
    if kind is PDFObjectReference:
        return _reference(element.name, document)
    if kind is int or kind is float:
        return fp_str(element).encode("ascii")  # digits, '.' and '-': the same in pdfdoc
    if kind is bytes:
        return element
    if isinstance(element, PDFObject):
        if not toplevel and hasattr(element, "__RefOnly__"):
            return document.Reference(element).format(document)
        return element.format(document)
    return _PLAIN_FORMAT(element, document, toplevel)  # subclasses of str, bytes...


def _format_dictionary(self: PDFDictionary, document: Any, IND: bytes = b"\n ") -> bytes:
    """PDFDictionary.format: its keys sorted, six entries a line unless set otherwise."""
    entries = self.dict
    keys = list(entries)
    if not isinstance(entries, OrderedDict):
        keys.sort()
    items = [_key(k) + b" " + _format(entries[k], document) for k in keys]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"<<\n" + IND.join(items) + b"\n>>"
    for at in reversed(range(6, len(items), 6)):
        items.insert(at, b"\n ")
    return b"<<\n" + b" ".join(items) + b"\n>>"


def _format_array(self: PDFArray, document: Any, IND: bytes = b"\n ") -> bytes:
    """PDFArray.format: ten items a line unless set otherwise."""
    items = [_format(e, document) for e in self.sequence]
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        return b"[ " + IND.join(items) + b" ]"
    for at in reversed(range(10, len(items), 10)):
        items.insert(at, b"\n ")
    return b"[ " + b" ".join(items) + b" ]"


def _format_reference(self: PDFObjectReference, document: Any) -> bytes:
    return _reference(self.name, document)


_PLAIN_FORMAT = pdfdoc.format  # ReportLab's own
_SHORT_PATHS = ((pdfdoc, "format", _format),
                (PDFDictionary, "format", _format_dictionary),
                (PDFArray, "format", _format_array),
                (PDFObjectReference, "format", _format_reference))


def plain(document: Any) -> bool:
    """Whether the short paths write what ReportLab would for `document`: not encrypted, not
    signed, no comments in the file."""
    commented = not rl_config.invariant and rl_config.pdfComments
    return (type(document.encrypt) is NoEncryption and not getattr(document, "_digiSigs", None)
            and not commented)


@contextlib.contextmanager
def formatting() -> Iterator[None]:
    """ReportLab's values formatted by the short paths for the block, by its own after."""
    own = [(owner, name, owner.__dict__[name]) for owner, name, _ in _SHORT_PATHS]
    for owner, name, short in _SHORT_PATHS:
        setattr(owner, name, short)
    try:
        yield
    finally:
        for owner, name, before in own:
            setattr(owner, name, before)


def pdf_file(document: Any, canvas: Any) -> bytes:
    """`finish_file(document.GetPDFData(canvas))`, in one pass and by the short paths."""
    if not plain(document):
        return finish_file(document.GetPDFData(canvas))
    with formatting():
        _prepare(document, canvas)
        return _written(document)


def _prepare(document: Any, canvas: Any) -> None:
    """What ReportLab's GetPDFData does before it formats: fonts, info, outline."""
    for font in document.delayedFonts:
        font.addObjects(document)
    document.info.invariant = document.invariant
    document.info.digest(document.signature)
    document.Reference(document.Catalog)
    document.Reference(document.info)
    document.Outlines.prepare(document, canvas)
    if document.Outlines.ready < 0:
        document.Catalog.Outlines = None


def _written(document: Any) -> bytes:
    """ReportLab's PDFDocument.format, the file's streams ended as `finish_file` ends them:
    every object in number order (objects may register more as they are formatted), then
    the cross-reference table and the trailer."""
    document.encrypt.prepare(document)
    root = document.Reference(document.Catalog)
    info = document.Reference(document.info)
    numbers = document.idToObjectNumberAndVersion
    objects = document.idToObject
    ids = document.numberToId
    out = [b"%%PDF-%d.%d\n" % document._pdfVersion
           + b"%\223\214\213\236 ReportLab Generated PDF document (opensource)\n"]
    at = len(out[0])
    table = [b"0000000000 65535 f \n"]
    count = 0
    while count + 1 in ids:
        count += 1
        name = ids[count]
        content = objects[name]
        body = content.data if type(content) is Written else _format(content, document, 1)
        number, version = numbers[name]
        chunk = b"%d %d obj\n" % (number, version) + body \
            + (b"" if body.endswith(b"\n") else b"\n") + b"endobj\n"
        if b"endstream" in chunk:  # what eol_before_endstream looks for first
            chunk = eol_before_endstream(chunk)
        document.idToOffset[name] = at
        table.append(b"%010d %05d n \n" % (at, version))
        out.append(chunk)
        at += len(chunk)
    if count != len(ids):
        raise ValueError(f"counter {count + 1} doesn't match number to id dictionary {len(ids)}")
    trailer = PDFTrailer(startxref=at, Size=count + 1, Root=root, Info=info,
                         ID=document.ID())
    out.append(b"xref\n0 %d\n" % (count + 1) + b"".join(table))
    out.append(trailer.format(document))
    return b"".join(out)
