"""How the text flows: figures stay with their heading, name lists read down their columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from pypdf import PdfReader

FILLER = "More about the priorities of the partnership, line after line, to push the text down. "


def _positions(pdf: Path, needles: tuple[str, ...]) -> dict[str, tuple[int, float, float]]:
    """needle -> (page, x, y) of the first text fragment holding it."""
    found: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        def visit(text: str, cm: list, tm: list, font: object, size: float,
                  number: int = number) -> None:
            for needle in needles:
                if needle in text and needle not in found:
                    found[needle] = (number, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("sentences", [8, 11, 14, 17])
def test_the_chart_stays_with_its_heading(project: Path, sentences: int) -> None:
    profile = project / "data/profiles/KOR/2017.md"
    text = profile.read_text(encoding="utf-8")
    lead = "Korea concentrates its bilateral cooperation on 24 priority partner countries:"
    profile.write_text(text.replace(lead, FILLER * sentences + "\n\n" + lead), encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2017", "--jobs", "1")
    assert result.exit_code == 0, result.output
    where = _positions(project / "output/2017/KOR.pdf",
                       ("KOREA’S CONTRIBUTIONS", "by funding channel", "Korea finances"))
    assert where["KOREA’S CONTRIBUTIONS"][0] == where["by funding channel"][0] == \
        where["Korea finances"][0], where
    # in whichever column it lands, the chart keeps a readable plot, and nothing else is off
    strict = run(project, "check", "--strict", "KOR")
    assert strict.exit_code == 0, strict.output


def test_name_lists_read_down_their_columns(built: Path) -> None:
    where = _positions(built / "output/2017/KOR.pdf", ("Azerbaijan", "Bangladesh", "Lao PDR"))
    first, second, top_of_next = where["Azerbaijan"], where["Bangladesh"], where["Lao PDR"]
    assert abs(first[1] - second[1]) < 1 and second[2] < first[2]  # below, same column
    assert top_of_next[1] > first[1] + 20 and abs(top_of_next[2] - first[2]) < 1


def test_a_long_pull_quote_near_the_end_still_balances_the_last_page(
        repo: Path, tmp_path: Path) -> None:
    """Donor D026 of the benchmark's generated donors ends on a three-column page with a
    long pull quote (which cannot be split) in its last story: four tries at a frame height
    left its third column two lines long beside two full ones; the page is now level enough
    that the inspection has nothing to say about it."""
    import sys

    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        from bench_build import make_project
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    make_project(tmp_path, 27)
    result = run(tmp_path, "build", "D026")
    assert result.exit_code == 0, result.output
    assert "D026 2024 (factsheet), page" not in result.output, result.output
    assert len(PdfReader(tmp_path / "output/2024/D026.pdf").pages) == 4


def test_a_heading_goes_with_a_lead_in_and_its_list(project: Path) -> None:
    """KOR 2023 set in the factsheet: 'Priorities…' is followed by a paragraph ending in ':'
    that goes on with its list. The heading fitted with the paragraph's first lines, then
    the paragraph and its list moved on and left the heading alone at the column's foot;
    the heading now moves with them."""
    result = run(project, "build", "KOR", "--edition", "2023", "--layout", "factsheet",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "ends its column" not in result.output, result.output
    pages = [page.extract_text() for page in
             PdfReader(project / "output/2023/KOR-factsheet.pdf").pages]
    holding = [i for i, page in enumerate(pages) if "PRIORITIES OF KOREA" in page]
    assert holding and "concentrates on the following" in pages[holding[0]]
