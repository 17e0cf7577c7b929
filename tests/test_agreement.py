"""The PDF, `briefs diff`, `briefs list` and the mail print the same money and period.

Each is read where a user reads it: the PDF's text with pypdf, the commands' output, the .eml
that a dry run of `briefs send` writes. The project's layouts set `labels.decimals: 2` and
their own way of writing a period, so a place that ignores the layout prints something else.
"""

from __future__ import annotations

import email
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import copy_project, run
from pypdf import PdfReader

PERIODS = {2017: "2012 to 2016", 2023: "2018 to 2022"}
LAYOUT = "extends: {name}\nlabels:\n  decimals: 2\n  period: \"{{start}} to {{end}}\"\n"


@pytest.fixture(scope="module")
def agreed(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with both layouts changed to two decimals and 'YEAR to YEAR', built."""
    project = copy_project(repo, tmp_path_factory.mktemp("agreement") / "project")
    (project / "layouts").mkdir()
    for name in ("factsheet", "profile"):
        (project / "layouts" / f"{name}.yaml").write_text(LAYOUT.format(name=name),
                                                          encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project


def pdf_text(project: Path, edition: int) -> str:
    reader = PdfReader(project / "output" / str(edition) / "KOR.pdf")
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def diff_rows(project: Path) -> dict[str, tuple[str, str]]:
    """The funding table of `briefs diff KOR`: label → (2017 cell, 2023 cell)."""
    result = run(project, "diff", "KOR")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("funding (US$ million)"))
    assert PERIODS[2017] in lines[start] and PERIODS[2023] in lines[start], lines[start]
    rows = {}
    for line in lines[start + 1:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = (cells[1], cells[2])
    return rows


def test_diff_prints_each_amount_as_the_pdf_prints_it(agreed: Path) -> None:
    rows = diff_rows(agreed)
    assert rows["Assessed contributions"] == ("more than 39.00", "41.80")
    assert rows["total"][1] == "63.00"
    for column, edition in enumerate((2017, 2023)):
        text = pdf_text(agreed, edition)
        for label, cells in rows.items():
            *words, number = cells[column].split()
            qualifier = " ".join(words)
            assert re.search(r"\d\.\d\d$", number), (label, number)  # labels.decimals: 2
            if label == "total":
                assert number in text, (edition, label, number)
                continue
            printed = f"{qualifier} US$ {number} million".strip()
            assert f"{label}" in text and printed in text, (edition, label, printed, text)


def test_diff_list_mail_and_pdf_write_the_period_alike(agreed: Path) -> None:
    for edition, years in PERIODS.items():
        assert f"US$ {'39.00' if edition == 2017 else '41.80'} million, {years}" in \
            pdf_text(agreed, edition)
    result = run(agreed, "list")
    assert result.exit_code == 0, result.output
    rows = [re.split(r"\s{2,}", line) for line in result.stdout.splitlines()[1:3]]
    assert [(row[0], row[1], row[3]) for row in rows] == [
        ("KOR", "2017", PERIODS[2017]), ("KOR", "2023", PERIODS[2023])]
    diff = run(agreed, "diff", "KOR").stdout
    assert f"period  {PERIODS[2017]} → {PERIODS[2023]}" in diff


def test_the_mail_writes_the_period_as_the_pdf_does(agreed: Path) -> None:
    result = run(agreed, "send")
    assert result.exit_code == 0, result.output
    files = sorted((agreed / "output" / "outbox" / "2023" / "KOR").glob("*.eml"))
    assert files
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        assert body is not None
        assert f"with the figures for {PERIODS[2023]}." in " ".join(body.get_content().split())
    assert PERIODS[2023] in pdf_text(agreed, 2023)
