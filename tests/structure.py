"""A checker of tagged PDFs for the tests (not a test itself), written with pikepdf.

It reads what `pdfua` and Preflight do not: every painting operator must lie inside marked
content tied to an element or inside an artifact; BDC/EMC must nest properly with q/Q and
BT/ET; the ParentTree must agree with the marked content and the tree; a Figure needs /Alt;
lists and tables must nest as ISO 32000-1 says; heading levels must not be skipped. It also
reads the text through the structure tree, in order, for the reading-order tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

PAINTING = frozenset({"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*",
                      "sh", "Do", "BI", "INLINE IMAGE"})
TEXT_SHOW = frozenset({"Tj", "TJ", "'", '"'})
OPENERS = {"q": "Q", "BT": "ET", "BDC": "EMC", "BMC": "EMC"}
CLOSERS = {"Q": "q", "ET": "BT", "EMC": "MC"}
# which kids each grouping element may hold, and which parent each part needs
ALLOWED_KIDS = {"L": {"LI", "Caption", "L"}, "LI": {"Lbl", "LBody"},
                "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
                "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}, "TR": {"TH", "TD"}}
REQUIRED_PARENT = {"LI": {"L"}, "Lbl": {"LI"}, "LBody": {"LI"}, "TR": {"Table", "THead",
                   "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"}}
HEADING = re.compile(r"^H([1-6])$")


@dataclass
class PageContent:
    """What one page's content stream holds, by marked-content id."""

    text: dict[int, str] = field(default_factory=dict)  # MCID -> text shown inside it


@dataclass
class Report:
    findings: list[str]
    text: str  # read through the structure tree; one element's block per line


def _cmap(font: Any) -> dict[int, str]:
    """A simple font's byte -> text map from its ToUnicode CMap (what ReportLab writes)."""
    out: dict[int, str] = {}
    to_unicode = font.get("/ToUnicode")
    if to_unicode is None:
        return out
    data = to_unicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>",
                                      block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + offset)
    return out


def _shown(operator: str, operands: list[Any], cmap: dict[int, str]) -> str:
    strings = operands[0] if operator == "TJ" else operands[-1:]
    out = []
    for item in strings:
        if isinstance(item, pikepdf.String):
            out.append("".join(cmap.get(b, "\ufffd") for b in bytes(item)))
    return "".join(out)


def _page_content(page: pikepdf.Page, number: int, findings: list[str]) -> PageContent:
    """Walk one page's operators: painting outside marked content, nesting, text per MCID."""
    fonts = page.obj.Resources.get("/Font") or {}
    cmaps = {str(name): _cmap(font) for name, font in fonts.items()}
    content = PageContent()
    stack: list[str] = []  # "q", "BT" and "MC" in the order they were opened
    marks: list[int | None] = []  # MCID or None (artifact or unnumbered) per open sequence
    cmap: dict[int, str] = {}
    where = f"page {number + 1}"
    for operands, op in pikepdf.parse_content_stream(page):
        operator = str(op)
        if operator in OPENERS:
            stack.append("MC" if operator in ("BDC", "BMC") else operator)
            if operator in ("BDC", "BMC"):
                props = operands[1] if operator == "BDC" else None
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                artifact = str(operands[0]) == "/Artifact"
                marks.append(int(mcid) if mcid is not None else -1 if artifact else None)
                if mcid is not None:
                    content.text.setdefault(int(mcid), "")
        elif operator in CLOSERS:
            expected = CLOSERS[operator]
            if not stack or stack[-1] != expected:
                findings.append(f"{where}: {operator} closes {stack[-1] if stack else 'nothing'}"
                                f" (marked content must nest with q/Q and BT/ET)")
            else:
                stack.pop()
                if operator == "EMC":
                    marks.pop()
        elif operator == "Tf":
            cmap = cmaps.get(str(operands[0]), {})
        if operator in PAINTING:
            owner = next((m for m in reversed(marks) if m is not None), None)
            if owner is None:
                findings.append(f"{where}: '{operator}' painted outside marked content")
            elif owner >= 0 and operator in TEXT_SHOW:
                content.text[owner] += _shown(operator, operands, cmap)
    if stack:
        findings.append(f"{where}: {', '.join(stack)} never closed")
    return content


def _role(elem: Any) -> str:
    return str(elem.get("/S", "/?"))[1:]


def _kids(elem: Any) -> list[Any]:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_elem(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in (
        pikepdf.Name.MCR, pikepdf.Name.OBJR) and "/S" in kid


def _elements(elem: Any) -> Iterator[Any]:
    yield elem
    for kid in _kids(elem):
        if _is_elem(kid):
            yield from _elements(kid)


def _content_ref(elem: Any, kid: Any) -> tuple[tuple[int, int], int] | None:
    """(page object id, MCID) when `kid` of `elem` is marked content, else None."""
    if isinstance(kid, int):
        return elem.Pg.objgen, int(kid)
    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
        return kid.Pg.objgen, int(kid.MCID)
    return None


def _content_refs(elem: Any) -> Iterator[tuple[tuple[int, int], int]]:
    for kid in _kids(elem):
        ref = _content_ref(elem, kid)
        if ref is not None:
            yield ref


def _check_tree(document: Any, findings: list[str]) -> None:
    """Figures, list and table nesting, heading levels."""
    level = 0
    for elem in _elements(document):
        role = _role(elem)
        if role == "Figure" and not str(elem.get("/Alt", "")).strip():
            findings.append("a Figure has no /Alt")
        roles = [_role(k) for k in _kids(elem) if _is_elem(k)]
        for kid in roles:
            if role in ALLOWED_KIDS and kid not in ALLOWED_KIDS[role]:
                findings.append(f"{kid} inside {role}")
            if kid in REQUIRED_PARENT and role not in REQUIRED_PARENT[kid]:
                findings.append(f"{kid} inside {role}, not in {'/'.join(REQUIRED_PARENT[kid])}")
        heading = HEADING.match(role)
        if heading:
            number = int(heading.group(1))
            if number > level + 1:
                findings.append(f"heading level skipped: {role} after H{level}")
            level = number


def _check_parent_tree(pdf: pikepdf.Pdf, root: Any, pages: dict[tuple[int, int], PageContent],
                       findings: list[str]) -> None:
    """The ParentTree, the tree's content references and the pages' MCIDs must agree."""
    owners: dict[tuple[tuple[int, int], int], tuple[int, int]] = {}
    for elem in _elements(root.K):
        for ref in _content_refs(elem):
            if ref in owners:
                findings.append(f"MCID {ref[1]} belongs to two elements")
            owners[ref] = elem.objgen
    nums = list(root.ParentTree.get("/Nums", []))
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(pdf.pages):
        key = page.obj.get("/StructParents")
        marked = set(pages[page.obj.objgen].text)
        if key is None:
            if marked:
                findings.append(f"page {number + 1}: marked content but no /StructParents")
            continue
        entry = list(parent_tree.get(int(key), []))
        for mcid in marked:
            owner = owners.get((page.obj.objgen, mcid))
            if owner is None:
                findings.append(f"page {number + 1}: MCID {mcid} belongs to no element")
            elif mcid >= len(entry) or entry[mcid].objgen != owner:
                findings.append(f"page {number + 1}: ParentTree disagrees on MCID {mcid}")
        for ref in owners:
            if ref[0] == page.obj.objgen and ref[1] not in marked:
                findings.append(f"page {number + 1}: the tree names MCID {ref[1]}, not on it")


def _read(elem: Any, pages: dict[tuple[int, int], PageContent], lines: list[str]) -> None:
    """The element's text in reading order: /ActualText replaces what is printed, a Figure is
    heard as its /Alt."""
    for key in ("/ActualText", "/Alt"):
        if key in elem and _role(elem) != "Link":
            lines.append(str(elem[key]))
            return
    own: list[str] = []
    for kid in _kids(elem):
        ref = _content_ref(elem, kid)
        if ref is not None:
            own.append(pages[ref[0]].text.get(ref[1], ""))
        elif _is_elem(kid):
            if own:
                lines.append("".join(own))
                own = []
            _read(kid, pages, lines)
    if own:
        lines.append("".join(own))


def check_pdf(path: Path) -> Report:
    """Every finding of the structure checks, and the text read through the tree."""
    findings: list[str] = []
    with pikepdf.open(path) as pdf:
        pages = {p.obj.objgen: _page_content(p, i, findings) for i, p in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return Report([*findings, "no StructTreeRoot"], "")
        _check_tree(root.K, findings)
        _check_parent_tree(pdf, root, pages, findings)
        lines: list[str] = []
        _read(root.K, pages, lines)
    return Report(findings, "\n".join(line.strip() for line in lines if line.strip()))
