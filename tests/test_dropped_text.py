"""Every block of a profile reaches the PDF, or the profile is refused with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from pypdf import PdfReader

P2017 = "data/profiles/KOR/2017.md"
ANCHOR = "## The ILO’s key partners in Korea {.key-partners}"


def insert(project: Path, markdown: str) -> int:
    """`markdown` before the key-partners heading; the line it starts on."""
    path = project / P2017
    text = path.read_text(encoding="utf-8")
    assert ANCHOR in text
    line = text[: text.index(ANCHOR)].count("\n") + 1
    path.write_text(text.replace(ANCHOR, markdown + "\n" + ANCHOR, 1), encoding="utf-8")
    return line


def refused(project: Path) -> list[str]:
    for command in ("check", "build"):
        result = run(project, command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
    assert not (project / "output/2017/KOR.pdf").exists()
    return [line for line in result.stderr.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize(("inside", "what", "offset"), [
    ("> - a listed point\n> - another", "list", 2),
    ("> > a quote in a quote", "quote", 2),
    ("> ### A subheading", "heading", 2),
    (">     code in a quote", "code block", 2),
])
def test_a_quote_holding_more_than_paragraphs_is_refused(project: Path, inside: str,
                                                         what: str, offset: int) -> None:
    line = insert(project, f"> The quoted words.\n>\n{inside}\n")
    assert refused(project) == [
        f"error: {P2017}:{line + offset}: a quote ('>') holds only paragraphs and its "
        f"attribution, so this {what} inside it would be left out — move it out of the quote "
        "(remove the '>' before it)"]


def test_a_list_nested_past_the_parsers_limit_is_refused(project: Path) -> None:
    line = insert(project, "".join("  " * i + f"- level{i}\n" for i in range(12)))
    assert refused(project) == [
        f"error: {P2017}:{line + 9}: this line and everything after it would be left out of "
        "the brief: lists or quotes above it are nested too deeply to be read — nest them at "
        "most a few levels deep"]


def test_nested_lists_and_quotes_within_limits_reach_the_pdf(project: Path) -> None:
    words = ["Alphaword", "Betaword", "Gammaword", "Deltaword", "Epsilonword", "Zetaword"]
    insert(project, "".join("  " * i + f"- {w}\n" for i, w in enumerate(words[:4]))
           + f"\n> {words[4]}\n>\n> — {words[5]}\n")
    result = run(project, "build", "KOR", "--edition", "2017")
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(project / "output/2017/KOR.pdf").pages)
    for word in [*words, "Ministry of Employment and Labour"]:  # and what follows
        assert word in text, word
