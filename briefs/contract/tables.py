"""Reading and validating the CSV files of the data contract.

Spreadsheet programs produce every variant of CSV there is, so reading is defensive: the
encoding, the separator and the column names are checked before any row is, and each row's
problems name the line a user sees in a text editor (header = line 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefs.contract.magnitude import check_magnitudes
from briefs.contract.model import QUALIFIERS, Channel, Contribution, Donor
from briefs.contract.spreadsheet import SUFFIX, both_kept, read_sheet
from briefs.errors import Collector, display
from briefs.safe_files import MB, FileProblem, read_regular
from briefs.text import did_you_mean

if TYPE_CHECKING:
    import pandas as pd

DONOR_CODE = re.compile(r"^[A-Z0-9-]{2,16}$")
CHANNEL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
YEAR = re.compile(r"^[0-9]{4}$")
# No contribution to one organisation comes near this: more is a typing mistake.
TOO_LARGE = 100e9
TABLE_LIMIT = 256 * MB  # far beyond any donor list, well short of a link to /dev/zero


@dataclass(frozen=True)
class Spec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    comma_hint: str = ""  # what a stray comma in this table usually is

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


DONORS = Spec(("code", "name"), ("short_name", "member_since"))
CHANNELS = Spec(("code", "label"), ("description",))
CONTRIBUTIONS = Spec(("donor", "start_year", "end_year", "channel", "amount_usd"),
                     ("qualifier", "note"),
                     "; write amounts without thousands separators (9900000)")
STAKEHOLDERS = Spec(("donor", "name", "email"), ("role",),
                    "; an email cell holds one address: give each recipient a row of their own")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]
    padded: frozenset[str] = frozenset()  # columns whose cell had spaces around its value

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    try:
        raw.decode("cp1252")
        return "Windows-1252 (Western European)"
    except UnicodeDecodeError:
        return "Latin-1 or another 8-bit encoding"


def read_table(path: Path, spec: Spec, problems: Collector, root: Path) -> list[Row] | None:
    """Rows of one table as text, or None when the file cannot be read as a table at all.

    `path` is a CSV, or the spreadsheet `table_path` chose in its place (same rules)."""
    name = display(path, root)
    if both_kept(path, name, problems):
        return None
    if not os.path.lexists(path):
        problems.add(name, "file not found — every project needs it; copy it from the "
                     "sample project's data/ folder and edit it")
        return None
    try:  # a spreadsheet too: what openpyxl opens must be a file of bounded size
        raw = read_regular(path, TABLE_LIMIT)
    except FileProblem as exc:  # a folder, a pipe, a device, a dangling link, too large
        problems.add(name, str(exc))
        return None
    if path.suffix == SUFFIX:
        sheet = read_sheet(path, name, problems)
        return None if sheet is None else _frame_rows(sheet, spec, problems, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(name, f"is not UTF-8 (it looks like {_guess_encoding(raw)}) — save it as "
                     "UTF-8: in Excel 'CSV UTF-8 (Comma delimited)', in LibreOffice tick "
                     "'Edit filter settings' and choose Unicode (UTF-8)", line=line)
        return None
    # old Mac files end lines with CR alone; a lone CR in a cell is a line break too
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _check_separator(text, problems, name):
        return None
    if not _check_field_counts(text, spec, problems, name):
        return None
    import pandas as pd

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        problems.add(name, f"is empty — expected a header line with {', '.join(spec.required)}",
                     line=1)
        return None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        problems.add(name, f"cannot be read as CSV ({exc}) — check quotes and the number of "
                     "commas on that line", line=int(match.group(1)) if match else None)
        return None
    return _frame_rows(frame, spec, problems, name, _record_lines(text))


def _frame_rows(frame: pd.DataFrame, spec: Spec, problems: Collector, name: str,
                starts: list[int] | None = None) -> list[Row] | None:
    """The rows of a table read as text, a CSV's or a spreadsheet's: the same rules for both.
    A row's `line` is the line (CSV: `starts`, where each record begins) or row (spreadsheet)
    the user sees, the header being 1."""
    starts = starts or []
    frame = _drop_unnamed(frame, starts, problems, name)
    if frame is None:
        return None
    header = [str(c).strip() for c in frame.columns]
    if not _check_columns(header, spec, problems, name):
        return None
    frame.columns = header
    rows = []
    for index, record in enumerate(frame.to_dict("records")):
        values = {k: str(v).strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        padded = frozenset(k for k, v in record.items() if values[k] and str(v) != values[k])
        line = starts[index + 1] if index + 1 < len(starts) else index + 2
        rows.append(Row(line=line, values=values, padded=padded))
    if not rows:
        problems.add(name, "has a header but no rows — add at least one row", line=2)
        return None
    return rows


def _check_separator(text: str, problems: Collector, name: str) -> bool:
    """A header with no comma but semicolons or tabs: saved with another separator."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return True
    for mark, called in ((";", "';'"), ("\t", "tabs")):
        if mark in header:
            problems.add(name, f"uses {called} as separator — save it with ',' as separator "
                         "(in Excel: 'CSV UTF-8 (Comma delimited)')", line=1)
            return False
    return True


def _record_lines(text: str) -> list[int]:
    """The line each record starts on (the header's first): a quoted cell may hold breaks."""
    reader = csv.reader(io.StringIO(text))
    starts, last = [], 0
    for _ in reader:
        starts.append(last + 1)
        last = reader.line_num
    return starts


def _drop_unnamed(frame: Any, starts: list[int], problems: Collector, name: str) -> Any:
    """Columns with an empty header cell: dropped when empty (Excel leaves such columns
    behind), reported when they hold values."""
    keep = []
    for position, column in enumerate(frame.columns, start=1):
        if not str(column).startswith("Unnamed: "):
            keep.append(column)
            continue
        filled = [i for i, v in enumerate(frame[column]) if str(v).strip()]
        if filled:
            line = starts[filled[0] + 1] if filled[0] + 1 < len(starts) else None
            problems.add(name, f"column {position} has values but no name in the header line "
                         "— name it, or delete the column", line=line)
            return None
    return frame[keep]


def _check_field_counts(text: str, spec: Spec, problems: Collector, name: str) -> bool:
    """No line has more values than the header: an unquoted comma shifts every column."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return True  # reported with the columns
    ok = True
    last = reader.line_num
    for record in reader:
        start, last = last + 1, reader.line_num
        # fewer values are fine: the missing ones are empty (and reported if required)
        if len(record) <= len(header):
            continue
        ok = False
        problems.add(name, f"has {len(record)} values but the header names {len(header)} "
                     "columns: a value contains a comma — put that value in double quotes"
                     f"{spec.comma_hint}", line=start)
    return ok


def _check_columns(header: list[str], spec: Spec, problems: Collector, name: str) -> bool:
    ok = True
    for column in header:
        if column not in spec.columns:
            hint = did_you_mean(column, spec.columns,
                                otherwise=f" — the columns are: {', '.join(spec.columns)}")
            problems.add(name, f"unknown column '{column}'{hint}", line=1)
            ok = False
    for column in spec.required:
        if column not in header:
            problems.add(name, f"missing required column '{column}' — the header must name "
                         f"{', '.join(spec.required)}", line=1)
            ok = False
    seen = set()
    for column in header:
        if column in seen:
            problems.add(name, f"column '{column}' appears twice", line=1)
            ok = False
        seen.add(column)
    return ok


def _required(rows: list[Row], spec: Spec, problems: Collector, name: str) -> Iterator[Row]:
    """Rows whose required cells are all filled; the others are reported."""
    for row in rows:
        blank = [c for c in spec.required if not row[c]]
        for column in blank:
            problems.add(name, "is empty — a value is required", line=row.line, field=column)
        if not blank:
            yield row


def _year(row: Row, column: str, problems: Collector, name: str) -> int | None:
    text = row[column]
    if YEAR.match(text):
        return int(text)
    ascii_form = ascii_digits(text)
    typed = f" with the digits 0–9: {ascii_form}" if YEAR.match(ascii_form) else \
        " such as 2016"
    problems.add(name, f"'{text}' is not a year — write four digits{typed}",
                 line=row.line, field=column)
    return None


def parse_amount(text: str) -> tuple[float | None, str]:
    """The amount in a cell, or None with what is wrong and what to write instead."""
    if AMOUNT.match(text):
        value = float(text)
        if not value <= TOO_LARGE:  # inf and nan included
            return None, (f"'{_shorten(text)}' is more than US$ 100 billion, too large to be "
                          "a real contribution — check the digits (US dollars, no decimals "
                          "typed as digits)")
        return value, ""
    ascii_form = ascii_digits(text)
    if ascii_form != text and AMOUNT.match(ascii_form):
        return None, (f"'{text}' is written with full-width or other non-ASCII digits — type "
                      f"it with the digits 0–9: {ascii_form}")
    if text.startswith("-"):
        return None, f"'{text}' is negative — amounts are 0 or more"
    if re.fullmatch(r"\d+,\d{1,2}", text):
        return None, (f"'{text}' is not a number — use a decimal point, not a comma "
                      f"({text.replace(',', '.')})")
    if re.fullmatch(r"\d{1,3}([,. '\u00a0\u202f]\d{3})+([.,]\d+)?", text):
        return None, (f"'{text}' is not a number — use digits with a decimal point, "
                      "no thousands separators")
    if re.fullmatch(r"\d+,\d+", text):
        return None, (f"'{text}' is not a number — use digits with a decimal point, "
                      "no thousands separators or decimal comma")
    return None, (f"'{text}' is not a number — write the amount in US dollars as digits "
                  "with an optional decimal point, such as 9900000")


def ascii_digits(text: str) -> str:
    """The text with every decimal digit of any script (１, ٣, ३) written as 0–9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c
                   for c in unicodedata.normalize("NFKC", text))


def _shorten(text: str, most: int = 24) -> str:
    return text if len(text) <= most else f"{text[:most]}… ({len(text)} characters)"


def _coded_rows(rows: list[Row] | None, spec: Spec, kind: str, pattern: re.Pattern[str],
                invalid: str, problems: Collector, name: str) -> Iterator[Row]:
    """The rows whose `code` is well formed and not seen before; each other row is reported.

    Donors and channels are both keyed by a code that names files or joins tables, so both
    follow this one rule; `kind` names the code ('donor code') and `invalid` says how a code
    is written ('is not a valid code — use …').
    """
    seen: set[str] = set()
    for row in _required(rows or [], spec, problems, name):
        code = row["code"]
        if not pattern.match(code):
            problems.add(name, f"'{code}' {invalid}",
                         line=row.line, field="code")
        elif code in seen:
            problems.add(name, f"{kind} '{code}' appears twice — codes must be unique",
                         line=row.line, field="code")
        else:
            seen.add(code)
            yield row


def load_donors(path: Path, problems: Collector, root: Path) -> dict[str, Donor]:
    name = display(path, root)
    rows = read_table(path, DONORS, problems, root)
    donors: dict[str, Donor] = {}
    for row in _coded_rows(rows, DONORS, "donor code", DONOR_CODE, "is not a valid code — use "
                           "2 to 16 characters A–Z, 0–9 and '-', such as KOR", problems, name):
        since = None
        if row["member_since"]:
            since = _year(row, "member_since", problems, name)
        donors[row["code"]] = Donor(row["code"], row["name"], row["short_name"] or row["name"],
                                    since)
    return donors


def load_channels(path: Path, problems: Collector, root: Path) -> dict[str, Channel]:
    name = display(path, root)
    rows = read_table(path, CHANNELS, problems, root)
    return {row["code"]: Channel(row["code"], row["label"], row["description"])
            for row in _coded_rows(rows, CHANNELS, "channel code", CHANNEL_CODE,
                                   "is not a valid channel code — use lower-case letters, "
                                   "digits and '_', such as voluntary_core", problems, name)}


def load_contributions(path: Path, problems: Collector, root: Path,
                       donors: dict[str, Donor],
                       channels: dict[str, Channel]) -> list[Contribution]:
    name = display(path, root)
    rows = read_table(path, CONTRIBUTIONS, problems, root)
    result: list[Contribution] = []
    for row in _required(rows or [], CONTRIBUTIONS, problems, name):
        start = _year(row, "start_year", problems, name)
        end = _year(row, "end_year", problems, name)
        amount, why = parse_amount(row["amount_usd"])
        if amount is None:
            problems.add(name, why, line=row.line, field="amount_usd")
        elif "amount_usd" in row.padded:
            problems.warn(name, "amount_usd: the amount has spaces around it; read as "
                          f"{row['amount_usd']} — remove the spaces", line=row.line)
        if start is not None and end is not None and end < start:
            problems.add(name, f"{end} is before start_year {start} — end_year must be the "
                         "same year or later", line=row.line, field="end_year")
            continue
        ok = True
        if donors and row["donor"] not in donors:
            hint = did_you_mean(row["donor"], donors, otherwise=" — add it to donors.csv")
            problems.add(name, f"unknown donor '{row['donor']}'{hint}",
                         line=row.line, field="donor")
            ok = False
        if channels and row["channel"] not in channels:
            hint = did_you_mean(row["channel"], channels,
                                otherwise=f" — the channels are: {', '.join(channels)}")
            problems.add(name, f"unknown channel '{row['channel']}'{hint}",
                         line=row.line, field="channel")
            ok = False
        if row["qualifier"] not in QUALIFIERS:
            problems.add(name, f"'{row['qualifier']}' is not a qualifier — leave it empty or "
                         "write 'more than' or 'about'", line=row.line, field="qualifier")
            ok = False
        if ok and start is not None and end is not None and amount is not None:
            result.append(Contribution(row["donor"], start, end, row["channel"], amount,
                                       row["qualifier"], row["note"], row.line))
    check_magnitudes(result, problems, name)
    return result
