"""Messages: recipients, addresses, header values, the message template, the MIME message.

Mail is where a tool does harm, so everything that becomes a header is checked before any
message is built: an address must be one valid address, and a name or subject must be one line
(a line break in a header value is how a hidden recipient gets in). Messages are built with
`email.message.EmailMessage` only, never by pasting text into raw message source.
"""

from __future__ import annotations

import email
import html
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as DEFAULT_POLICY
from pathlib import Path

from briefs.contract.spreadsheet import table_path
from briefs.contract.tables import STAKEHOLDERS, read_table
from briefs.errors import Collector, display
from briefs.safe_files import FileProblem, read_regular
from briefs.text import (
    PatternError,
    did_you_mean,
    fill,
    placeholders,
    unknown_placeholders,
)

EVERY_DONOR = "*"

# Characters that end a line for some program on the way (str.splitlines knows them all),
# and the other control characters, which have no business in a header either.
_BAD_HEADER_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# An RFC 2047 encoded-word (`=?charset?q?…?=`): mail programs decode it into header text, so
# one in a value could carry line breaks or addresses past every other check.
_ENCODED_WORD = re.compile(r"=\?.*\?=", re.DOTALL)
MAX_LINE = 998  # RFC 5322: no line of a message may be longer
MAX_VALUE = 500  # characters of one name, title or subject: far more than any needs
_LINE_BREAKS = frozenset("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

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
}

TEMPLATE_DIR = "templates"
TEMPLATE_TEXT = "message.txt"
TEMPLATE_HTML = "message.html"

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


@dataclass(frozen=True)
class Mailbox:
    """A name and one address, as it goes into From, To or Reply-To."""

    name: str
    address: str

    def header(self) -> Address:
        return Address(display_name=self.name, addr_spec=self.address)

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True)
class Recipient:
    """One row of data/stakeholders.csv, checked."""

    donor: str  # a donor code, or "*" for every donor's brief
    name: str
    address: str  # normalised by email-validator, ASCII
    role: str
    line: int

    @property
    def mailbox(self) -> Mailbox:
        return Mailbox(self.name, self.address)


def header_problem(value: str, what: str = "a name") -> str | None:
    """Why `value` cannot be put in a header, or None when it can."""
    if _ENCODED_WORD.search(value):
        return "contains an encoded-word (=?…?=), which mail programs decode into other " \
            f"header text — {what} must be plain text"
    match = _BAD_HEADER_CHARS.search(value)
    if match is None:
        if len(value) > MAX_VALUE:
            return f"is {len(value)} characters long — {what} must be at most {MAX_VALUE} " \
                "to go in a mail header"
        return None
    if match.group() in _LINE_BREAKS:
        return f"contains a line break — {what} must be on one line"
    return f"contains a control character (U+{ord(match.group()):04X}) — remove it"


def check_address(text: str) -> tuple[str | None, str]:
    """The address as it will be used (normalised, ASCII), or None with what is wrong.

    No deliverability lookup: the check must give the same answer offline and never leak the
    list of recipients to a DNS server. Non-ASCII before the @ would need SMTPUTF8, which many
    servers lack, so it is refused here rather than failing halfway through a mailing.
    """
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        return None, f"'{text}' is not a valid address: {exc} — write one address, such as " \
            "name@example.org"
    return result.ascii_email or result.normalized, ""


_MAILBOX = re.compile(r"^\s*(?:(?P<name>[^<>]*?)\s*<(?P<bracketed>[^<>]*)>|(?P<bare>[^<>]+))\s*$")


def parse_mailbox(text: str) -> tuple[Mailbox | None, str]:
    """`Name <address>` or a bare address, as written in briefs.toml."""
    problem = header_problem(text, "the value")
    if problem:
        return None, problem
    match = _MAILBOX.match(text)
    if not match:
        return None, f"'{text}' is not an address — write name@example.org or " \
            "'Partnerships <name@example.org>'"
    name = (match.group("name") or "").strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1]
    address, why = check_address((match.group("bracketed") or match.group("bare")).strip())
    if address is None:
        return None, why
    return Mailbox(name, address), ""


# --- recipients -----------------------------------------------------------------------------

def load_recipients(root: Path, donors: Mapping[str, object], problems: Collector,
                    one_line: tuple[str, ...] = ("name",)) -> list[Recipient]:
    """Every row of data/stakeholders.csv, with each mistake reported by line and column.

    `one_line` are the columns that end up in a header (the name always; the role too when
    the template's subject uses it).
    """
    path = table_path(root / "data" / "stakeholders.csv")
    name = display(path, root)
    rows = read_table(path, STAKEHOLDERS, problems, root)
    result: list[Recipient] = []
    for row in rows or []:
        ok = True
        for column in STAKEHOLDERS.required:
            if not row[column]:
                problems.add(name, "is empty — a value is required", line=row.line,
                             field=column)
                ok = False
        donor = row["donor"]
        if donor and donor != EVERY_DONOR and donor not in donors:
            hint = did_you_mean(donor, donors, otherwise=" — use a code from "
                                "data/donors.csv, or * for every donor")
            problems.add(name, f"unknown donor '{donor}'{hint}", line=row.line, field="donor")
            ok = False
        for column in one_line:
            why = header_problem(row[column], f"a {column}")
            if why:
                problems.add(name, why, line=row.line, field=column)
                ok = False
        address = None
        if row["email"]:
            address, why = check_address(row["email"])
            if address is None:
                problems.add(name, why, line=row.line, field="email")
                ok = False
        if ok and address is not None:
            result.append(Recipient(donor, row["name"], address, row["role"], row.line))
    return result


def recipients_for(code: str, recipients: list[Recipient]) -> tuple[list[Recipient],
                                                                     list[tuple[Recipient,
                                                                                Recipient]]]:
    """The donor's rows and the `*` rows in file order, each address once.

    Also returns (duplicate, first) pairs: an address listed twice for one brief gets one
    message, and the user is told.
    """
    chosen: dict[str, Recipient] = {}
    duplicates = []
    for recipient in recipients:
        if recipient.donor not in (code, EVERY_DONOR):
            continue
        key = recipient.address.lower()
        if key in chosen:
            duplicates.append((recipient, chosen[key]))
        else:
            chosen[key] = recipient
    return list(chosen.values()), duplicates


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


def load_template(root: Path, problems: Collector) -> Template | None:
    """The project's templates/message.txt (and .html), else the built-in template."""
    folder = root / TEMPLATE_DIR
    text_path, html_path = folder / TEMPLATE_TEXT, folder / TEMPLATE_HTML
    if not os.path.lexists(text_path):
        if os.path.lexists(html_path):
            problems.add(display(html_path, root), f"needs {TEMPLATE_DIR}/{TEMPLATE_TEXT} "
                         "beside it: the plain-text message, whose first line is the subject "
                         "('Subject: …') — every message has a plain-text part")
            return None
        return parse_template(BUILTIN_TEMPLATE, "built-in", None, "",
                              problems)
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


# --- the message ----------------------------------------------------------------------------

def attachment_name(title: str, edition: int) -> str:
    """A readable file name: `Republic-of-Korea-ILO-Cooperation-2023.pdf`.

    Words are kept in any script (the name is RFC 2231-encoded in the message); everything
    else, spaces and dashes included, becomes one hyphen.
    """
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", unicodedata.normalize("NFC", title))
    return "-".join([*words, str(edition)]) + ".pdf"


def build_message(*, sender: Mailbox | None, to: Mailbox, reply_to: Mailbox | None,
                  subject: str, text: str, html_body: str | None, pdf: bytes, filename: str,
                  message_id: str, date: str) -> EmailMessage:
    """One message with the PDF attached; 7-bit clean so that any server takes it."""
    message = EmailMessage(policy=DEFAULT_POLICY)
    if sender is not None:
        message["From"] = sender.header()
    message["To"] = to.header()
    if reply_to is not None:
        message["Reply-To"] = reply_to.header()
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = message_id
    # quoted-printable keeps the text readable in the .eml and needs no 8BITMIME
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html_body is not None:
        message.add_alternative(html_body, subtype="html", charset="utf-8",
                                cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def written_problem(data: bytes, *, to: Mailbox, subject: str, sender: Mailbox | None,
                    reply_to: Mailbox | None) -> str | None:
    """Why the message as written is not the message meant, or None when it is.

    The check of each value is the first guard; this is the second: the written bytes are
    parsed back as a mail program would read them, and must give exactly the headers put in,
    one To address (the intended one, with its name) and the subject, with no line over 998
    characters. Whatever slipped past the first guard is caught here, before it is written.
    """
    head = data.split(b"\r\n\r\n", 1)[0]
    longest = max(len(line) for line in head.split(b"\r\n"))
    if longest > MAX_LINE:
        return f"a header line would be {longest} characters long (at most {MAX_LINE}) — " \
            "shorten the name, title or subject"
    parsed = email.message_from_bytes(data, policy=DEFAULT_POLICY)
    expected = {"to", "subject", "date", "message-id", "mime-version", "content-type"}
    expected |= {"from"} if sender else set()
    expected |= {"reply-to"} if reply_to else set()
    found = [key.lower() for key in parsed]
    if sorted(found) != sorted(expected):
        extra = sorted(set(found) - expected) or sorted(k for k in found if found.count(k) > 1)
        return f"the message would get other headers than intended ({', '.join(extra)})"
    addresses = parsed["To"].addresses
    if len(addresses) != 1 or addresses[0].addr_spec.lower() != to.address.lower() \
            or _words(addresses[0].display_name) != _words(to.name):
        return f"the To header would not be the one address {to.address}"
    if _words(str(parsed["Subject"])) != _words(subject):
        return "the subject would not read as written"
    return None


def _words(text: str) -> str:
    return " ".join(text.split())


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as sent over SMTP: CRLF line ends."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
