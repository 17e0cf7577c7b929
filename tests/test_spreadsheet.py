"""Tables kept as .xlsx: read in place of the CSV, by the same rules, with messages by cell.

Workbooks are made here with openpyxl from the sample's CSV files, as an officer's Excel
would keep them: numbers as numbers, years as numbers.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import pdfs_under, run

TABLES = ("donors", "channels", "contributions", "stakeholders")


def _typed(text: str) -> object:
    """A cell as Excel keeps what is typed into it: digits become numbers."""
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text


def to_xlsx(csv_path: Path, sheet_title: str = "Sheet1") -> Path:
    """Replace data/NAME.csv by data/NAME.xlsx holding the same table."""
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for number, record in enumerate(records):
        sheet.append(record if number == 0 else [_typed(v) for v in record])
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    csv_path.unlink()
    return target


def edit_cell(path: Path, cell: str, value: object) -> None:
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.worksheets[0][cell] = value
    book.save(path)


def test_spreadsheets_build_the_same_bytes_as_the_csv(project: Path, built: Path) -> None:
    for table in TABLES:
        to_xlsx(project / "data" / f"{table}.csv")
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    mine = pdfs_under(project / "output")
    theirs = pdfs_under(built / "output")
    assert [p.relative_to(project) for p in mine] == [p.relative_to(built) for p in theirs]
    for a, b in zip(mine, theirs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert run(project, "check").exit_code == 0


def with_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formulas the values Excel would have saved with them (openpyxl saves none)."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for cell, value in values.items():
        sheet, count = re.subn(rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v></v>', rf"\1<v>{value}</v>",
                               sheet)
        assert count == 1, cell
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_counts_with_its_calculated_value(project: Path, built: Path) -> None:
    path = to_xlsx(project / "data" / "contributions.csv")
    edit_cell(path, "E2", "=39*1000000")  # the sample's 39000000, as a formula
    with_cached_values(path, {"E2": "39000000"})
    result = run(project, "build", "KOR", "--edition", "2017")
    assert result.exit_code == 0, result.output
    ours = project / "output" / "2017" / "KOR.pdf"
    assert ours.read_bytes() == (built / "output" / "2017" / "KOR.pdf").read_bytes()


def test_a_sheet_named_like_the_file_is_read_before_the_first(project: Path) -> None:
    from openpyxl import load_workbook

    path = to_xlsx(project / "data" / "channels.csv", sheet_title="contributions")
    book = load_workbook(path)
    book.active.title = "channels"
    notes = book.create_sheet("notes", 0)  # now the first sheet, and not the table
    notes["A1"] = "figures checked by finance in March"
    book.save(path)
    assert run(project, "check").exit_code == 0


@pytest.mark.parametrize(("cell", "value", "said"), [
    # a wrong amount, named by the sheet's row and the column's name
    ("E3", "12,5", "row 3, column amount_usd: '12,5' is not a number — use a decimal point, "
     "not a comma (12.5)"),
    # a number kept as text follows the CSV rules
    ("E2", "9,900,000", "row 2, column amount_usd: '9,900,000' is not a number — use digits "
     "with a decimal point, no thousands separators"),
    # openpyxl stores no calculated value for a formula, as a program that does not calculate
    ("E2", "=1000+2000", "row 2, column amount_usd: the formula =1000+2000 has no calculated "
     "value"),
    ("B4", "#REF!", "row 4, column start_year: shows the error #REF! — correct the formula"),
])
def test_a_cells_mistake_is_named_by_row_and_column(project: Path, cell: str, value: str,
                                                    said: str) -> None:
    path = to_xlsx(project / "data" / "contributions.csv")
    edit_cell(path, cell, value)
    result = run(project, "check")
    assert result.exit_code == 2
    assert f"error: data/contributions.xlsx: {said}" in result.stderr
    assert "Traceback" not in result.output
    built = run(project, "build")
    assert built.exit_code == 2 and f"error: data/contributions.xlsx: {said}" in built.stderr
    assert pdfs_under(project / "output") == []


def test_merged_header_cells_are_explained(project: Path) -> None:
    from openpyxl import load_workbook

    path = to_xlsx(project / "data" / "donors.csv")
    book = load_workbook(path)
    book.active.merge_cells("A1:B1")
    book.save(path)
    result = run(project, "check")
    assert result.exit_code == 2
    assert "data/donors.xlsx: row 1: cells A1:B1 are merged (the header) — unmerge them" \
        in result.stderr


def test_empty_trailing_columns_are_ignored_but_unnamed_values_are_not(project: Path) -> None:
    path = to_xlsx(project / "data" / "donors.csv")
    edit_cell(path, "H1", "")  # a formatted but empty column far right: ignored
    assert run(project, "check").exit_code == 0
    edit_cell(path, "H2", "spare")
    result = run(project, "check")
    assert result.exit_code == 2
    assert "data/donors.xlsx: row 1: column H has values but no name in row 1" in result.stderr


def test_a_table_kept_twice_is_an_error(project: Path) -> None:
    path = to_xlsx(project / "data" / "channels.csv")
    (project / "data" / "channels.csv").write_text("code,label\nx,X\n", encoding="utf-8")
    assert path.is_file()
    result = run(project, "check")
    assert result.exit_code == 2
    assert "data/channels.csv: both channels.csv and channels.xlsx exist — keep the table " \
        "in one file" in result.stderr


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a workbook"])
def test_a_damaged_workbook_is_a_message(project: Path, content: bytes) -> None:
    (project / "data" / "donors.csv").unlink()
    (project / "data" / "donors.xlsx").write_bytes(content)
    result = run(project, "check")
    assert result.exit_code == 2
    assert "data/donors.xlsx: cannot be read as an Excel workbook" in result.stderr
    assert "Traceback" not in result.output
