"""Writing a structure tree into ReportLab's PDF document as it is saved.

What it writes: StructTreeRoot with the Document element, every element with its kids in
reading order (marked-content references, annotation references, child elements), the
ParentTree that maps each page's marked content and each link annotation back to its element,
/MarkInfo, DisplayDocTitle, and the outline (bookmarks) in reading order.

A brief has a hundred or more elements, each an object of its own: they are written as bytes
here (`Written`), compactly (no spaces or line breaks a reader does not need), and a
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

from briefs.render.tagging.tree import AnnotRef, ContentRef, StructElem


@dataclass(frozen=True)
class Outline:
    """An outline entry for a heading: its destination, its text, its depth (0 = top)."""

    key: str
    text: str
    level: int


class Written(PDFObject):
    """A PDF object already written as bytes (its references are numbers by then)."""

    def __init__(self, data: bytes = b""):
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class _Refs:
    """`N 0 R` for the objects a structure tree points at: elements, pages, annotations.

    ReportLab numbers an object when it is registered (`doc.Reference`), and by the time the
    canvas is saved every page and annotation is; so the elements are written here as bytes
    rather than as dictionaries ReportLab formats value by value (a brief has a hundred).
    """

    def __init__(self, doc: Any, elements: dict[StructElem, Any]):
        self.numbers = doc.idToObjectNumberAndVersion
        self.doc = doc
        self.elements = {e: self.of(ref) for e, ref in elements.items()}
        self.pages: dict[int, bytes] = {}

    def of(self, ref: PDFObjectReference) -> bytes:
        return b"%d %d R" % self.numbers[ref.name]

    def page(self, page: int) -> bytes:
        # ReportLab names pages Page1, Page2, ... in the order they are added
        found = self.pages.get(page)
        if found is None:
            found = self.pages[page] = self.of(PDFObjectReference(f"Page{page + 1}"))
        return found


def _has_content(element: StructElem, known: dict[StructElem, bool]) -> bool:
    """Whether the element holds marked content or an annotation, itself or below (each
    element's answer kept in `known`, so the tree is walked once)."""
    found = known.get(element)
    if found is None:
        found = known[element] = any(not isinstance(k, StructElem) or _has_content(k, known)
                                     for k in element.kids)
    return found


def _first_page(element: StructElem) -> int | None:
    """The page of the element's first own content (marked content or annotation), which
    its /Pg names; None when all its kids are elements."""
    for kid in element.kids:
        if not isinstance(kid, StructElem):
            return kid.page
    return None


def _kid(kid: StructElem | ContentRef | AnnotRef, page: int | None, refs: _Refs) -> bytes:
    if isinstance(kid, StructElem):
        return refs.elements[kid]
    if isinstance(kid, ContentRef):
        if kid.page == page:
            return b"%d" % kid.mcid
        return b"<</Type/MCR/Pg %s/MCID %d>>" % (refs.page(kid.page), kid.mcid)
    return b"<</Type/OBJR/Pg %s/Obj %s>>" % (refs.page(kid.page),
                                              refs.of(refs.doc.refAnnotation(kid.name)))


def _element(element: StructElem, parent: bytes, refs: _Refs) -> bytes:
    """The element's dictionary, compact: `<</S/P/P 7 0 R/K 3>>` (ReportLab's dictionaries
    add a line break at each end and a space between entries, some 10 bytes an element).
    /Type /StructElem is optional (ISO 32000-1, table 323): left out, as a brief has hundreds.
    """
    page = _first_page(element)
    kids = [_kid(k, page, refs) for k in element.kids
            if not isinstance(k, StructElem) or k in refs.elements]
    out = b"<</S/" + element.role.encode("ascii") + b"/P " + parent + b"/K"
    if len(kids) == 1:
        out += kids[0] if kids[0][:1] == b"<" else b" " + kids[0]
    else:
        out += b"[" + b" ".join(kids) + b"]"
    if page is not None:
        out += b"/Pg " + refs.page(page)
    for key, value in ((b"/Alt", element.alt), (b"/ActualText", element.actual),
                       (b"/T", element.title)):
        if value is not None:
            out += key + PDFString(value).format(refs.doc)  # starts with ( or <
    return out + b">>"


def write_structure(doc: Any, document: StructElem,
                    parent_tree: dict[int, list[StructElem] | StructElem], next_key: int,
                    outline: dict[StructElem, Outline]) -> None:
    """Add the structure tree, the parent tree, /MarkInfo and the outline to `doc`.

    Elements with no content at all (a heading never drawn, a slot's discarded trial) are left
    out: an empty element is an error for a screen reader.
    """
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)
    known: dict[StructElem, bool] = {}
    walked = list(document.walk())
    elements = [e for e in walked if _has_content(e, known)]
    shells = {e: Written() for e in elements}
    references = {e: doc.Reference(shells[e]) for e in elements}
    refs = _Refs(doc, references)
    top = refs.of(root_ref)
    for element in elements:
        shells[element].data = _element(element, refs.elements.get(element.parent, top), refs)
    nums: list[bytes] = []
    for key in sorted(parent_tree):
        value = parent_tree[key]
        mine = b"[" + b" ".join(refs.elements[e] for e in value) + b"]" \
            if isinstance(value, list) else refs.elements[value]
        nums.append(b"%d %s" % (key, mine))
    root.dict.update({"K": references.get(document, PDFArray([])),
                      "ParentTree": doc.Reference(Written(b"<</Nums[" + b" ".join(nums) +
                                                          b"]>>")),
                      "ParentTreeNextKey": next_key})
    catalog = doc.Catalog
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
    _write_outline(doc, walked, outline)


def _write_outline(doc: Any, walked: list[StructElem],
                   outline: dict[StructElem, Outline]) -> None:
    """Bookmarks in reading order (`walked`), whatever order the pages drew the headings in."""
    level = -1
    for element in walked:
        entry = outline.get(element)
        if entry is None:
            continue
        level = min(entry.level, level + 1)  # a level may not be skipped in an outline
        doc.outline.addOutlineEntry(entry.key, level, entry.text)
