"""Checks on a profile's text that catch what would print wrong or not at all.

Markdown forgives a great deal: a heading without its space is a paragraph, a class without
its dot is text, a parser at its nesting limit drops the rest of the file. Each such case is
found here, at load time, with the file and line, so it never reaches a donor silently.
"""

from __future__ import annotations

import re
from typing import Any

from briefs.contract.model import SECTION_CLASSES, Para, Section
from briefs.errors import Collector
from briefs.text import did_you_mean

_DASHES = re.compile(r"^\s*(-{2,}|—|–|-\s*-\s*-|\.{2,})\s*$")


def why_no_front_matter(text: str) -> tuple[str, int]:
    """What is wrong with the front matter's fences, and the line to look at."""
    lines = text.splitlines()
    first = lines[0].strip() if lines else ""
    if first != "---" and _DASHES.match(first):
        return f"line 1 is '{first}' — the front matter starts with a line of exactly three " \
            "dashes '---'", 1
    if first != "---":
        return "has no front matter — start the file with a line '---', then 'edition: YEAR', " \
            "then another '---'", 1
    for number, line in enumerate(lines[1:], start=2):
        if _DASHES.match(line):
            return f"the front matter is not closed: line {number} is '{line.strip()}' — end " \
                "the front matter with a line of exactly three dashes '---'", number
    return "the front matter that starts on line 1 is never closed — end it with a line '---' " \
        "before the text", 1


def warn_empty_lists(sections: tuple[Section, ...], lists: dict[str, tuple[str, ...]],
                      name: str, problems: Collector) -> None:
    """A {.partner-countries} section with no list ends on '…among others:' and nothing.

    Only when its text ends on a colon: a section may also just place its text there.
    """
    for section in sections:
        last = section.blocks[-1] if section.blocks else None
        ends_on_colon = isinstance(last, Para) and \
            "".join(r.text for r in last.runs).rstrip().endswith(":")
        if section.cls in lists and not lists[section.cls] and ends_on_colon:
            key = section.cls.replace("-", "_")
            problems.warn(name, f"the {{.{section.cls}}} section prints its text and then the "
                          f"'{key}' list, but the front matter has no '{key}' — add the list, "
                          f"or remove {{.{section.cls}}} from the heading", line=section.line)


# tokens that hold text themselves; container tokens (lists, quotes) span their whole block
# even when the parser gave up inside them
_LEAVES = ("inline", "fence", "code_block", "hr", "html_block")
_ONLY_MARKERS = re.compile(r"^[\s>*+\-0-9.)]*$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:")


def refuse_unread(tokens: list, source: list[str], first_line: int, name: str,
                   problems: Collector) -> None:
    """Text the Markdown parser did not read is an error, never silently left out.

    markdown-it stops reading at its nesting limit (lists or quotes about ten deep): the
    deepest items and everything after them, later sections included, would vanish.
    """
    read: set[int] = set()
    for token in tokens:
        if token.type in _LEAVES and token.map:
            read.update(range(*token.map))
    for index, text in enumerate(source):
        if index in read or _ONLY_MARKERS.match(text) or _LINK_DEFINITION.match(text):
            continue
        problems.add(name, "this line and everything after it would be left out of the "
                     "brief: lists or quotes above it are nested too deeply to be read — nest "
                     "them at most a few levels deep", line=first_line + index)
        return


def refuse_dropped_in_quotes(quotes: list, first_line: int, name: str,
                              problems: Collector) -> None:
    """A quote prints paragraphs and its attribution; anything else in it is refused.

    `quotes`: every block quote of the body at any depth, in the order they open."""
    for node in quotes:
        for child in node.children:
            if child.type != "paragraph":
                what = _KINDS.get(child.type, child.type.replace("_", " "))
                problems.add(name, f"a quote ('>') holds only paragraphs and its attribution, "
                             f"so this {what} inside it would be left out — move it out of the "
                             "quote (remove the '>' before it)",
                             line=first_line + (child.map[0] if child.map else 0))


_KINDS = {"blockquote": "quote", "bullet_list": "list", "ordered_list": "numbered list",
          "heading": "heading", "fence": "code block", "code_block": "code block",
          "hr": "line"}


def warn_class_without_dot(raw: str, name: str, line: int, problems: Collector) -> None:
    """'## Heading {box}' prints '{box}': a class needs its dot."""
    bare = re.search(r"\{\s*([\w-]+)\s*\}\s*$", raw)
    if bare:
        near = did_you_mean(bare.group(1), SECTION_CLASSES, show="'{{.{}}}'")
        problems.warn(name, f"the heading ends with '{bare.group(0).strip()}', which prints as "
                      f"text{near or ' — a section class is written with a dot, such as {.box}'}",
                      line=line)


def warn_hash_without_space(node: Any, source: list[str], first_line: int, name: str,
                             problems: Collector) -> None:
    """'##Heading' is a paragraph in Markdown: say so, since it was surely meant as a heading."""
    if node.type != "paragraph" or not node.map:
        return
    text = source[node.map[0]] if node.map[0] < len(source) else ""
    hashes = re.match(r"^(#{1,6})(?=[^#\s])", text.lstrip())
    if hashes:
        level = hashes.group(1)
        words = text.strip()[len(level):]
        words = words if len(words) <= 30 else words[:30] + "…"
        problems.warn(name, f"'{level}{words}' prints as a paragraph, not a heading — did you "
                      f"mean '{level} {words}'? (a space follows the #)",
                      line=first_line + node.map[0])
