"""The page inspection sees what a designer would: each rule shown a page that breaks it.

The first tests change a layout of the sample so that the real brief breaks one rule and run
`briefs check`; the others give one rule the notes of a laid-out page directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from briefs.render.contrast import contrast
from briefs.render.inspect import Placed, cut_words, inspect_pages
from briefs.render.textboxes import TextBox

LAYOUT = "extends: factsheet\ndescription: a broken variant\n"
A4 = (595.28, 841.89)


def _with_layout(project: Path, yaml: str) -> None:
    (project / "layouts").mkdir(exist_ok=True)
    (project / "layouts" / "factsheet.yaml").write_text(LAYOUT + yaml, encoding="utf-8")


def _page_warnings(project: Path) -> list[str]:
    result = run(project, "check", "KOR")
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_the_sample_passes(project: Path) -> None:
    assert _page_warnings(project) == []
    assert run(project, "check", "--strict").exit_code == 0


@pytest.mark.parametrize(("yaml", "expected"), [
    ("chart:\n  colors:\n    assessed: pale\n",
     "warning: layout factsheet: chart colour assessed (pale, #c9cff5) has a contrast of "
     "1.53:1 against the white chart, under 3.0:1"),
    ("styles:\n  eyebrow: {font: sans, size: 8pt, leading: 10pt, color: primary}\n",
     "warning: layout factsheet: styles.eyebrow (#1e2dbe) on #1e2dbe"),
    ("templates:\n  first:\n    frames:\n      - {left: 16mm, top: 60mm, width: 35mm, "
     "height: 219mm}\n  later:\n    frames:\n      - {left: 16mm, top: 20mm, width: 35mm, "
     "height: 259mm}\n", "the chart's plot is"),
    ("templates:\n  first:\n    texts:\n      - {text: \"Donor profile · {edition}\", x: 16mm, "
     "y: 41mm, style: eyebrow}\n", "'DONOR PROFILE · 2017' overprints 'ILO Cooperation' — "),
], ids=["chart contrast", "text contrast", "small chart", "overlap"])
def test_a_broken_layout_is_seen(project: Path, yaml: str, expected: str) -> None:
    _with_layout(project, yaml)
    warnings = _page_warnings(project)
    assert any(expected in line for line in warnings), "\n".join(warnings)
    assert run(project, "check", "--strict").exit_code == 2


def test_a_long_web_address_breaks_within_its_column(project: Path) -> None:
    profile = project / "data/profiles/KOR/2017.md"
    address = "https://www.ilo.org/" + "/".join(["decent-work-in-global-supply-chains"] * 3)
    profile.write_text(profile.read_text(encoding="utf-8") + f"\nSee {address} for more.\n",
                       encoding="utf-8")
    assert _page_warnings(project) == []


def test_a_line_wider_than_its_column_is_seen() -> None:
    placed = [Placed(2, "a", "text", 24.0, ("a line",), "a line", wide=True)]
    assert [(f.page, f.kind) for f in inspect_pages(placed, {}, {}, [], A4)] == \
        [(2, "wide")]


def test_text_off_the_page_is_seen() -> None:
    boxes = [TextBox(3, 500.0, 100.0, 640.0, 110.0, "some text"),
             TextBox(3, 50.0, 100.0, 200.0, 110.0, "other text")]
    found = inspect_pages([], {}, {}, boxes, A4)
    assert [(f.page, f.kind) for f in found] == [(3, "off-page")]


def test_contrast_ratio_is_wcag() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#c9cff5", "#ffffff") == pytest.approx(1.53, abs=0.01)


def test_a_word_cut_without_a_hyphen_is_seen() -> None:
    source = "Die (Lieferkettensorgfaltspflichtengesetz) regelt"
    assert cut_words(["Die (Lieferketten", "sorgfaltspflichtengesetz) regelt"], source) == \
        ["(Lieferketten/sorgfaltspflichtengesetz)"]
    assert cut_words(["Die (Lieferketten-", "sorgfaltspflichtengesetz) regelt"], source) == []
    assert cut_words(["Die", "(Lieferkettensorgfaltspflichtengesetz) regelt"], source) == []
    url = "see https://www.ilo.org/global/about"
    assert cut_words(["see https://www.ilo.org/", "global/about"], url) == []


def _text(page: int, frame: str, kind: str = "text", source: str = "Some text.") -> Placed:
    return Placed(page, frame, kind, 12.0, (source,), source,
                  ends_colon=source.endswith(":"))


def test_a_heading_at_the_foot_of_a_column_is_seen() -> None:
    placed = [_text(1, "a"), _text(1, "a", "heading", "A heading"), _text(1, "b")]
    kinds = [f.kind for f in inspect_pages(placed, {}, {}, [], A4)]
    assert kinds == ["orphan"]
    placed[2] = _text(1, "a")
    assert inspect_pages(placed, {}, {}, [], A4) == []


def test_a_lead_in_left_behind_by_its_list_is_seen() -> None:
    placed = [_text(1, "a", source="It does three things:"), _text(2, "a", source="one;")]
    assert [f.kind for f in inspect_pages(placed, {}, {}, [], A4)] == ["lead-in"]


def test_empty_and_unbalanced_columns_are_seen() -> None:
    used = {1: [700.0, 200.0, 700.0], 2: [700.0, 690.0, 100.0]}
    heights = {1: [734.0] * 3, 2: [734.0] * 3}
    findings = inspect_pages([], used, heights, [], A4)
    assert [(f.page, f.kind) for f in findings] == [(1, "empty"), (2, "balance")]
    used = {1: [700.0, 690.0, 700.0], 2: [400.0, 390.0, 380.0]}
    assert inspect_pages([], used, heights, [], A4) == []
