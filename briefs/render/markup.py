"""Turning text into ReportLab paragraph markup, escaped.

This is the only place where data becomes markup. Every piece of user text goes through
`escape`, so `<img src=...>`, `<font>` or `&lt;` in a profile print as the characters typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from briefs.contract.model import Run
from briefs.text import fill as fill_pattern

# C0 controls other than tab and newline are not allowed in XML, which ReportLab's paragraph
# parser is; they cannot be printed anyway.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None, 0xFFFE: None,
                                                                 0xFFFF: None}


# ReportLab breaks lines at a narrow no-break space (U+202F, French punctuation and digit
# groups), never at a no-break space: in a paragraph the one stands for the other.
_CONTROLS[0x202F] = 0x00A0


def escape(text: str) -> str:
    return _xml_escape(text.translate(_CONTROLS))


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
