"""`briefs report`: every donor's channel totals, newest edition against the previous."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import run

HEADER = ("donor,channel,label,edition,period,amount_usd,qualifier,previous_edition,"
          "previous_period,previous_amount_usd,previous_qualifier,change_usd,change_percent,"
          "note")


def test_csv_on_stdout_gives_the_sample_figures(project: Path) -> None:
    result = run(project, "report")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        HEADER,
        "KOR,assessed,Assessed contributions,2023,2018–2022,41800000,,2017,2012–2016,"
        "39000000,more than,2800000,7.2,",
        "KOR,voluntary_earmarked,Voluntary earmarked contributions,2023,2018–2022,21200000,,"
        "2017,2012–2016,9900000,,11300000,114.1,",
        "KOR,total,total,2023,2018–2022,63000000,,2017,2012–2016,48900000,more than,"
        "14100000,28.8,",
    ]
    assert not (project / "output" / "report.xlsx").exists()


def test_json_and_xlsx_hold_the_same_rows(project: Path) -> None:
    records = json.loads(run(project, "report", "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run(project, "report").stdout)))
    assert [r["amount_usd"] for r in records] == [int(r["amount_usd"]) for r in rows]
    result = run(project, "report", "--format", "xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("output/report.xlsx")
    sheet = load_workbook(project / "output" / "report.xlsx").active
    table = list(sheet.iter_rows(values_only=True))
    assert ",".join(table[0]) == HEADER
    assert [r[5] for r in table[1:]] == [r["amount_usd"] for r in records]


def test_a_donor_with_one_edition_has_no_previous_figures(project: Path) -> None:
    (project / "data" / "profiles" / "KOR" / "2017.md").unlink()
    records = json.loads(run(project, "report", "--format", "json").stdout)
    assert [(r["channel"], r["amount_usd"], r["previous_edition"], r["change_usd"])
            for r in records] == [("assessed", 41800000, None, None),
                                  ("voluntary_earmarked", 21200000, None, None),
                                  ("total", 63000000, None, None)]
    assert {r["note"] for r in records} == {"no previous edition"}
