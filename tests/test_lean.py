"""A lean build: the parent plans from front matter, the workers read the Markdown; tables are
read without pandas; each donor's rows are found by an index, not a scan.

These guard the speed work of issue 15 by what it must not change: the same briefs, the same
messages, the same bytes, whichever process did the parsing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run


def _no_markdown_here(*args: object, **kwargs: object) -> None:
    raise AssertionError("the build's parent parsed a profile's Markdown")


def test_the_parent_of_a_build_reads_front_matter_only(project: Path, built: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers import briefs afresh, so only this process has the trap: the build
    succeeds only if the Markdown is parsed in the workers, and the PDFs are the same."""
    import briefs.contract.profiles as profiles

    monkeypatch.setattr(profiles, "parse_body", _no_markdown_here)
    result = run(project, "build", "--jobs", "2", "--quiet",
                 env={"BRIEFS_START_METHOD": "spawn"})
    assert result.exit_code == 0, result.output
    for year in (2017, 2023):
        mine = (project / "output" / str(year) / "KOR.pdf").read_bytes()
        assert mine == (built / "output" / str(year) / "KOR.pdf").read_bytes(), year


def test_a_warning_in_the_markdown_is_printed_by_build(project: Path) -> None:
    """The worker that reads the Markdown finds the warning; build still prints it."""
    path = project / "data" / "profiles" / "KOR" / "2017.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{.contributions}", ""), encoding="utf-8")
    result = run(project, "build", "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert ("data/profiles/KOR/2017.md: warning: has no {.contributions} section, so the "
            "brief shows no figures") in result.stderr.splitlines()
    assert result.stdout.splitlines()[-1] == "built 2, unchanged 0"


@pytest.mark.parametrize(("table", "message"), [
    ("donors.csv", "data/donors.csv:1: column 'name' appears twice"),
    ("channels.csv", "data/channels.csv:4: code: is empty — a value is required"),
])
def test_csv_read_without_pandas_keeps_its_rules(project: Path, table: str,
                                                 message: str) -> None:
    """A repeated column is named as such (pandas renamed it 'name.1'), and a short line's
    missing values are empty cells, reported on the line they are missing from."""
    path = project / "data" / table
    lines = path.read_text(encoding="utf-8").splitlines()
    if table == "donors.csv":
        lines[0] += ",name"
    else:
        lines[2] = ""  # a blank line is skipped but still counts ...
        lines.insert(3, ",Label only")  # ... so this line is line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.stderr.splitlines(), result.stderr


def test_rows_of_a_donor_are_its_rows_in_table_order(project: Path) -> None:
    from briefs.contract.project import load_project

    loaded = load_project(project)
    for code in loaded.donors:
        assert loaded.rows_of(code) == tuple(r for r in loaded.contributions if r.donor == code)
    assert loaded.rows_of("NOPE") == ()
