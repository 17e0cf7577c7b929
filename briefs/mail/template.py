"""The message template: templates/message.txt (and .html), or the built-in one, per language.

Its first line is the subject; every placeholder is checked against `PLACEHOLDERS` when it is
loaded, naming the file and line, so filling it later cannot fail.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefs.errors import Collector, display
from briefs.safe_files import FileProblem, read_regular
from briefs.text import PatternError, fill, placeholders, unknown_placeholders

PLACEHOLDERS: dict[str, str] = {
    "name": "the recipient's name, from data/stakeholders.csv",
    "role": "the recipient's role, from data/stakeholders.csv (may be empty)",
    "donor": "the donor's name, from data/donors.csv (Republic of Korea)",
    "short_name": "the donor's short name (Korea)",
    "code": "the donor's code (KOR)",
    "title": "the brief's title and subtitle as printed (Republic of Korea – ILO Cooperation)",
    "edition": "the edition year (2023)",
    "period": "the years the brief's figures cover (2018–2022)",
    "total": "the period's total as the brief prints it (US$ 63.0 million)",
    "sender": "the name in the from setting of briefs.toml, or its address",
    "date": "today's date in the message's language (1 May 2024, 1 mai 2024, 1 de mayo de 2024)",
}

TEMPLATE_DIR = "templates"
TEMPLATE_TEXT = "message.txt"
TEMPLATE_HTML = "message.html"


def template_files(language: str = "") -> tuple[str, str]:
    """templates/message.txt and .html, or message.LANG.txt and .html for another language."""
    infix = f".{language}" if language else ""
    return f"message{infix}.txt", f"message{infix}.html"

# The built-in message, used when the project has no templates/message.txt. It is a string
# here rather than a file so that it ships with the package without any package-data setting.
BUILTIN_TEMPLATE = """\
Subject: {title}, {edition} edition

Dear {name},

Please find attached the {edition} edition of “{title}”, our brief on the
cooperation with {short_name}, with the figures for {period}.

If you have any questions or comments, simply reply to this message.

With kind regards,
{sender}
"""


# --- the message template -------------------------------------------------------------------

@dataclass(frozen=True)
class Template:
    """A subject, a plain-text body and perhaps an HTML body, with placeholders checked."""

    subject: str
    text: str
    html: str | None
    source: str  # where it came from, for messages: a file name or "built-in"

    @property
    def subject_fields(self) -> set[str]:
        return set(placeholders(self.subject))


def load_template(root: Path, problems: Collector, language: str = "",
                  builtin: str = BUILTIN_TEMPLATE) -> Template | None:
    """The project's templates/message.txt (and .html), else the built-in template.

    `language` names another language than the project's: templates/message.LANG.txt, else
    `builtin` (the caller picks the built-in text of that language).
    """
    folder = root / TEMPLATE_DIR
    text_name, html_name = template_files(language)
    text_path, html_path = folder / text_name, folder / html_name
    if not os.path.lexists(text_path):
        if os.path.lexists(html_path):
            problems.add(display(html_path, root), f"needs {TEMPLATE_DIR}/{text_name} "
                         "beside it: the plain-text message, whose first line is the subject "
                         "('Subject: …') — every message has a plain-text part")
            return None
        return parse_template(builtin, "built-in", None, "", problems)
    text = _read_text(text_path, root, problems)
    html_text = _read_text(html_path, root, problems) if os.path.lexists(html_path) else None
    if text is None:
        return None
    return parse_template(text, display(text_path, root), html_text,
                          display(html_path, root), problems)


def _read_text(path: Path, root: Path, problems: Collector) -> str | None:
    try:
        return read_regular(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(display(path, root), "is not UTF-8 — save it as UTF-8")
    except FileProblem as exc:
        problems.add(display(path, root), str(exc))
    return None


def parse_template(text: str, name: str, html_text: str | None, html_name: str,
                   problems: Collector) -> Template | None:
    """Split off the `Subject:` line and check every placeholder, naming the line."""
    lines = text.splitlines()
    match = re.match(r"(?i)^subject:[ \t]*(.*?)\s*$", lines[0]) if lines else None
    if match is None or not match.group(1):
        problems.add(name, "the first line must be the subject, such as 'Subject: {title}, "
                     "{edition} edition', then a blank line, then the message", line=1)
        return None
    subject = match.group(1)
    body = lines[1:]
    first_body_line = 2
    if body and not body[0].strip():
        body, first_body_line = body[1:], 3
    ok = _check_placeholders(subject, name, 1, problems)
    for number, line in enumerate(body, start=first_body_line):
        ok = _check_placeholders(line, name, number, problems) and ok
    if html_text is not None:
        for number, line in enumerate(html_text.splitlines(), start=1):
            ok = _check_placeholders(line, html_name, number, problems) and ok
    if not ok:
        return None
    return Template(subject, "\n".join(body).rstrip("\n") + "\n", html_text, name)


def _check_placeholders(line: str, name: str, number: int, problems: Collector) -> bool:
    """Report each placeholder of the line that a message does not offer; True when none."""
    try:
        unknown = unknown_placeholders(line, PLACEHOLDERS)
    except PatternError as error:
        problems.add(name, str(error), line=number)
        return False
    for message in unknown:
        problems.add(name, message, line=number)
    return not unknown


def fill_message(pattern: str, values: Mapping[str, str], as_html: bool = False) -> str:
    """The pattern with each placeholder replaced by its value; in HTML, values are escaped
    (the template's own text is HTML and is kept as it is)."""
    return fill(pattern, values, escape=html.escape if as_html else None, escape_pattern=False)
