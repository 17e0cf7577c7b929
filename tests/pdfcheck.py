"""Helpers that look inside PDFs for the tests (not tests themselves).

pypdf reads structure (fonts, images, annotations, metadata, text); pypdfium2 renders pixels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

# The 14 fonts every PDF reader must have; a PDF that uses one of them without embedding it
# looks different on every machine.
STANDARD_14 = frozenset({
    "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique",
    "Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic",
    "Symbol", "ZapfDingbats",
})
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def _obj(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _key(obj: Any) -> object:
    ref = getattr(obj, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(obj)


def _resource_dicts(reader: PdfReader) -> Iterator[tuple[Any, Any]]:
    """(resources, content stream or None) for every page, form XObject, pattern, Type3 font
    and annotation appearance, each once: every place a font or an image can hide."""
    seen: set[object] = set()
    todo: list[tuple[Any, Any]] = []
    for page in reader.pages:
        todo.append((page.get("/Resources"), page))
        for annot in _obj(page.get("/Annots")) or []:
            appearance = _obj(_obj(annot).get("/AP"))
            if appearance:
                for kind in ("/N", "/R", "/D"):
                    stream = _obj(appearance.get(kind))
                    if stream is None:
                        continue
                    # an appearance is a stream or a dict of states, each a stream
                    states = [stream] if hasattr(stream, "get_data") \
                        else [_obj(v) for v in stream.values()]
                    todo.extend((s.get("/Resources"), s) for s in states)
    while todo:
        resources, owner = todo.pop()
        resources = _obj(resources)
        owner_key = _key(owner)
        if owner_key in seen:
            continue
        seen.add(owner_key)
        yield resources, owner
        if not resources:
            continue
        for xobject in (_obj(resources.get("/XObject")) or {}).values():
            xobject = _obj(xobject)
            if xobject.get("/Subtype") == "/Form":
                todo.append((xobject.get("/Resources"), xobject))
        for pattern in (_obj(resources.get("/Pattern")) or {}).values():
            pattern = _obj(pattern)
            if "/Resources" in pattern:
                todo.append((pattern.get("/Resources"), pattern))
        for font in (_obj(resources.get("/Font")) or {}).values():
            font = _obj(font)
            if font.get("/Subtype") == "/Type3" and "/Resources" in font:
                todo.append((font.get("/Resources"), font))


def _font_entries(font: Any) -> Iterator[tuple[str, bool]]:
    font = _obj(font)
    subtype = font.get("/Subtype")
    if subtype == "/Type0":
        for descendant in _obj(font.get("/DescendantFonts")) or []:
            yield from _font_entries(descendant)
        return
    name = str(font.get("/BaseFont") or font.get("/Name") or "?").lstrip("/")
    if subtype == "/Type3":
        yield name, True  # its glyphs are drawn by procedures inside the file
        return
    descriptor = _obj(font.get("/FontDescriptor"))
    yield name, bool(descriptor) and any(k in descriptor for k in FONT_FILES)


def all_fonts(reader: PdfReader) -> set[tuple[str, bool]]:
    """(BaseFont, embedded) for every font used anywhere: pages, forms (recursively), Type0
    descendants, patterns, Type3 fonts, annotation appearances."""
    found: set[tuple[str, bool]] = set()
    for resources, _ in _resource_dicts(reader):
        if not resources:
            continue
        for font in (_obj(resources.get("/Font")) or {}).values():
            found.update(_font_entries(font))
    return found


def base_name(font_name: str) -> str:
    """A font's name without the subset tag: 'AAAAAA+DejaVuSans' -> 'DejaVuSans'."""
    return SUBSET_TAG.sub("", font_name)


def _inline_images(reader: PdfReader, owner: Any) -> int:
    if hasattr(owner, "get_contents"):  # a page
        contents = owner.get_contents()
        if contents is None:
            return 0
        stream = contents
    elif hasattr(owner, "get_data"):
        stream = ContentStream(owner, reader)
    else:
        return 0
    return sum(1 for _, operator in stream.operations if operator == b"INLINE IMAGE")


def image_count(reader: PdfReader) -> int:
    """Image XObjects (each object once, wherever it is: pages, forms, patterns, Type3 fonts,
    appearances) plus inline images (BI … ID … EI) in every content stream."""
    images: set[object] = set()
    inline = 0
    for resources, owner in _resource_dicts(reader):
        inline += _inline_images(reader, owner)
        if not resources:
            continue
        for xobject in (_obj(resources.get("/XObject")) or {}).values():
            xobject = _obj(xobject)
            if xobject.get("/Subtype") == "/Image":
                images.add(_key(xobject))
    return len(images) + inline


HYPHEN_AT_LINE_END = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")


def text(reader: PdfReader) -> str:
    """The text of every page, whitespace collapsed to single spaces.

    ReportLab does not hyphenate: a hyphen at the end of a line is one the text has
    (`sub-Saharan`, `cargo-handling`), so only there the line break is dropped, never the
    hyphen, and nowhere else are words joined.
    """
    raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    raw = HYPHEN_AT_LINE_END.sub("-", raw)
    return re.sub(r"\s+", " ", raw).strip()


def squash(value: str) -> str:
    """Without any whitespace: for text that ReportLab may break inside long 'words'
    (`src="/etc/hostname"/>` is one word to it)."""
    return re.sub(r"\s+", "", value)


def link_uris(reader: PdfReader) -> list[str]:
    """The /URI of every link annotation's action, page by page."""
    uris = []
    for page in reader.pages:
        for annot in _obj(page.get("/Annots")) or []:
            action = _obj(_obj(annot).get("/A"))
            if action and "/URI" in action:
                uris.append(str(_obj(action["/URI"])))
    return uris


def render_page(path: Path, index: int = 0, scale: float = 1.0) -> Any:
    """Page `index` of the PDF as a PIL RGB image, rendered by PDFium."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        try:
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            page.close()
    finally:
        pdf.close()
    return image


def hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def close_to(pixel: tuple[int, ...], color: tuple[int, int, int], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))
