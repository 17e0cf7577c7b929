"""Tables kept as spreadsheets: data/NAME.xlsx read in place of data/NAME.csv.

Officers keep their figures in Excel; saving them as CSV is where encodings, separators and
thousands separators go wrong. A workbook is read cell by cell (openpyxl) into the same frame
of text a CSV gives, so every rule of briefs.contract.tables applies to it unchanged. What only
a workbook can get wrong is explained here: merged cells, a formula Excel never calculated, an
error value, a column with values but no name.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefs.errors import Collector

if TYPE_CHECKING:
    import pandas as pd

SUFFIX = ".xlsx"
ERROR_VALUES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")


def table_path(path: Path) -> Path:
    """The file a table is read from: data/NAME.xlsx when only it exists, else the CSV.

    When both exist the CSV is returned, and reading it reports the conflict (see
    `both_kept`): one table kept in two files would let an edit go unseen.
    """
    sheet = path.with_suffix(SUFFIX)
    return sheet if sheet.is_file() and not path.is_file() else path


def both_kept(path: Path, name: str, problems: Collector) -> bool:
    """True (and a problem) when a table is kept both as CSV and as a spreadsheet."""
    sheet = path.with_suffix(SUFFIX)
    if path.suffix != ".csv" or not (path.is_file() and sheet.is_file()):
        return False
    problems.add(name, f"both {path.name} and {sheet.name} exist — keep the table in one "
                 "file: remove or rename the other")
    return True


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold: 2016 not 2016.0, 12.5 as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


def read_sheet(path: Path, name: str, problems: Collector) -> pd.DataFrame | None:
    """The table's sheet as a frame of text (header from row 1), or None after a problem.

    The sheet is the one named like the file (`contributions`), else the first. Trailing
    empty columns are dropped; every other peculiarity of a workbook is reported by cell.
    """
    from openpyxl import load_workbook

    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged file
        problems.add(name, f"cannot be read as an Excel workbook ({type(exc).__name__}) — "
                     "save it from Excel or LibreOffice as 'Excel Workbook (.xlsx)'")
        return None
    titles = {title.lower(): title for title in values.sheetnames}
    title = titles.get(path.stem.lower(), values.sheetnames[0])
    sheet, source = values[title], formulas[title]
    if not _check_merged(sheet, name, problems):
        return None
    grid = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    ok = _check_cells(grid, source, name, problems)
    width = _used_width(grid, name, problems)
    if not ok or width is None:
        return None
    import pandas as pd

    header = grid[0][:width]
    body = [(row + [""] * width)[:width] for row in grid[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def _check_merged(sheet: Any, name: str, problems: Collector) -> bool:
    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        where = "the header" if merged.min_row == 1 else "data"
        problems.add(name, f"cells {merged.coord} are merged ({where}) — unmerge them and "
                     "write one value in each cell: each column needs its own name and each "
                     "row its own values", line=merged.min_row)
    return not sheet.merged_cells.ranges


def _check_cells(grid: list[list[str]], source: Any, name: str, problems: Collector) -> bool:
    """Formulas without a calculated value and error values, each reported at its cell."""
    from openpyxl.utils import get_column_letter

    ok = True
    for number, row in enumerate(grid, start=1):
        for index, text in enumerate(row):
            cell = source.cell(row=number, column=index + 1)
            column = _column_name(grid, index, get_column_letter(index + 1))
            formula = isinstance(cell.value, str) and cell.value.startswith("=")
            if formula and not text:
                problems.add(name, f"the formula {cell.value} has no calculated value (the "
                             "file was written by a program that does not calculate) — open "
                             "and save it in Excel or LibreOffice, or type the value",
                             line=number, field=column)
                ok = False
            elif text in ERROR_VALUES:
                problems.add(name, f"shows the error {text} — correct the formula or type "
                             "the value", line=number, field=column)
                ok = False
    return ok


def _column_name(grid: list[list[str]], index: int, letter: str) -> str:
    """A column as the user knows it: its header, else its letter."""
    header = grid[0] if grid else []
    return header[index] if index < len(header) and header[index] else letter


def _used_width(grid: list[list[str]], name: str, problems: Collector) -> int | None:
    """How many columns the table has: trailing columns without a name or a value are
    formatting, not data; a named header must not leave a gap before a named column."""
    if not grid or not any(grid[0]):
        problems.add(name, "is empty — expected the column names in row 1", line=1)
        return None
    used = max((i + 1 for row in grid for i, text in enumerate(row) if text), default=0)
    header = grid[0]
    from openpyxl.utils import get_column_letter

    ok = True
    for index in range(used):
        if index >= len(header) or not header[index]:
            problems.add(name, f"column {get_column_letter(index + 1)} has values but no name "
                         "in row 1 — name it or delete the column", line=1)
            ok = False
    return used if ok else None
