"""Turning text into ReportLab paragraph markup, escaped.

This is the only place where data becomes markup. Every piece of user text goes through
`escape`, so `<img src=...>`, `<font>` or `&lt;` in a profile print as the characters typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from briefs.contract.model import Run
from briefs.text import fill as fill_pattern

# C0 controls other than tab and newline are not allowed in XML, which ReportLab's paragraph
# parser is; they cannot be printed anyway.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None, 0xFFFE: None,
                                                                 0xFFFF: None}


# ReportLab breaks lines at a narrow no-break space (U+202F, French punctuation and digit
# groups), never at a no-break space: in a paragraph the one stands for the other.
_CONTROLS[0x202F] = 0x00A0


def xml_escape(text: str) -> str:
    """`&`, `<` and `>` as XML entities: what xml.sax.saxutils.escape does, without
    importing xml.sax.saxutils, which brings urllib.request, http.client and ssl (a fifth of
    the render stage's imports)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An attribute value escaped and quoted, as xml.sax.saxutils.quoteattr quotes it."""
    text = xml_escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


# any character `_CONTROLS` changes: text without one is the same translated or not
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROLS) + "]")


def escape(text: str) -> str:
    """The text as paragraph markup that prints it as typed.

    `str.translate` is quick over ASCII text but takes ~0.1 µs a character over any other (a
    French paragraph, a quote in curly quotes: ~50 µs), so such text is translated only when
    it holds a character to change."""
    if text.isascii() or _TRANSLATED.search(text):
        text = text.translate(_CONTROLS)
    return xml_escape(text)


# ReportLab splits a web address once, after '//', and then never again: the rest runs past
# the column. A zero-width space after the scheme's colon (it prints as nothing, is in the
# embedded font and is no space to ReportLab) makes it a long word instead, which ReportLab
# breaks where the column ends; the page inspection takes a break inside an address as
# proper, as a designer does.
ADDRESS_SCHEME = "://"


def soft_breaks(text: str) -> str:
    """Web addresses in running text made breakable at the column's edge."""
    return text.replace(ADDRESS_SCHEME, ":\u200b//")


def runs_to_markup(runs: Iterable[Run], link_color: str | None = None,
                   mono_font: str | None = None) -> str:
    out: list[str] = []
    for run in runs:
        if run.line_break:
            out.append("<br/>")
            continue
        text = soft_breaks(escape(run.text))
        if run.code and mono_font:
            text = f"<font face={quoteattr(mono_font)}>{text}</font>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        if run.href:
            color = f" color={quoteattr(link_color)}" if link_color else ""
            text = f"<a href={quoteattr(run.href)}{color}>{text}</a>"
        out.append(text)
    return "".join(out)


def fill(pattern: str, values: Mapping[str, str], bold: Iterable[str] = ()) -> str:
    """Markup for a layout label such as '{label}: {amount}', with values escaped.

    The placeholders are those of `briefs.text.fill`, the one syntax of labels and mail; here
    the pattern (the layout author's text) and the values (data) are both escaped, and only
    the placeholders named in `bold` are wrapped in <b>.
    """
    return fill_pattern(pattern, values, escape=escape, wrap=dict.fromkeys(bold, _bold))


def _bold(markup: str) -> str:
    return f"<b>{markup}</b>"
