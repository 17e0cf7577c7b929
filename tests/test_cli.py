"""The command line: options, the project folder, and what a user's mistake looks like."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result
from conftest import invoke, pdfs_under, run

import briefs

PROFILE_2017 = "data/profiles/KOR/2017.md"
CONTRIBUTIONS = "data/contributions.csv"


def line_of(path: Path, starts: str) -> int:
    """The 1-based number of the first line of `path` starting with `starts`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(starts))


def replace_once(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(content.replace(old, new), encoding="utf-8")


def assert_user_error(result: Result, project: Path, *messages: str,
                      brief: str | None = None) -> None:
    """Exit 2, each message printed as one error line, no traceback.

    A mistake in the shared data (brief None) stops everything: nothing is written. A mistake
    in one brief's profile ("KOR 2017") fails that brief alone: its PDF is not written and
    the other briefs are built.
    """
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = result.stderr.splitlines()
    for message in messages:
        assert f"error: {message}" in errors, result.stderr
    count = len(messages)
    found = f"{count} problem{'s' if count != 1 else ''} found; "
    if brief is None:
        assert errors[-1] == found + "nothing was written.", result.stderr
        assert result.stdout == ""
        assert pdfs_under(project) == []
        assert not (project / "output" / "manifest.json").exists()
    else:
        assert errors[-1] in (found + "nothing was written.",
                              found + f"not written: {brief}; the other briefs are done."), \
            result.stderr
        code, edition = brief.split()
        assert not (project / "output" / edition / f"{code}.pdf").exists()
        assert result.stdout.splitlines()[-1].endswith(", failed 1")


# --- options ------------------------------------------------------------------------------

def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"briefs, version {briefs.__version__}\n"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_group_help(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert "--project" in result.output
    for command in ("build", "check"):
        assert re.search(rf"^\s+{command}\s+\S", result.output, re.MULTILINE), result.output


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize(("command", "options"), [
    ("build", ("--edition", "--layout", "--force", "--quiet")),
    ("check", ()),
])
def test_command_help(flag: str, command: str, options: tuple[str, ...]) -> None:
    result = invoke(command, flag)
    assert result.exit_code == 0, result.output
    assert re.match(rf"Usage: \S+ {command} ", result.output), result.output
    for option in options:
        assert option in result.output


def test_project_option_selects_the_folder(project: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFS_PROJECT", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert invoke("check").exit_code == 2  # the current folder has no data/
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 briefs checked")


def test_env_var_selects_the_folder(project: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = invoke("check", env={"BRIEFS_PROJECT": str(project)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 2 briefs checked")
    # the option wins over the variable
    result = invoke("--project", project, "check", env={"BRIEFS_PROJECT": str(empty)})
    assert result.exit_code == 0, result.output


def test_check_gives_one_all_clear_line_and_writes_nothing(project: Path) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("ok:")
    assert lines[0] == "ok: 2 briefs checked, no problems found"
    output = project / "output"
    assert not output.exists() or list(output.iterdir()) == []
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


# --- a user's mistakes: exit 2, file:line: field, no traceback, no PDF --------------------

def test_decimal_comma_in_amount(project: Path) -> None:
    csv = project / CONTRIBUTIONS
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("KOR,2012,2016,voluntary_earmarked,9900000,")
    # a spreadsheet saves a cell holding a comma in quotes
    lines[2] = lines[2].replace(",9900000,", ',"12,5",')
    csv.write_text("".join(lines), encoding="utf-8")
    result = run(project, "build")
    assert_user_error(result, project,
                      f"{CONTRIBUTIONS}:3: amount_usd: '12,5' is not a number — use a decimal "
                      "point, not a comma (12.5)")


def test_unquoted_comma_in_amount(project: Path) -> None:
    replace_once(project / CONTRIBUTIONS, ",9900000,", ",12,5,")
    result = run(project, "build")
    assert_user_error(result, project,
                      f"{CONTRIBUTIONS}:3: has 8 values but the header names 7 columns: a "
                      "value contains a comma — put that value in double quotes; write "
                      "amounts without thousands separators (9900000)")


@pytest.mark.parametrize("command", ["build", "check"])
def test_unknown_channel(project: Path, command: str) -> None:
    """`check` reports a mistake exactly as `build` does."""
    replace_once(project / CONTRIBUTIONS, "KOR,2012,2016,voluntary_earmarked,",
                 "KOR,2012,2016,voluntary_earmarkd,")
    result = run(project, command)
    assert_user_error(result, project,
                      f"{CONTRIBUTIONS}:3: channel: unknown channel 'voluntary_earmarkd' — did "
                      "you mean 'voluntary_earmarked'?")


@pytest.mark.parametrize(("old", "new", "marker", "message"), [
    ("\nperiod:", "\nperod:", "perod:", "unknown key 'perod' — did you mean 'period'?"),
    ("success story {.box}", "success story {.boxx}", "## From aid recipient to donor",
     "unknown section class '{.boxx}' — did you mean '{.box}'?"),
    ("\nedition: 2017\n", "\nedition: 2016\n", "edition:",
     "edition: 2016 does not match the file name 2017.md — rename the file to 2016.md or set "
     "'edition: 2017'"),
])
def test_a_mistake_in_a_profile(project: Path, old: str, new: str, marker: str,
                                message: str) -> None:
    """The message names the profile and the line of the mistake; only that brief fails."""
    profile = project / PROFILE_2017
    replace_once(profile, old, new)
    line = line_of(profile, marker)
    result = run(project, "build")
    assert_user_error(result, project, f"{PROFILE_2017}:{line}: {message}", brief="KOR 2017")


def test_missing_donors_csv(project: Path) -> None:
    (project / "data/donors.csv").unlink()
    result = run(project, "build")
    assert_user_error(result, project,
                      "data/donors.csv: file not found — every project needs it; copy it from "
                      "the sample project's data/ folder and edit it")


def test_unknown_donor_on_the_command_line(project: Path) -> None:
    result = run(project, "build", "XYZ")
    assert_user_error(result, project, "data/donors.csv: no donor 'XYZ' — the donors are: KOR")


def test_period_partly_covering_a_period_total(project: Path) -> None:
    """A row only partly inside the period is not used (rolling totals live side by side)."""
    profile = project / PROFILE_2017
    replace_once(profile, "\nperiod: [2012, 2016]\n", "\nperiod: [2013, 2016]\n")
    line = 59  # the {.contributions} heading
    result = run(project, "build")
    assert_user_error(
        result, project,
        f"{PROFILE_2017}:{line}: the {{.contributions}} section reports 2013–2016, but "
        f"{CONTRIBUTIONS} has no row for KOR inside that period (lines 2–3 only partly overlap "
        "it, so this brief does not use them) — add the figures for 2013–2016 (one row per "
        "channel and year, or one per channel for the whole period) or change 'period'",
        brief="KOR 2017")


def test_folder_without_data(tmp_path: Path) -> None:
    result = run(tmp_path, "build")
    assert_user_error(result, tmp_path,
                      "data: folder not found — run briefs in a project folder (one holding "
                      "data/), or pass --project DIR")
