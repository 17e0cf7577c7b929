"""A heading is never left alone at the foot of a column, whatever its length."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from pypdf import PdfReader

FILLER = ("Filler text that pushes the next heading further down the column, line after line, "
          "so that somewhere it lands near the foot of a column. ")
HEADING = ("A deliberately long heading that wraps over several lines in a narrow column of "
           "the fact sheet")


def _where(pdf: Path, needle: str) -> tuple[int, float]:
    """(page, x) of the first text fragment containing `needle`."""
    for number, page in enumerate(PdfReader(pdf).pages):
        found: list[float] = []

        def visit(text: str, cm: list, tm: list, font: object, size: float,
                  found: list[float] = found) -> None:
            if needle in text and not found:
                found.append(tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
        if found:
            return number, found[0]
    raise AssertionError(f"{needle!r} not in {pdf}")


@pytest.mark.parametrize("paragraphs", range(10, 22))
def test_long_heading_stays_with_its_text(project: Path, paragraphs: int) -> None:
    story = "\n\n".join(FILLER * 4 for _ in range(paragraphs))
    (project / "data/profiles/KOR/2024.md").write_text(
        "---\nedition: 2024\nperiod: [2018, 2022]\n---\n\nIntroduction.\n\n"
        f"## Filler story\n\n{story}\n\n## {HEADING}\n\nFIRSTWORDS of the story that the "
        "heading introduces, followed by more text.\n", encoding="utf-8")
    result = run(project, "build", "KOR", "--edition", "2024", "--jobs", "1")
    assert result.exit_code == 0, result.output
    pdf = project / "output/2024/KOR.pdf"
    heading_page, heading_x = _where(pdf, "deliberately")
    text_page, text_x = _where(pdf, "FIRSTWORDS")
    assert heading_page == text_page
    assert abs(heading_x - text_x) < 5, "the heading and its text are in different columns"
