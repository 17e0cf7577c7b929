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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefs.contract.amounts import ascii_digits, parse_amount
from briefs.contract.magnitude import check_magnitudes
from briefs.contract.model import QUALIFIERS, Channel, Contribution, Donor
from briefs.contract.names import DONOR_CODE
from briefs.contract.spreadsheet import SUFFIX, Grid, both_kept, read_sheet
from briefs.errors import Collector, display
from briefs.safe_files import MB, FileProblem, read_regular
from briefs.text import did_you_mean

CHANNEL_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
YEAR = re.compile(r"^[0-9]{4}$")
TABLE_LIMIT = 256 * MB  # far beyond any donor list, well short of a link to /dev/zero


@dataclass(frozen=True)
class Spec:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    comma_hint: str = ""  # what a stray comma in this table usually is
    translated: tuple[str, ...] = ()  # columns that may also come as COLUMN_LANG (name_fr)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def accepts(self, column: str) -> bool:
        """A column of the table, or a translated one such as `name_fr` (`translated`)."""
        base, _, language = column.rpartition("_")
        return column in self.columns or (base in self.translated
                                          and re.fullmatch("[a-z]{2}", language) is not None)


DONORS = Spec(("code", "name"), ("short_name", "member_since"), translated=("name", "short_name"))
CHANNELS = Spec(("code", "label"), ("description",), translated=("label", "description"))
CONTRIBUTIONS = Spec(("donor", "start_year", "end_year", "channel", "amount_usd"),
                     ("qualifier", "note"),
                     "; write amounts without thousands separators (9900000)")
STAKEHOLDERS = Spec(("donor", "name", "email"), ("role", "language"),
                    "; an email cell holds one address: give each recipient a row of their own")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]
    padded: frozenset[str] = frozenset()  # columns whose cell had spaces around its value

    def __getitem__(self, key: str) -> str:
        return self.values[key]  # every column of the table's Spec, empty when not given


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
        return None if sheet is None else _grid_rows(sheet, spec, problems, name)
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
    try:
        grid = _csv_grid(text)
    except csv.Error as exc:
        problems.add(name, f"cannot be read as CSV ({exc}) — check quotes and the number of "
                     "commas on that line", line=exc.args[1] if len(exc.args) > 1 else None)
        return None
    if grid is None:
        problems.add(name, f"is empty — expected a header line with {', '.join(spec.required)}",
                     line=1)
        return None
    if not _check_field_counts(grid, spec, problems, name):
        return None
    return _grid_rows(grid, spec, problems, name)


def _csv_grid(text: str) -> Grid | None:
    """The CSV's header and records, each record with the line it starts on (a quoted cell
    may hold line breaks); None when the file holds no header at all. Read with the standard
    library's csv module: pandas was only ever used to split text, and importing it cost a
    no-change rebuild 0.4 s."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise csv.Error(str(exc), line) from exc
        records.append((line, record))
    while records and not any(v.strip() for v in records[0][1]):
        records.pop(0)  # blank lines before the header
    if not records:
        return None
    return Grid(records[0][1], records[1:])


def _grid_rows(grid: Grid, spec: Spec, problems: Collector, name: str) -> list[Row] | None:
    """The rows of a table read as text, a CSV's or a spreadsheet's: the same rules for both.
    A row's `line` is the line (CSV: where its record begins) or row (spreadsheet) the user
    sees, the header being 1."""
    named = _drop_unnamed(grid, problems, name)
    if named is None:
        return None
    header = [c.strip() for c in named.header]
    if not _check_columns(header, spec, problems, name):
        return None
    rows = []
    width = len(header)
    empty = dict.fromkeys(spec.columns, "")  # a short line: the rest is empty
    unpadded: frozenset[str] = frozenset()
    for line, record in named.records:
        raw = record[:width]
        cells = [v.strip() for v in raw]
        if not any(cells):
            continue
        values = empty.copy()
        values.update(zip(header, cells, strict=False))
        padded = unpadded if cells == raw else frozenset(
            k for k, v, r in zip(header, cells, raw, strict=False) if v and v != r)
        rows.append(Row(line, values, padded))
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


def _drop_unnamed(grid: Grid, problems: Collector, name: str) -> Grid | None:
    """Columns with an empty header cell: dropped when empty (Excel leaves such columns
    behind), reported when they hold values."""
    unnamed = [i for i, column in enumerate(grid.header) if not column.strip()]
    for position in unnamed:
        filled = next((line for line, record in grid.records
                       if position < len(record) and record[position].strip()), None)
        if filled is not None:
            problems.add(name, f"column {position + 1} has values but no name in the header "
                         "line — name it, or delete the column", line=filled)
            return None
    if not unnamed:
        return grid
    keep = [i for i in range(len(grid.header)) if i not in unnamed]
    return Grid([grid.header[i] for i in keep],
                [(line, [record[i] for i in keep if i < len(record)])
                 for line, record in grid.records])


def _check_field_counts(grid: Grid, spec: Spec, problems: Collector, name: str) -> bool:
    """No line has more values than the header: an unquoted comma shifts every column."""
    header = grid.header
    ok = True
    for line, record in grid.records:
        # fewer values are fine: the missing ones are empty (and reported if required)
        if len(record) <= len(header):
            continue
        ok = False
        problems.add(name, f"has {len(record)} values but the header names {len(header)} "
                     "columns: a value contains a comma — put that value in double quotes"
                     f"{spec.comma_hint}", line=line)
    return ok


def _check_columns(header: list[str], spec: Spec, problems: Collector, name: str) -> bool:
    ok = True
    for column in header:
        if not spec.accepts(column):
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
        values = row.values
        if all(values[c] for c in spec.required):
            yield row
            continue
        for column in [c for c in spec.required if not values[c]]:
            problems.add(name, "is empty — a value is required", line=row.line, field=column)


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
        own = tuple((k, v) for k, v in row.values.items() if k not in DONORS.columns)
        donors[row["code"]] = Donor(row["code"], row["name"], row["short_name"] or row["name"],
                                    since, own)
    return donors


def load_channels(path: Path, problems: Collector, root: Path) -> dict[str, Channel]:
    name = display(path, root)
    rows = read_table(path, CHANNELS, problems, root)
    return {row["code"]: Channel(row["code"], row["label"], row["description"],
                                 tuple((k, v) for k, v in row.values.items()
                                       if k not in CHANNELS.columns))
            for row in _coded_rows(rows, CHANNELS, "channel code", CHANNEL_CODE,
                                   "is not a valid channel code — use lower-case letters, "
                                   "digits and '_', such as voluntary_core", problems, name)}


def load_contributions(path: Path, problems: Collector, root: Path,
                       donors: dict[str, Donor],
                       channels: dict[str, Channel]) -> list[Contribution]:
    name = display(path, root)
    rows = read_table(path, CONTRIBUTIONS, problems, root)
    result: list[Contribution] = []
    years: dict[str, int] = {}  # each year's text read once: a table repeats a few years

    def year(row: Row, column: str) -> int | None:
        found = years.get(row.values[column])
        if found is None:
            found = _year(row, column, problems, name)
            if found is not None:
                years[row.values[column]] = found
        return found

    for row in _required(rows or [], CONTRIBUTIONS, problems, name):
        values, line = row.values, row.line
        start, end = year(row, "start_year"), year(row, "end_year")
        amount, why = parse_amount(values["amount_usd"])
        if amount is None:
            problems.add(name, why, line=line, field="amount_usd")
        elif "amount_usd" in row.padded:
            problems.warn(name, "amount_usd: the amount has spaces around it; read as "
                          f"{values['amount_usd']} — remove the spaces", line=line)
        if start is not None and end is not None and end < start:
            problems.add(name, f"{end} is before start_year {start} — end_year must be the "
                         "same year or later", line=line, field="end_year")
            continue
        if _known_codes(values, donors, channels, problems, name, line) and \
                start is not None and end is not None and amount is not None:
            result.append(Contribution(values["donor"], start, end, values["channel"], amount,
                                       values["qualifier"], values["note"], line))
    check_magnitudes(result, problems, name)
    return result


def _known_codes(values: dict[str, str], donors: dict[str, Donor],
                 channels: dict[str, Channel], problems: Collector, name: str,
                 line: int) -> bool:
    """A contribution row names a known donor, a known channel and a qualifier; each that it
    does not is reported."""
    ok = True
    if donors and values["donor"] not in donors:
        hint = did_you_mean(values["donor"], donors, otherwise=" — add it to donors.csv")
        problems.add(name, f"unknown donor '{values['donor']}'{hint}", line=line,
                     field="donor")
        ok = False
    if channels and values["channel"] not in channels:
        hint = did_you_mean(values["channel"], channels,
                            otherwise=f" — the channels are: {', '.join(channels)}")
        problems.add(name, f"unknown channel '{values['channel']}'{hint}", line=line,
                     field="channel")
        ok = False
    if values["qualifier"] not in QUALIFIERS:
        problems.add(name, f"'{values['qualifier']}' is not a qualifier — leave it empty or "
                     "write 'more than' or 'about'", line=line, field="qualifier")
        ok = False
    return ok
