"""A profile's Markdown body (CommonMark) turned into the small block model of the contract.

markdown-it-py parses with raw HTML switched off, so `<img>` or `<font>` in a profile stays
text. Every block reaches the model or is refused with its line (`profilechecks`); nothing here
knows about ReportLab.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from briefs.contract.mdtree import syntax_tree
from briefs.contract.model import (
    SECTION_CLASSES,
    Block,
    ListBlock,
    Para,
    Quote,
    Run,
    Section,
    Subheading,
)
from briefs.contract.profilechecks import (
    refuse_dropped_in_quotes,
    refuse_unread,
    warn_class_without_dot,
    warn_hash_without_space,
)
from briefs.errors import Collector
from briefs.text import did_you_mean

SAFE_SCHEMES = ("http://", "https://", "mailto:")
HEADING_CLASS = re.compile(r"\s*\{\s*(\.[^}]*)\}\s*$")
ATTRIBUTION = re.compile(r"^\s*(—|--)\s*")


@cache
def markdown_parser() -> Any:
    """The one parser of profiles' Markdown in a process (made when first asked for).

    Entities such as &lt; print as typed, like every other character (text is text). Raw
    HTML is off, so its two rules would only ever decline: they are not run at all (the
    tokens are the same, `tests/test_markdown_speed.py`)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable(
        ["entity", "html_block", "html_inline"])


def parse_body(body: str, first_line: int, name: str,
               problems: Collector) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """The introduction and the `##` sections of a profile's Markdown body."""
    tokens = markdown_parser().parse(body)
    source = body.split("\n")
    refuse_unread(tokens, source, first_line, name, problems)
    top, quotes = syntax_tree(tokens)
    refuse_dropped_in_quotes(quotes, first_line, name, problems)
    intro: list[Block] = []
    sections: list[tuple[str, str | None, int, list[Block]]] = []
    for node in top:
        line = first_line + (node.map[0] if node.map else 0)
        warn_hash_without_space(node, source, first_line, name, problems)
        if node.type == "heading" and node.tag in ("h1", "h2"):
            raw = _plain(node.children[0]) if node.children else ""
            heading, cls = _heading_class(raw, name, line, problems)
            if node.tag == "h1":
                problems.add(name, "'#' headings are not used — start a section with '## ' "
                             "(the title comes from donors.csv or the 'title' key)", line=line)
            sections.append((heading, cls, line, []))
            continue
        blocks = intro if not sections else sections[-1][3]
        blocks.extend(_blocks(node))
    return tuple(intro), tuple(Section(h, c, tuple(b), line) for h, c, line, b in sections)


def _heading_class(raw: str, name: str, line: int,
                   problems: Collector) -> tuple[str, str | None]:
    match = HEADING_CLASS.search(raw)
    if not match:
        warn_class_without_dot(raw, name, line, problems)
        return raw.strip(), None
    heading = raw[: match.start()].strip()
    classes = match.group(1).split()
    if len(classes) != 1 or not classes[0].startswith("."):
        problems.add(name, f"'{{{match.group(1)}}}' — a heading takes one class, such as "
                     "{.box}", line=line)
        return heading, None
    cls = classes[0][1:]
    if cls not in SECTION_CLASSES:
        hint = did_you_mean(cls, SECTION_CLASSES, show="'{{.{}}}'", otherwise=" — the classes "
                            "are: " + ", ".join("{." + c + "}" for c in SECTION_CLASSES))
        problems.add(name, f"unknown section class '{{.{cls}}}'{hint}", line=line)
        return heading, None
    return heading, cls


def _blocks(node: Any) -> list[Block]:
    kind = node.type
    if kind == "paragraph":
        return [Para(tuple(inline_runs(node.children[0])))] if node.children else []
    if kind == "heading":
        return [Subheading(_plain(node.children[0]) if node.children else "",
                           int(node.tag[1:]))]
    if kind in ("bullet_list", "ordered_list"):
        items = []
        for item in node.children:
            blocks: list[Block] = []
            for child in item.children:
                blocks.extend(_blocks(child))
            items.append(tuple(blocks))
        start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
        return [ListBlock(kind == "ordered_list", tuple(items), start)]
    if kind == "blockquote":
        return [_quote(node)]
    if kind in ("fence", "code_block", "html_block"):
        text = node.content.rstrip("\n")
        return [Para((Run(text, code=True),))] if text else []
    return []  # thematic breaks carry no text


def _quote(node: Any) -> Quote:
    paras: list[Para] = []
    attribution: tuple[Run, ...] = ()
    children = [c for c in node.children if c.type == "paragraph" and c.children]
    for index, child in enumerate(children):
        inline = child.children[0]
        if index == len(children) - 1:
            body, tail = _split_attribution(inline)
            if tail is not None:
                attribution = tuple(tail)
                if body:
                    paras.append(Para(tuple(body)))
                continue
        paras.append(Para(tuple(inline_runs(inline))))
    return Quote(tuple(paras), attribution)


def _split_attribution(inline: Any) -> tuple[list[Run], list[Run] | None]:
    """Split a quote's last paragraph at its last line when that line starts with a dash."""
    kids = inline.children
    breaks = [i for i, k in enumerate(kids) if k.type in ("softbreak", "hardbreak")]
    cut = breaks[-1] + 1 if breaks else 0
    tail = kids[cut:]
    if not tail or tail[0].type != "text" or not ATTRIBUTION.match(tail[0].content):
        return inline_runs(inline), None
    head_runs = _runs(kids[: breaks[-1]] if breaks else [], False, False, None)
    tail_runs = _runs(tail, False, False, None)
    first = tail_runs[0]
    tail_runs[0] = Run(ATTRIBUTION.sub("", first.text, count=1), first.bold, first.italic,
                       first.href)
    return head_runs, tail_runs


def _plain(inline: Any) -> str:
    return "".join(r.text for r in inline_runs(inline))


def inline_runs(inline: Any) -> list[Run]:
    return _runs(inline.children or [], False, False, None)


def safe_href(href: str) -> str | None:
    """Only links a reader can follow safely: http, https and mailto."""
    return href if href.lower().startswith(SAFE_SCHEMES) else None


def _runs(nodes: list, bold: bool, italic: bool, href: str | None) -> list[Run]:
    runs: list[Run] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "html_inline"):
            runs.append(Run(node.content, bold, italic, href))
        elif kind == "code_inline":
            runs.append(Run(node.content, bold, italic, href, code=True))
        elif kind == "softbreak":
            runs.append(Run(" ", bold, italic, href))
        elif kind == "hardbreak":
            runs.append(Run("", bold, italic, href, line_break=True))
        elif kind == "strong":
            runs.extend(_runs(node.children, True, italic, href))
        elif kind == "em":
            runs.extend(_runs(node.children, bold, True, href))
        elif kind == "link":
            target = safe_href(str(node.attrs.get("href", "")))
            runs.extend(_runs(node.children, bold, italic, target or href))
        elif kind == "image":
            runs.extend(_runs(node.children, bold, italic, href))  # its alt text, never the file
        else:
            runs.extend(_runs(node.children or [], bold, italic, href))
    return runs
