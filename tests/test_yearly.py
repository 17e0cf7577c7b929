"""The yearly cycle through the real CLI: new-edition, diff, list and init.

The commands live in `briefs.cli.yearly`; `briefs.cli.main` registers them, and nothing here
does it for them, so a registration that goes missing fails these tests.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from conftest import invoke, pdfs_under, run

PROFILES = Path("data/profiles/KOR")
CONTRIBUTIONS = "data/contributions.csv"


def split(path: Path) -> tuple[dict, bytes, bytes]:
    """(front matter as data, front matter bytes, body bytes) of a profile."""
    raw = path.read_bytes()
    lines = raw.splitlines(keepends=True)
    assert lines[0].strip() == b"---"
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == b"---")
    front = b"".join(lines[1:end])
    return yaml.safe_load(front.decode("utf-8")), front, b"".join(lines[end:])


def user_error(result: Result, *messages: str) -> None:
    """Exit status 2, the messages as error lines, nothing on stdout, no traceback."""
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = result.stderr.splitlines()
    for message in messages:
        assert f"error: {message}" in errors, result.stderr
    assert result.stdout == ""


def words(text: str) -> list[str]:
    """Each line with its runs of spaces collapsed: table columns without their padding."""
    return [" ".join(line.split()) for line in text.splitlines()]


# --- new-edition ------------------------------------------------------------------------------

def test_new_edition_copies_the_newest_profile(project: Path) -> None:
    result = run(project, "new-edition", "KOR", 2024)
    assert result.exit_code == 0, result.output
    new, old = project / PROFILES / "2024.md", project / PROFILES / "2023.md"
    meta, front, body = split(new)
    old_meta, old_front, old_body = split(old)
    assert meta["edition"] == 2024
    assert meta["period"] == [2019, 2023]
    assert body == old_body  # the body byte for byte
    changed = [(a, b) for a, b in zip(old_front.splitlines(), front.splitlines(), strict=True)
               if a != b]  # every other line of the front matter as it was
    assert changed == [(b"edition: 2023", b"edition: 2024"),
                       (b"period: [2018, 2022]", b"period: [2019, 2023]")]
    assert {k: v for k, v in meta.items() if k not in ("edition", "period")} == \
        {k: v for k, v in old_meta.items() if k not in ("edition", "period")}
    assert list(meta) == list(old_meta)  # key order kept
    assert old_meta["edition"] == 2023  # the source is untouched
    out = result.stdout.splitlines()
    assert out[0] == (f"wrote {_rel(new)} from {_rel(old)}: edition 2024, "
                      "period [2019, 2023]")
    assert out[1] == "edit now:"
    assert out[-1] == "then: briefs check KOR, then briefs build KOR"
    hints = "\n".join(out)
    assert (f"  - {CONTRIBUTIONS}: has no rows for KOR inside 2019–2023 yet — append the "
            "figures for the new period") in hints
    assert (f"  - {CONTRIBUTIONS}:4: the row assessed 2018–2022 only partly covers 2019–2023, "
            "so the brief does not use it (it stays for the editions whose period holds "
            "it)") in hints
    assert "data/profiles/KOR/2024.md:12: review the introduction" in hints
    assert "data/profiles/KOR/2024.md:14: review the box 'The partnership at a glance'" in hints
    for story in ("ILO work supported by Korea", "The Korea–ILO Partnership Programme"):
        assert f"review the story '{story}'" in hints
    assert "data/profiles/KOR/2024.md:5: check key_partners (4 names)" in hints
    assert "partner_countries: none listed" in hints
    assert result.stderr == ""


def test_new_edition_keeps_comments_and_a_block_period(project: Path) -> None:
    old = project / PROFILES / "2023.md"
    text = old.read_text(encoding="utf-8")
    text = text.replace("edition: 2023\n", "edition: 2023  # the web edition\n# keep me\n")
    text = text.replace("period: [2018, 2022]\n", "period:\n  - 2018\n  - 2022  # last year\n")
    old.write_text(text, encoding="utf-8")
    result = run(project, "new-edition", "KOR", 2024)
    assert result.exit_code == 0, result.output
    new = (project / PROFILES / "2024.md").read_text(encoding="utf-8")
    expected = text.replace("edition: 2023  #", "edition: 2024  #")
    expected = expected.replace("  - 2018\n  - 2022  #", "  - 2019\n  - 2023  #")
    assert new == expected


def test_new_edition_adds_a_missing_period_after_the_edition(project: Path) -> None:
    old = project / PROFILES / "2023.md"
    old.write_text(old.read_text(encoding="utf-8").replace("period: [2018, 2022]\n", ""),
                   encoding="utf-8")
    result = run(project, "new-edition", "KOR", 2024)
    assert result.exit_code == 0, result.output
    new = (project / PROFILES / "2024.md").read_text(encoding="utf-8")
    assert new.startswith("---\nedition: 2024\nperiod: [2019, 2023]\nlayout: profile\n")


def test_new_edition_refuses_to_overwrite(project: Path) -> None:
    assert run(project, "new-edition", "KOR", 2024).exit_code == 0
    new = project / PROFILES / "2024.md"
    new.write_text(new.read_text(encoding="utf-8") + "\nMy edits.\n", encoding="utf-8")
    before = new.read_bytes()
    result = run(project, "new-edition", "KOR", 2024)
    user_error(result, "data/profiles/KOR/2024.md: already exists — edit it, or delete it to "
                       "start again from the previous edition")
    assert new.read_bytes() == before


@pytest.mark.parametrize("year", [2023, 2017])
def test_new_edition_year_of_an_existing_edition(project: Path, year: int) -> None:
    before = (project / PROFILES / f"{year}.md").read_bytes()
    user_error(run(project, "new-edition", "KOR", year),
               f"data/profiles/KOR/{year}.md: already exists — edit it, or delete it to start "
               "again from the previous edition")
    assert (project / PROFILES / f"{year}.md").read_bytes() == before


def test_new_edition_unknown_donor(project: Path) -> None:
    user_error(run(project, "new-edition", "KOX", 2024),
               "data/donors.csv: no donor 'KOX' — did you mean 'KOR'?")
    assert sorted(p.name for p in (project / PROFILES).iterdir()) == ["2017.md", "2023.md"]


@pytest.mark.parametrize("year", [2022, 2016])
def test_new_edition_year_must_be_after_the_newest(project: Path, year: int) -> None:
    user_error(run(project, "new-edition", "KOR", year),
               f"data/profiles/KOR/2023.md: {year} is not after the newest edition 2023 — a "
               "new edition starts from the newest one, so give a later year such as 2024")
    assert sorted(p.name for p in (project / PROFILES).iterdir()) == ["2017.md", "2023.md"]


def test_new_edition_needs_a_profile_to_start_from(project: Path) -> None:
    donors = project / "data" / "donors.csv"
    donors.write_text(donors.read_text(encoding="utf-8") + "JPN,Japan,,1951\n",
                      encoding="utf-8")
    user_error(run(project, "new-edition", "JPN", 2024),
               "data/profiles/JPN: no profile yet — write the first edition by hand as "
               "data/profiles/JPN/YEAR.md (see the data contract), then start later editions "
               "from it")


def test_check_after_new_edition_reports_the_rows_the_new_period_cuts(project: Path) -> None:
    """The sample holds five-year totals only: 2018–2022 straddles the new 2019–2023."""
    assert run(project, "new-edition", "KOR", 2024).exit_code == 0
    result = run(project, "check")
    user_error(result, "data/profiles/KOR/2024.md:22: the {.contributions} section reports "
               "2019–2023, but data/contributions.csv has no row for KOR inside that period "
               "(lines 4–5 only partly overlap it, so this brief does not use them) — add the "
               "figures for 2019–2023 (one row per channel and year, or one per channel for "
               "the whole period) or change 'period'")
    assert result.stderr.splitlines()[-1] == "1 problem found; nothing was written."


def test_rolling_period_totals_live_side_by_side(project: Path) -> None:
    """2018–2022 and 2019–2023 totals in one table: each edition uses its own."""
    assert run(project, "new-edition", "KOR", 2024).exit_code == 0
    with (project / CONTRIBUTIONS).open("a", encoding="utf-8") as table:
        table.write("KOR,2019,2023,assessed,43000000,,\n"
                    "KOR,2019,2023,voluntary_earmarked,25000000,about,\n")
    check = run(project, "check")
    assert check.exit_code == 0, check.output
    assert check.stdout == "ok: 3 briefs checked, no problems found\n"
    diff = run(project, "diff", "KOR")
    assert diff.exit_code == 0, diff.output
    assert "total 63.0 about 68.0 +7.9 %" in words(diff.stdout)


def test_check_passes_after_new_edition_with_yearly_figures(project: Path) -> None:
    """With one row per year, the new period takes whole rows and check is satisfied."""
    table = project / CONTRIBUTIONS
    lines = table.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if ",2018,2022," not in line]
    for year in range(2018, 2024):
        kept.append(f"KOR,{year},{year},assessed,8360000,,")
        kept.append(f"KOR,{year},{year},voluntary_earmarked,4240000,,")
    table.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = run(project, "new-edition", "KOR", 2024)
    assert result.exit_code == 0, result.output
    assert (f"  - {CONTRIBUTIONS}: has 10 rows for KOR inside 2019–2023 (lines "
            "6–15) — check that the figures are complete and "
            "final") in result.stdout.splitlines()
    assert "only partly covers" not in result.stdout
    check = run(project, "check")
    assert check.exit_code == 0, check.output
    assert check.stdout == "ok: 3 briefs checked, no problems found\n"


# --- diff -------------------------------------------------------------------------------------

def test_diff_text_between_the_sample_editions(project: Path) -> None:
    result = run(project, "diff", "KOR", "--from", 2017, "--to", 2023)
    assert result.exit_code == 0, result.output
    lines = words(result.stdout)
    assert lines[0] == ("KOR: edition 2017 → 2023 (data/profiles/KOR/2017.md → "
                        "data/profiles/KOR/2023.md)")
    for expected in (
        "period 2012–2016 → 2018–2022",
        "layout factsheet → profile",
        "funding (US$ million) 2012–2016 2018–2022 change",
        "Assessed contributions more than 39.0 41.8 +7.2 %",
        "Voluntary earmarked contributions 9.9 21.2 +114.1 %",
        "total more than 48.9 63.0 +28.8 %",
        "partner countries: 24 removed",
        "- Azerbaijan",
        "- Viet Nam",
        "key partners: 4 added, 3 removed",
        "+ Korea International Cooperation Agency (KOICA)",
        "- Ministry of Employment and Labour (MoEL)",
        "introduction: edited",
        "sections: 6 added, 9 removed, 0 edited, 0 unchanged",
        "+ The partnership at a glance {.box}",
        "- Researching the future of work",
    ):
        assert expected in lines, result.stdout
    assert result.stderr == ""


def test_diff_json_has_the_same_numbers(project: Path) -> None:
    result = run(project, "diff", "KOR", "--from", 2017, "--to", 2023, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["donor"], data["from"]["edition"], data["to"]["edition"]) == ("KOR", 2017, 2023)
    assert data["from"]["period"] == [2012, 2016] and data["to"]["period"] == [2018, 2022]
    funding = {c["channel"]: c for c in data["funding"]}
    assert set(funding) == {"assessed", "voluntary_earmarked"}
    assert funding["assessed"]["from"] == 39_000_000
    assert funding["assessed"]["to"] == 41_800_000
    assert funding["assessed"]["from_qualifier"] == "more than"
    assert funding["assessed"]["change_percent"] == 7.2
    assert funding["voluntary_earmarked"]["from"] == 9_900_000
    assert funding["voluntary_earmarked"]["to"] == 21_200_000
    assert funding["voluntary_earmarked"]["change_percent"] == 114.1
    assert data["total"]["change_percent"] == 28.8
    assert data["partner_countries"]["added"] == []
    assert len(data["partner_countries"]["removed"]) == 24
    assert "Ministry of Employment and Labour (MoEL)" in data["key_partners"]["removed"]
    assert "Ministry of Employment and Labour" in data["key_partners"]["added"]
    sections = data["sections"]
    assert {"heading": "The partnership at a glance", "class": "box"} in sections["added"]
    assert {"heading": "Researching the future of work", "class": None} in sections["removed"]
    assert (len(sections["added"]), len(sections["removed"])) == (6, 9)
    assert sections["edited"] == [] and sections["unchanged"] == []
    assert data["changed"]["layout"] == {"from": "factsheet", "to": "profile"}
    assert data["introduction_edited"] is True


def test_diff_defaults_to_the_two_newest_editions(project: Path) -> None:
    default = run(project, "diff", "KOR")
    explicit = run(project, "diff", "KOR", "--from", 2017, "--to", 2023)
    assert default.exit_code == 0, default.output
    assert default.stdout == explicit.stdout


def test_diff_of_a_new_edition_shows_edits_and_notes(project: Path) -> None:
    assert run(project, "new-edition", "KOR", 2024).exit_code == 0
    new = project / PROFILES / "2024.md"
    new.write_text(new.read_text(encoding="utf-8").replace(
        "renewed for 2018–2020", "renewed for 2024–2026"), encoding="utf-8")
    result = run(project, "diff", "KOR")
    assert result.exit_code == 0, result.output
    lines = words(result.stdout)
    assert "period 2018–2022 → 2019–2023" in lines
    assert "Assessed contributions 41.8 not reported —" in lines
    assert "sections: 0 added, 0 removed, 2 edited, 4 unchanged" in lines
    assert "~ The partnership at a glance {.box}" in lines
    assert "~ The Korea–ILO Partnership Programme" in lines
    assert ("note: data/profiles/KOR/2024.md:22: the {.contributions} section reports "
            "2019–2023, but data/contributions.csv has no row for KOR inside that period "
            "(lines 4–5 only partly overlap it, so this brief does not use them) — add the "
            "figures for 2019–2023 (one row per channel and year, or one per channel for the "
            "whole period) or change 'period'") in lines


@pytest.mark.parametrize(("args", "message"), [
    (("KOX",), "data/donors.csv: no donor 'KOX' — did you mean 'KOR'?"),
    (("KOR", "--from", "2019"),
     "data/profiles/KOR/2019.md: file not found — the editions of KOR are: 2017, 2023"),
    (("KOR", "--to", "2017"),
     "data/profiles/KOR: no edition before 2017 to compare with — the editions of KOR are: "
     "2017, 2023"),
    (("KOR", "--from", "2023"),
     "data/profiles/KOR/2023.md: compared with itself — give two different editions with "
     "--from and --to"),
])
def test_diff_mistakes(project: Path, args: tuple[str, ...], message: str) -> None:
    user_error(run(project, "diff", *args), message)


# --- list -------------------------------------------------------------------------------------

def table(result: Result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return [line.split() for line in result.stdout.splitlines()]


def test_list_follows_the_state_of_each_pdf(project: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    before = run(project, "list")
    assert before.stdout == (
        "donor  edition  layout     period     state    PDF\n"
        "KOR    2017     factsheet  2012–2016  missing  output/2017/KOR.pdf\n"
        "KOR    2023     profile    2018–2022  missing  output/2023/KOR.pdf\n"
        "2 briefs: 2 missing\n")
    assert run(project, "build").exit_code == 0
    assert table(run(project, "list"))[1:] == [
        ["KOR", "2017", "factsheet", "2012–2016", "built", "output/2017/KOR.pdf"],
        ["KOR", "2023", "profile", "2018–2022", "built", "output/2023/KOR.pdf"],
        ["2", "briefs:", "2", "built"]]
    profile = project / PROFILES / "2023.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    assert [row[4] for row in table(run(project, "list"))[1:3]] == ["built", "stale"]
    assert run(project, "build").exit_code == 0
    assert [row[4] for row in table(run(project, "list"))[1:3]] == ["built", "built"]
    pdf = project / "output" / "2017" / "KOR.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% edited by hand\n")
    rows = table(run(project, "list"))
    assert [row[4] for row in rows[1:3]] == ["stale", "built"]
    assert rows[-1] == ["2", "briefs:", "1", "built,", "1", "stale"]


def test_list_shows_a_broken_profile_as_error(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    profile = project / PROFILES / "2017.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("period:", "perod:", 1),
                       encoding="utf-8")
    result = run(project, "list")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "donor  edition  layout   period     state    PDF\n"
        "KOR    2017     ?        ?          error    output/2017/KOR.pdf\n"
        "KOR    2023     profile  2018–2022  missing  output/2023/KOR.pdf\n"
        "\n"
        "KOR 2017: data/profiles/KOR/2017.md:3: unknown key 'perod' — did you mean 'period'?\n"
        "2 briefs: 1 missing, 1 error\n")


# --- init -------------------------------------------------------------------------------------

def test_init_creates_a_project_that_checks_and_builds(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("--project", tmp_path / "does-not-exist", "init", "my-briefs")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "my-briefs"
    out = result.stdout.splitlines()
    assert out[0] == "created my-briefs with the sample data:"
    assert "  my-briefs/data/contributions.csv" in out
    assert "  my-briefs/data/profiles/KOR/2023.md" in out
    assert out[-1].startswith("next: briefs --project my-briefs build")
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "output/"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for step in ("contributions.csv", "new-edition", "check", "build", "preview", "Send"):
        assert step in readme
    check = run(folder, "check")
    assert check.exit_code == 0, check.output
    assert check.stdout == "ok: 2 briefs checked, no problems found\n"
    build = run(folder, "build")
    assert build.exit_code == 0, build.output
    assert [p.relative_to(folder).as_posix() for p in pdfs_under(folder)] == [
        "output/2017/KOR.pdf", "output/2023/KOR.pdf"]


def test_init_accepts_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = invoke("init", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "data" / "donors.csv").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    user_error(invoke("init", folder),
               f"{folder}: is not empty — give the name of a new folder (or an empty one); "
               "init never writes into existing files")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("command", ["new-edition", "diff", "list", "init"])
def test_help(command: str) -> None:
    result = invoke(command, "-h")
    assert result.exit_code == 0, result.output
    assert re.match(rf"Usage: \S+ {command} ", result.output), result.output


def _rel(path: Path) -> str:
    return os.path.relpath(path)
