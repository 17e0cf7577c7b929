"""Turning text into ReportLab paragraph markup, escaped.

This is the only place where data becomes markup. Every piece of user text goes through
`escape`, so `<img src=...>`, `<font>` or `&lt;` in a profile print as the characters typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from briefs.contract.model import Run

# C0 controls other than tab and newline are not allowed in XML, which ReportLab's paragraph
# parser is; they cannot be printed anyway.
_CONTROLS = {c: None for c in range(32) if c not in (9, 10)} | {0x7F: None, 0xFFFE: None,
                                                                 0xFFFF: None}


def escape(text: str) -> str:
    return _xml_escape(text.translate(_CONTROLS))


def runs_to_markup(runs: Iterable[Run], link_color: str | None = None,
                   mono_font: str | None = None) -> str:
    out: list[str] = []
    for run in runs:
        if run.line_break:
            out.append("<br/>")
            continue
        text = escape(run.text)
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


def fill(pattern: str, values: dict[str, str], bold: Iterable[str] = ()) -> str:
    """Markup for a layout label such as '{label}: {amount}', with values escaped.

    The pattern is the layout author's text and the values are data: both are escaped, and
    only the placeholders named in `bold` are wrapped in <b>.
    """
    bold = set(bold)
    out: list[str] = []
    rest = pattern
    while rest:
        start = rest.find("{")
        end = rest.find("}", start)
        if start < 0 or end < 0:
            out.append(escape(rest))
            break
        out.append(escape(rest[:start]))
        key = rest[start + 1:end]
        if key in values:
            value = escape(values[key])
            out.append(f"<b>{value}</b>" if key in bold else value)
        else:
            out.append(escape(rest[start:end + 1]))
        rest = rest[end + 1:]
    return "".join(out)


def fill_text(pattern: str, values: dict[str, str]) -> str:
    """A label with its placeholders filled, as plain text (for metadata and chart titles)."""
    out = pattern
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def period_text(period: tuple[int, int], pattern: str) -> str:
    """A span of years as the layout writes it ('2012–2016'); one year alone for a single."""
    start, end = period
    if start == end:
        return str(start)
    return fill_text(pattern or "{start}–{end}", {"start": str(start), "end": str(end)})


def money_text(amount: float, qualifier: str, labels: dict) -> str:
    """An amount as the layout prints it, qualifier first: 'more than US$ 48.9 million'.

    The PDF and the mail both print money through this, so they cannot disagree.
    """
    number = f"{amount / 1e6:.{labels['decimals']}f}".replace(".", labels["decimal_mark"])
    text = labels["amount"].replace("{millions}", number)
    if qualifier:
        text = f"{labels['qualifiers'].get(qualifier, qualifier)} {text}"
    return text
