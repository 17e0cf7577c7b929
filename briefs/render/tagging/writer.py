"""Writing a structure tree into ReportLab's PDF document as it is saved.

What it writes: StructTreeRoot with the Document element, every element with its kids in
reading order (marked-content references, annotation references, child elements), the
ParentTree that maps each page's marked content and each link annotation back to its element,
/MarkInfo, DisplayDocTitle, and the outline (bookmarks) in reading order.

A brief has a hundred or more elements, each an object of its own: they are written
compactly (`Dict`, `Array`: no spaces or line breaks a reader does not need), and a
grouping element whose kids are all elements carries no /Pg, which only its own marked
content would need.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format

from briefs.render.tagging.tree import AnnotRef, ContentRef, StructElem


@dataclass(frozen=True)
class Outline:
    """An outline entry for a heading: its destination, its text, its depth (0 = top)."""

    key: str
    text: str
    level: int


_DELIMITED = b"/[<("  # a value starting with one of these needs no space after its key


class Dict(PDFObject):
    """A PDF dictionary written as `<</S/P/P 7 0 R/K 3>>`: ReportLab's adds a line break
    at each end and a space between entries, some 10 bytes an element."""

    def __init__(self, entries: dict[str, Any]):
        self.entries = entries

    def format(self, document: Any) -> bytes:
        out = bytearray(b"<<")
        for key, value in self.entries.items():
            text = pdf_format(value, document)
            out += b"/" + key.encode("ascii") + (b"" if text[:1] in _DELIMITED else b" ")
            out += text
        return bytes(out + b">>")


class Array(PDFObject):
    """A PDF array written as `[1 2 7 0 R]`, without ReportLab's line breaks."""

    def __init__(self, items: list[Any]):
        self.items = items

    def format(self, document: Any) -> bytes:
        return b"[" + b" ".join(pdf_format(i, document) for i in self.items) + b"]"


def _page_ref(page: int) -> PDFObjectReference:
    # ReportLab names pages Page1, Page2, ... in the order they are added
    return PDFObjectReference(f"Page{page + 1}")


def _has_content(element: StructElem) -> bool:
    return any(not isinstance(k, StructElem) or _has_content(k) for k in element.kids)


def _first_page(element: StructElem) -> int | None:
    """The page of the element's first own content (marked content or annotation), which
    its /Pg names; None when all its kids are elements."""
    for kid in element.kids:
        if not isinstance(kid, StructElem):
            return kid.page
    return None


def _kid(kid: StructElem | ContentRef | AnnotRef, page: int | None, doc: Any,
         refs: dict[StructElem, Any]) -> Any:
    if isinstance(kid, StructElem):
        return refs[kid]
    if isinstance(kid, ContentRef):
        if kid.page == page:
            return kid.mcid
        return Dict({"Type": PDFName("MCR"), "Pg": _page_ref(kid.page), "MCID": kid.mcid})
    return Dict({"Type": PDFName("OBJR"), "Pg": _page_ref(kid.page),
                 "Obj": doc.refAnnotation(kid.name)})


def _element_dict(element: StructElem, parent: Any, doc: Any,
                  refs: dict[StructElem, Any]) -> dict[str, Any]:
    page = _first_page(element)
    kids = [_kid(k, page, doc, refs) for k in element.kids
            if not isinstance(k, StructElem) or k in refs]
    # /Type /StructElem is optional (ISO 32000-1, table 323): left out, as a brief has hundreds
    entries: dict[str, Any] = {"S": PDFName(element.role), "P": parent,
                               "K": kids[0] if len(kids) == 1 else Array(kids)}
    if page is not None:
        entries["Pg"] = _page_ref(page)
    for key, value in (("Alt", element.alt), ("ActualText", element.actual),
                       ("T", element.title)):
        if value is not None:
            entries[key] = PDFString(value)
    return entries


def write_structure(doc: Any, document: StructElem,
                    parent_tree: dict[int, list[StructElem] | StructElem], next_key: int,
                    outline: dict[StructElem, Outline]) -> None:
    """Add the structure tree, the parent tree, /MarkInfo and the outline to `doc`.

    Elements with no content at all (a heading never drawn, a slot's discarded trial) are left
    out: an empty element is an error for a screen reader.
    """
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    elements = [e for e in document.walk() if _has_content(e)]
    shells = {e: Dict({}) for e in elements}
    refs = {e: doc.Reference(shells[e]) for e in elements}
    for element in elements:
        parent = refs.get(element.parent, root_ref)
        shells[element].entries.update(_element_dict(element, parent, doc, refs))
    nums: list[Any] = []
    for key in sorted(parent_tree):
        value = parent_tree[key]
        if isinstance(value, list):
            nums += [key, Array([refs[e] for e in value])]
        else:
            nums += [key, refs[value]]
    root.dict.update({"K": refs[document] if document in refs else PDFArray([]),
                      "ParentTree": doc.Reference(Dict({"Nums": Array(nums)})),
                      "ParentTreeNextKey": next_key})
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
    _write_outline(doc, document, outline)


def _write_outline(doc: Any, document: StructElem, outline: dict[StructElem, Outline]) -> None:
    """Bookmarks in reading order, whatever order the pages drew the headings in."""
    level = -1
    for element in document.walk():
        entry = outline.get(element)
        if entry is None:
            continue
        level = min(entry.level, level + 1)  # a level may not be skipped in an outline
        doc.outline.addOutlineEntry(entry.key, level, entry.text)
