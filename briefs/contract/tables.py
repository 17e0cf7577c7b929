"""Reading and validating the CSV files of the data contract.

Spreadsheet programs produce every variant of CSV there is, so reading is defensive: the
encoding, the separator and the column names are checked before any row is, and each row's
problems name the line a user sees in a text editor (header = line 1).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.contract.model import QUALIFIERS, Channel, Contribution, Donor
from briefs.contract.spreadsheet import SUFFIX, both_kept, read_sheet
from briefs.errors import Collector
from briefs.safe_files import MB, FileProblem, read_regular
from briefs.text import did_you_mean

if TYPE_CHECKING:
    import pandas as pd

DONOR_CODE = re.compile(r"^[A-Z0-9-]{2,16}$")
CHANNEL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
AMOUNT = re.compile(r"^\d+(\.\d+)?$")
YEAR = re.compile(r"^\d{4}$")
TABLE_LIMIT = 256 * MB  # far beyond any donor list, well short of a link to /dev/zero


@dataclass(frozen=True)
class Spec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


DONORS = Spec(("code", "name"), ("short_name", "member_since"))
CHANNELS = Spec(("code", "label"), ("description",))
CONTRIBUTIONS = Spec(("donor", "start_year", "end_year", "channel", "amount_usd"),
                     ("qualifier", "note"))
STAKEHOLDERS = Spec(("donor", "name", "email"), ("role",))


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


def display(path: Path, root: Path) -> str:
    """A path as the user thinks of it: relative to the project folder when inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


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
    return _frame_rows(frame, spec, problems, name)


def _frame_rows(frame: pd.DataFrame, spec: Spec, problems: Collector,
                name: str) -> list[Row] | None:
    """The rows of a table read as text, a CSV's or a spreadsheet's: the same rules for both.
    A row's `line` is the line (CSV) or row (spreadsheet) the user sees, the header being 1."""
    header = [str(c).strip() for c in frame.columns]
    if len(header) == 1 and ";" in header[0]:
        problems.add(name, "uses ';' as separator — save it with ',' as separator "
                     "(in Excel: 'CSV UTF-8 (Comma delimited)')", line=1)
        return None
    if not _check_columns(header, spec, problems, name):
        return None
    frame.columns = header
    rows = []
    for index, record in enumerate(frame.to_dict("records")):
        values = {k: str(v).strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        rows.append(Row(line=index + 2, values=values))
    if not rows:
        problems.add(name, "has a header but no rows — add at least one row", line=2)
        return None
    return rows


def _check_field_counts(text: str, spec: Spec, problems: Collector, name: str) -> bool:
    """No line has more values than the header: an unquoted comma shifts every column."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or (len(header) == 1 and ";" in header[0]):
        return True  # reported with the columns
    ok = True
    for record in reader:
        # fewer values are fine: the missing ones are empty (and reported if required)
        if len(record) <= len(header):
            continue
        ok = False
        problems.add(name, f"has {len(record)} values but the header names {len(header)} "
                     "columns: a value contains a comma — put that value in double quotes, "
                     "and write amounts without thousands separators (9900000)",
                     line=reader.line_num)
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
    problems.add(name, f"'{text}' is not a year — write four digits such as 2016",
                 line=row.line, field=column)
    return None


def parse_amount(text: str) -> tuple[float | None, str]:
    """The amount in a cell, or None with what is wrong and what to write instead."""
    if AMOUNT.match(text):
        return float(text), ""
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
    _check_overlaps(result, problems, name)
    return result


def _check_overlaps(rows: list[Contribution], problems: Collector, name: str) -> None:
    by_key: dict[tuple[str, str], list[Contribution]] = {}
    for row in rows:
        by_key.setdefault((row.donor, row.channel), []).append(row)
    for (donor, channel), group in by_key.items():
        group.sort(key=lambda r: (r.start_year, r.end_year))
        for before, after in itertools.pairwise(group):
            if after.start_year <= before.end_year:
                problems.add(name, f"{donor} {channel} {after.start_year}–{after.end_year} "
                             f"overlaps line {before.line} ({before.start_year}–"
                             f"{before.end_year}) — the same money would be counted twice",
                             line=after.line, field="start_year")
