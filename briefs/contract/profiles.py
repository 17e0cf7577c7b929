"""Reading `profiles/CODE/EDITION.md`: YAML front matter, then CommonMark.

markdown-it-py parses with raw HTML switched off, so `<img>` or `<font>` in a profile stays
text. The Markdown tree is turned into the small block model of `briefs.model`; nothing here
knows about ReportLab.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from briefs import safe_yaml
from briefs.contract.model import (
    SECTION_CLASSES,
    Block,
    ListBlock,
    Para,
    Profile,
    Quote,
    Run,
    Section,
    Subheading,
)
from briefs.contract.profilechecks import (
    refuse_dropped_in_quotes,
    refuse_unread,
    warn_class_without_dot,
    warn_empty_lists,
    warn_hash_without_space,
    why_no_front_matter,
)
from briefs.errors import Collector
from briefs.safe_files import FileProblem, read_regular
from briefs.safe_yaml import excerpt
from briefs.text import did_you_mean

FRONT_MATTER_KEYS = ("edition", "layout", "title", "subtitle", "period", "partner_countries",
                     "key_partners")
DEFAULT_LAYOUT = "factsheet"
SAFE_SCHEMES = ("http://", "https://", "mailto:")
HEADING_CLASS = re.compile(r"\s*\{\s*(\.[^}]*)\}\s*$")
ATTRIBUTION = re.compile(r"^\s*(—|--)\s*")


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    # entities such as &lt; print as typed, like every other character: text is text
    return MarkdownIt("commonmark", {"html": False}).disable("entity")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first line), or None without front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def _read_front(front: str) -> tuple[object, dict[str, int], dict[str, list[int]]]:
    """The front matter's value, the line of each top-level key and of each list item.

    Parsed once into a node tree: the lines come from its marks, the value is constructed
    from it. Raises yaml.YAMLError, or YamlProblem for an alias or a repeated key.
    """
    node = safe_yaml.compose(front, fast=True)
    if node is None:
        return None, {}, {}
    value = safe_yaml.construct(node)
    keys: dict[str, int] = {}
    items: dict[str, list[int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            keys[str(key.value)] = key.start_mark.line + 2
            if isinstance(child, yaml.SequenceNode):
                items[str(key.value)] = [i.start_mark.line + 2 for i in child.value]
    return value, keys, items


def front_matter_lines(front: str) -> tuple[dict, dict[str, int]]:
    """The front matter as a mapping (empty when it is not one) and each key's line."""
    try:
        value, lines, _ = _read_front(front)
    except (yaml.YAMLError, safe_yaml.YamlProblem):
        return {}, {}
    return (value if isinstance(value, dict) else {}), lines


def _read_text(path: Path, name: str, problems: Collector) -> str | None:
    """The profile's text with LF line ends: only a regular file of a sane size, in UTF-8."""
    try:
        raw = read_regular(path)
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except FileProblem as exc:
        problems.add(name, str(exc))
    except UnicodeDecodeError as exc:
        problems.add(name, "is not UTF-8 — save it as UTF-8 in your editor",
                     line=raw[: exc.start].count(b"\n") + 1)
    return None


def load_profile(path: Path, donor: str, name: str, problems: Collector,
                 body: bool = True, accepted: frozenset[str] = frozenset()) -> Profile | None:
    """Parse one profile; problems are collected, None when it cannot be used.

    With `body` False the Markdown is not parsed (intro and sections stay empty): enough to
    tell whether an existing PDF is still current, which is most briefs of a yearly run.
    """
    text = _read_text(path, name, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.add(name, *why_no_front_matter(text))
        return None
    front, text_body, body_line = parts
    try:
        meta, lines, items = _read_front(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        problems.add(name, f"front matter is not valid YAML: {what}", line=line)
        return None
    except safe_yaml.YamlProblem as exc:
        problems.add(name, exc.text(2), line=exc.line + 2, field=exc.key or None)
        return None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.add(name, "front matter must be a set of 'key: value' lines, such as "
                     "'edition: 2017'", line=2)
        return None
    before = len(problems.problems)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            hint = did_you_mean(str(key), FRONT_MATTER_KEYS,
                                otherwise=f" — the keys are: {', '.join(FRONT_MATTER_KEYS)}")
            problems.add(name, f"unknown key '{key}'{hint}", line=lines.get(str(key)))
    edition = _edition(meta, path, name, lines, problems)
    period = _period(meta, edition, name, lines, problems)
    layout = _text(meta, "layout", name, lines, problems) or DEFAULT_LAYOUT
    title = _text(meta, "title", name, lines, problems)
    subtitle = _text(meta, "subtitle", name, lines, problems)
    partners = _text_list(meta, "partner_countries", name, lines, problems, front)
    key_partners = _text_list(meta, "key_partners", name, lines, problems, front)
    _warn_countries(partners, items.get("partner_countries", []),
                    lines.get("partner_countries"), name, problems, accepted)
    intro, sections = parse_body(text_body, body_line, name, problems) if body else ((), ())
    warn_empty_lists(sections, {"partner-countries": partners, "key-partners": key_partners},
                      name, problems)
    if len(problems.problems) > before or edition is None or period is None:
        return None
    return Profile(donor=donor, edition=edition, path=path, layout=layout, title=title,
                   subtitle=subtitle, period=period, partner_countries=partners,
                   key_partners=key_partners, intro=intro, sections=sections, source=text,
                   name=name, lines=lines)


def _warn_countries(names: tuple[str, ...], item_lines: list[int], key_line: int | None,
                    name: str, problems: Collector, accepted: frozenset[str]) -> None:
    from briefs.contract.countries import unrecognised

    for index, country in enumerate(names):
        hint = unrecognised(country, accepted)
        if hint:
            line = item_lines[index] if index < len(item_lines) else key_line
            problems.warn(name, f"partner_countries: '{country}' is not a country name we "
                          f"recognise{hint}", line=line)


def _edition(meta: dict, path: Path, name: str, lines: dict[str, int],
             problems: Collector) -> int | None:
    value = meta.get("edition")
    if value is None:
        problems.add(name, f"missing key 'edition' — add 'edition: {path.stem}' to the front "
                     "matter", line=2)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(name, f"'{value}' is not a year — write four digits such as 2017",
                     line=lines.get("edition"), field="edition")
        return None
    if str(value) != path.stem:
        problems.add(name, f"{value} does not match the file name {path.name} — rename the "
                     f"file to {value}.md or set 'edition: {path.stem}'",
                     line=lines.get("edition"), field="edition")
        return None
    return value


def _period(meta: dict, edition: int | None, name: str, lines: dict[str, int],
            problems: Collector) -> tuple[int, int] | None:
    value = meta.get("period")
    if value is None:
        return None if edition is None else (edition - 5, edition - 1)
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 9999
                  for v in value))
    if not ok:
        problems.add(name, f"{excerpt(value)} is not a period — write two years: [2012, 2016]",
                     line=lines.get("period"), field="period")
        return None
    start, end = value
    if end < start:
        problems.add(name, f"ends ({end}) before it starts ({start}) — write [start, end]",
                     line=lines.get("period"), field="period")
        return None
    return start, end


def _text(meta: dict, key: str, name: str, lines: dict[str, int],
          problems: Collector) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.add(name, f"{excerpt(value)} is not text — write it on one line after '{key}:'",
                     line=lines.get(key), field=key)
        return None
    return value.strip()


def _text_list(meta: dict, key: str, name: str, lines: dict[str, int],
               problems: Collector, front: str = "") -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and len(item) == 1 and \
                    f"- {next(iter(item))}: " in front:
                [(head, tail)] = item.items()
                problems.add(name, f"the item '{head}: {tail}' reads as 'key: value' because "
                             "of the ': ' in it — put the name in quotes: "
                             f"- \"{head}: {tail}\"", line=lines.get(key), field=key)
                return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(name, "must be a list of names, one per line starting with '- ', "
                     "or [Name, Name]", line=lines.get(key), field=key)
        return ()
    return tuple(v.strip() for v in value)


def parse_body(body: str, first_line: int, name: str,
               problems: Collector) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """The introduction and the `##` sections of a profile's Markdown body."""
    from markdown_it.tree import SyntaxTreeNode

    tokens = _markdown().parse(body)
    source = body.split("\n")
    refuse_unread(tokens, source, first_line, name, problems)
    tree = SyntaxTreeNode(tokens)
    refuse_dropped_in_quotes(tree, first_line, name, problems)
    intro: list[Block] = []
    sections: list[tuple[str, str | None, int, list[Block]]] = []
    for node in tree.children:
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
