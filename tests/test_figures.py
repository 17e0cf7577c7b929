"""Nothing wrong reaches a donor: the figures a brief prints, through the real CLI.

Each test adds a donor (NOR) with its own contribution rows and profile to a copy of the
sample, so the sample's own briefs stay as they are, and runs `check` and `build`.
"""

from __future__ import annotations

import email
import itertools
import re
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import run
from pypdf import PdfReader
from test_send import settings, smtp_server

CONTRIB = "data/contributions.csv"
NOR = "data/profiles/NOR/2025.md"
CHANNELS = ("assessed", "voluntary_core", "voluntary_earmarked")


def add_nor(project: Path, rows: list[str], period: str = "[2020, 2024]",
            edition: int = 2025, layout: str = "factsheet") -> Path:
    """Norway with `rows` (start,end,channel,amount[,qualifier]) and one profile."""
    with (project / "data/donors.csv").open("a", encoding="utf-8") as donors:
        donors.write("NOR,Kingdom of Norway,Norway,1919\n")
    with (project / CONTRIB).open("a", encoding="utf-8") as table:
        for row in rows:
            table.write(f"NOR,{row}{',' * (5 - row.count(','))}\n")
    profile = project / f"data/profiles/NOR/{edition}.md"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(f"---\nedition: {edition}\nlayout: {layout}\nperiod: {period}\n---\n\n"
                       "Norway is a partner.\n\n## Funding {.contributions}\n\n"
                       "How Norway funds the ILO.\n", encoding="utf-8")
    return profile


def yearly(first: int, last: int, channel: str, amount: int) -> list[str]:
    return [f"{y},{y},{channel},{amount}" for y in range(first, last + 1)]


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def errors(project: Path, *args: object) -> list[str]:
    """Runs check, then build: both exit 2 with the same error lines, and nothing written."""
    check = run(project, "check", *args)
    build = run(project, "build", *args)
    for result in (check, build):
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (project / "output/2025/NOR.pdf").exists()
    lines = [line for line in check.stderr.splitlines() if line.startswith("error: ")]
    assert lines == [line for line in build.stderr.splitlines() if line.startswith("error: ")]
    return lines


def builds(project: Path, *args: object) -> tuple[str, str]:
    """check passes, build writes NOR's PDF; (warnings of check, text of the PDF)."""
    check = run(project, "check", *args)
    assert check.exit_code == 0, check.output
    build = run(project, "build", "NOR", *args)
    assert build.exit_code == 0, build.output
    return check.stderr, pdf_text(project / "output/2025/NOR.pdf")


# --- coverage ---------------------------------------------------------------------------------

def test_a_missing_last_year_is_not_in_yet(project: Path) -> None:
    """Four years of rows under a five-year period: today it prints the sum as five years."""
    add_nor(project, yearly(2020, 2023, "assessed", 30_000_000)
            + yearly(2020, 2023, "voluntary_earmarked", 5_000_000))
    assert errors(project) == [
        "error: data/profiles/NOR/2025.md:4: period: [2020, 2024]: data/contributions.csv has "
        "no figures for 2024 yet, for any channel — 2024's figures are not in yet: add them "
        "when they are published, or end the period in 2023"]


def test_a_period_ending_in_the_edition_year_is_not_in_yet(project: Path) -> None:
    add_nor(project, yearly(2021, 2024, "assessed", 30_000_000), period="[2021, 2025]")
    [message] = errors(project)
    assert "has no figures for 2025 yet, for any channel — 2025's figures are not in yet" \
        in message


def test_a_gap_names_the_channel_the_years_and_the_zero_row(project: Path) -> None:
    rows = yearly(2020, 2024, "assessed", 30_000_000) + \
        [r for r in yearly(2020, 2024, "voluntary_earmarked", 5_000_000)
         if not r.startswith(("2021", "2022"))]
    add_nor(project, rows)
    assert errors(project) == [
        "error: data/profiles/NOR/2025.md:4: period: [2020, 2024]: data/contributions.csv has "
        "no voluntary_earmarked row for 2021–2022 — add the missing years (a year with no "
        "money is a row with amount_usd 0), or change the period"]


def test_zero_rows_fill_a_year_and_a_channel_without_rows_is_not_reported(
        project: Path) -> None:
    rows = [*yearly(2020, 2024, "assessed", 30_000_000), "2020,2022,voluntary_earmarked,9000000",
            "2023,2023,voluntary_earmarked,0", "2024,2024,voluntary_earmarked,0"]
    add_nor(project, rows)
    warnings, text = builds(project)
    assert warnings == ""
    assert "US$ 150.0 million" in text and "US$ 9.0 million" in text
    assert "total US$ 159.0 million" in text
    assert "Voluntary core" not in text  # no row at all: not reported, not zero


def test_overlap_inside_a_period_is_an_error_for_that_brief(project: Path) -> None:
    add_nor(project, [*yearly(2020, 2024, "assessed", 30_000_000),
                      "2020,2024,assessed,150000000"])
    assert errors(project) == [
        "error: data/contributions.csv:11: start_year: NOR assessed: the rows on lines 6–11 "
        "(2020–2020, 2021–2021, 2022–2022, 2023–2023, 2024–2024, 2020–2024) overlap inside the "
        "period 2020–2024 of data/profiles/NOR/2025.md — the same money would be counted twice; "
        "keep either the period total or the rows it sums"]


def test_diff_says_why_a_total_dropped(project: Path) -> None:
    add_nor(project, yearly(2019, 2023, "assessed", 30_000_000), period="[2019, 2023]",
            edition=2024)
    add_nor_edition(project, 2025, "[2020, 2024]")
    result = run(project, "diff", "NOR")
    assert result.exit_code == 0, result.output
    assert "note: data/profiles/NOR/2025.md:4: period: [2020, 2024]: data/contributions.csv " \
        "has no figures for 2024 yet" in result.stdout


def add_nor_edition(project: Path, edition: int, period: str) -> None:
    source = project / "data/profiles/NOR/2024.md"
    text = source.read_text(encoding="utf-8").replace("edition: 2024", f"edition: {edition}")
    text = re.sub(r"period: \[.*\]", f"period: {period}", text)
    (project / f"data/profiles/NOR/{edition}.md").write_text(text, encoding="utf-8")


# --- magnitude --------------------------------------------------------------------------------

def test_amounts_typed_in_millions_are_an_error_when_the_total_prints_as_zero(
        project: Path) -> None:
    add_nor(project, ["2020,2024,assessed,124.5", "2020,2024,voluntary_earmarked,20.1"])
    lines = errors(project)
    assert lines == [
        "error: data/profiles/NOR/2025.md:4: period: the total for 2020–2024 is US$ 144.60, "
        "which would print as US$ 0.0 million — amount_usd in data/contributions.csv is in US "
        "dollars, not millions"]
    check = run(project, "check")
    assert ("data/contributions.csv:6: warning: amount_usd: NOR assessed 2020–2024 is "
            "US$ 124.5, under US$ 1,000 — was it typed in millions? amount_usd is in US dollars "
            "(124.5 million is 124500000)") in check.stderr.splitlines()


@pytest.mark.parametrize(("index", "row", "warning"), [
    (2, "2022,2022,assessed,3.46",
     "data/contributions.csv:8: warning: amount_usd: NOR assessed 2022–2022 is US$ 3.46, under "
     "US$ 1,000 — was it typed in millions? amount_usd is in US dollars (3.46 million is "
     "3460000)"),
    (4, "2024,2024,assessed,30000",
     "data/contributions.csv:10: warning: amount_usd: NOR assessed 2024–2024 is US$ 30,000, a "
     "thousand times less a year than its other rows for NOR assessed — was it typed in "
     "millions or thousands? amount_usd is in US dollars"),
], ids=["in millions among dollars", "a thousand times below its siblings"])
def test_an_amount_of_the_wrong_magnitude_is_a_warning(project: Path, index: int, row: str,
                                                       warning: str) -> None:
    rows = yearly(2020, 2024, "assessed", 30_000_000)
    rows[index] = row
    add_nor(project, rows)
    warnings, _ = builds(project)
    assert warnings.splitlines() == [warning]


@pytest.mark.parametrize(("amount", "message"), [
    ("1" + "0" * 399, "is more than US$ 100 billion, too large to be a real contribution"),
    ("200000000000", "'200000000000' is more than US$ 100 billion"),
    ("１２３００００", "'１２３００００' is written with full-width or other non-ASCII digits — "
                  "type it with the digits 0–9: 1230000"),
])
def test_amounts_that_cannot_be_real_are_refused(project: Path, amount: str,
                                                 message: str) -> None:
    add_nor(project, [f"2020,2024,assessed,{amount}"])
    check = run(project, "check")
    assert check.exit_code == 2, check.output
    assert message in check.stderr
    assert "internal error" not in check.output and "Traceback" not in check.output


def test_two_large_amounts_add_up(project: Path) -> None:
    add_nor(project, ["2020,2024,assessed,99000000000",
                      "2020,2024,voluntary_earmarked,99000000000"])
    _, text = builds(project)
    assert "total US$ 198000.0 million" in text


def test_a_padded_amount_is_read_with_a_warning(project: Path) -> None:
    add_nor(project, ['2020,2024,assessed," 12000000 "'])
    warnings, text = builds(project)
    assert warnings.splitlines() == [
        "data/contributions.csv:6: warning: amount_usd: the amount has spaces around it; read "
        "as 12000000 — remove the spaces"]
    assert "US$ 12.0 million" in text


@pytest.mark.parametrize("layout", ["factsheet", "profile"])
@pytest.mark.parametrize("per_year", [False, True])
def test_an_all_zero_period_builds(project: Path, layout: str, per_year: bool) -> None:
    """Bars and donut, totals and years: a period with no money draws, never a crash."""
    rows = yearly(2020, 2024, "assessed", 0) if per_year else ["2020,2024,assessed,0"]
    rows += ["2020,2024,voluntary_earmarked,0"] if not per_year else \
        yearly(2020, 2024, "voluntary_earmarked", 0)
    add_nor(project, rows, layout=layout)
    _, text = builds(project)
    assert "0.0" in text and "Assessed contributions" in text


# --- one qualifier rule: the PDF, diff and the mail agree ----------------------------------------

QUALIFIERS = ("", "more than", "about")


def _expected(qualifiers: tuple[str, ...]) -> str:
    return "about" if "about" in qualifiers else "more than" if "more than" in qualifiers \
        else ""


def test_pdf_diff_and_mail_agree_on_the_total_qualifier(built: Path, tmp_path: Path) -> None:
    """Every combination of two channels' qualifiers: one word before the total everywhere."""
    import shutil

    project = Path(shutil.copytree(built, tmp_path / "project"))
    template = project / "templates/message.txt"
    template.parent.mkdir()
    template.write_text("Subject: {title}\n\nDear {name},\nthe total is {total}.\n",
                        encoding="utf-8")
    table = project / CONTRIB
    original = table.read_text(encoding="utf-8")
    with smtp_server() as server:
        settings(project, server.port)
        for first, second in itertools.product(QUALIFIERS, repeat=2):
            word = _expected((first, second))
            table.write_text(original.replace(",41800000,,", f",41800000,{first},").replace(
                ",21200000,,", f",21200000,{second},"), encoding="utf-8")
            assert run(project, "build", "KOR", "--edition", "2023").exit_code == 0
            shown = f"{word} US$ 63.0M".strip()
            text = pdf_text(project / "output/2023/KOR.pdf")
            assert f"below. {shown} TOTAL, 2018–2022" in text, (first, second, text[:900])
            diff = run(project, "diff", "KOR")
            totals = [" ".join(line.split()) for line in diff.stdout.splitlines()
                      if line.strip().startswith("total")]
            assert totals[0].split(" 63.0 ")[0] == " ".join(
                ["total", "more than", "48.9"] + ([word] if word else [])), totals
            sentence = f"the total is {word + ' ' if word else ''}US$ 63.0 million."
            dry = run(project, "send", "--resend-changed")
            assert dry.exit_code == 0, dry.output
            outbox = sorted((project / "output/outbox/2023/KOR").glob("*.eml"))
            assert outbox
            for path in outbox:
                assert sentence in _body(path.read_bytes())
            sent = run(project, "send", "--send", "--resend-changed")
            assert sent.exit_code == 0, sent.output
            assert sentence in _body(server.handler.received[-1].content)


def _body(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=default_policy)
    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    return " ".join(part.get_content().split())


# --- totals stated in prose -------------------------------------------------------------------

def test_a_total_stated_in_the_text_that_matches_nothing_is_a_warning(project: Path) -> None:
    profile = project / "data/profiles/KOR/2023.md"
    text = profile.read_text(encoding="utf-8")
    old = "The Republic of Korea finances the work of the ILO through the funding channels below."
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    profile.write_text(text.replace(old, "From 2018 to 2022, Korea contributed US$ 63.1 "
                                    "million in total, 41.8 million of it to the Regular "
                                    "Budget."), encoding="utf-8")
    check = run(project, "check")
    assert check.exit_code == 0, check.output
    assert check.stderr.splitlines() == [
        f"data/profiles/KOR/2023.md:{line}: warning: the text says '63.1 million', but no "
        "amount this brief computes for 2018–2022 is that (US$ million: total 63.0; Assessed "
        "contributions 41.8; Voluntary earmarked contributions 21.2) — write the computed "
        "figure, or check the rows in data/contributions.csv"]
    profile.write_text(profile.read_text(encoding="utf-8").replace("63.1", "63.0"),
                       encoding="utf-8")
    assert run(project, "check").stderr == ""
