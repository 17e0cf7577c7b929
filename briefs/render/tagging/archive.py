"""The archival parts of a brief's PDF: XMP metadata, the sRGB output intent, stream ends.

PDF/A-1b (ISO 19005-1, level B) is the part and level written: it is the one this project
can validate (Apache PDFBox Preflight checks PDF/A-1b), level B (appearance) is what a
document of real text in embedded fonts can promise without Unicode-mapping every glyph by
hand, and part 1 is what archives accept most widely. It forbids transparency, which is why
a layout can turn it off (`Archive(pdfa=False)`); the PDF/UA-1 parts are always written.

The sRGB profile shipped beside this package (`briefs/render/srgb.icc`, ICC version 2) is the
output intent: PDF/A-1 accepts only ICC v2. It is a compact one (592 bytes, made by
`tests/srgb_profile.py`): the header, primaries and white point of the lcms sRGB profile in
Debian's icc-profiles-free, and one 64-point tone curve shared by the three channels instead
of three copies of a 1,024-point one: 2.5 KB less in every brief, and no 8-bit colour
converted between the two profiles changes.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFString
from reportlab.pdfbase.pdfdoc import format as pdf_format

from briefs.render.markup import xml_escape as escape

SRGB_ID = "sRGB IEC61966-2.1"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """The shipped ICC profile, read once per process from the installed package."""
    return files("briefs.render").joinpath("srgb.icc").read_bytes()


@lru_cache(maxsize=4)
def _compressed(data: bytes) -> bytes:
    """`data` compressed by zlib at level 9: the colour profile, the same in every brief, is
    compressed once a process (the bytes are zlib's for the same input, whenever made)."""
    return zlib.compress(data, 9)


class RawStream(PDFObject):
    """A stream written as given: unfiltered for XMP metadata, which PDF/A wants readable
    without a decoder, or compressed once here (the colour profile)."""

    __RefOnly__ = 1

    def __init__(self, entries: dict[str, Any], data: bytes, compress: bool = False):
        self.entries = {**entries, "Filter": PDFName("FlateDecode")} if compress else entries
        self.data = _compressed(data) if compress else data

    def format(self, document: Any) -> bytes:
        head = pdf_format(PDFDictionary({**self.entries, "Length": len(self.data)}), document)
        return head + b"\nstream\n" + self.data + b"\nendstream\n"


@dataclass(frozen=True)
class Archive:
    """What the file claims: always PDF/UA-1; PDF/A-1b unless turned off."""

    lang: str
    pdfa: bool = True

    def apply(self, doc: Any) -> None:
        """Add the XMP packet and, for PDF/A, the output intent to ReportLab's document."""
        catalog = doc.Catalog
        catalog.Metadata = RawStream({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")},
                                     xmp_packet(doc.info, doc._timeStamp, self))
        if self.pdfa:
            profile = RawStream({"N": 3}, srgb_profile(), compress=True)
            intent = PDFDictionary({
                "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
                "OutputConditionIdentifier": PDFString(SRGB_ID), "Info": PDFString(SRGB_ID),
                "RegistryName": PDFString("http://www.color.org"),
                "DestOutputProfile": doc.Reference(profile)})
            catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
            catalog.OutputIntents = PDFArray([intent])


def _date(stamp: Any) -> str:
    """ReportLab's document date (the Info dictionary's) in XMP's form, so the two agree."""
    year, month, day, hour, minute, second = stamp.YMDhms
    return (f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
            f"{stamp.dhh:+03d}:{stamp.dmm:02d}")


_PDFUA_SCHEMA = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA identification</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""


def xmp_packet(info: Any, stamp: Any, archive: Archive) -> bytes:
    """The XMP metadata: the Info dictionary's entries again (PDF/A wants them equal), the
    language, and the PDF/UA and PDF/A identifiers. No pdf:Trapped: PDF/A-1 rejects it."""
    date = _date(stamp)
    e = {k: escape(str(getattr(info, k))) for k in
         ("title", "author", "subject", "keywords", "creator", "producer")}
    lang = escape(archive.lang)
    pdfa = ('  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
            "   <pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n"
            "  </rdf:Description>\n" + _PDFUA_SCHEMA) if archive.pdfa else ""
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e['title']}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e['author']}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e['subject']}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{e['producer']}</pdf:Producer>
   <pdf:Keywords>{e['keywords']}</pdf:Keywords>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{e['creator']}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
{pdfa} </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return text.encode("utf-8")


_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_LENGTH = re.compile(rb"/Length (\d+)\b")


def eol_before_endstream(obj: bytes) -> bytes:
    """One object with an end-of-line between its stream data and `endstream` (PDF/A-1,
    6.1.7). ReportLab writes the keyword straight after compressed data; the /Length is
    right already, so the added line end is outside the data."""
    start = obj.find(b"stream\n")
    if start < 0 or b"endstream" not in obj:
        return obj
    length = _LENGTH.search(obj, 0, start)
    if length is None:
        return obj
    end = start + len(b"stream\n") + int(length.group(1))
    if obj.startswith(b"endstream", end):
        return obj[:end] + b"\n" + obj[end:]
    return obj


def finish_file(pdf: bytes) -> bytes:
    """The file with every stream ended by an end-of-line and the xref table rebuilt."""
    found = _XREF.search(pdf)
    if found is None:
        raise ValueError("no startxref: not a file ReportLab wrote")
    xref_at = int(found.group(1))
    head, count = pdf[xref_at:].split(b"\n", 2)[1].split()
    assert head == b"0"
    table_at = xref_at + len(b"xref\n0 ") + len(count) + 1
    entries = [pdf[table_at + 20 * i: table_at + 20 * (i + 1)] for i in range(int(count))]
    offsets = [int(e[:10]) for e in entries[1:]]
    bounds = [*offsets, xref_at]
    out = bytearray(pdf[:offsets[0]])
    table = [entries[0]]
    for index, offset in enumerate(offsets):
        table.append(b"%010d" % len(out) + entries[index + 1][10:])
        out += eol_before_endstream(pdf[offset:bounds[index + 1]])
    new_xref = len(out)
    trailer = pdf[table_at + 20 * int(count): found.start()]
    out += b"xref\n0 " + count + b"\n" + b"".join(table) + trailer
    out += b"startxref\n%d\n%%%%EOF\n" % new_xref
    return bytes(out)
