"""The page inspection sees what a designer would: each rule shown a page that breaks it.

The first tests change a layout of the sample so that the real brief breaks one rule and run
`briefs check`; the others give one rule the notes of a laid-out page directly.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.render.contrast import contrast
from briefs.render.inspect import OVERLAP, Placed, cut_words, inspect_pages, stranded
from briefs.render.textboxes import Boxes, TextBox

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
    # a word of the source is found between spaces first, and after a tab by splitting
    assert cut_words(["Kette", "n"], "Kette\tn Ketten") == []


def _text(page: int, frame: str, kind: str = "text", source: str = "Some text.") -> Placed:
    return Placed(page, frame, kind, 12.0, (source,), source,
                  ends_colon=source.endswith(":"))


def test_a_heading_at_the_foot_of_a_column_is_seen() -> None:
    """And the balancing of the last page, which asks `stranded` only, sees it too."""
    placed = [_text(1, "a"), _text(1, "a", "heading", "A heading"), _text(1, "b")]
    kinds = [f.kind for f in inspect_pages(placed, {}, {}, [], A4)]
    assert kinds == ["orphan"]
    assert stranded(placed)
    placed[2] = _text(1, "a")
    assert inspect_pages(placed, {}, {}, [], A4) == []
    assert not stranded(placed)


def test_a_lead_in_left_behind_by_its_list_is_seen() -> None:
    placed = [_text(1, "a", source="It does three things:"), _text(2, "a", source="one;")]
    assert [f.kind for f in inspect_pages(placed, {}, {}, [], A4)] == ["lead-in"]
    assert stranded(placed)
    cut = Placed(1, "a", "text", 12.0, ("Lieferketten", "gesetz"), "Lieferkettengesetz")
    assert [f.kind for f in inspect_pages([cut], {}, {}, [], A4)] == ["cut"]
    assert not stranded([cut])


def test_a_trial_page_notes_what_stranded_needs() -> None:
    """A trial page of the balancing notes a paragraph without its lines: everything else
    is what the real page notes (plain lines, lines with bold words, a lead-in, a heading,
    a paragraph's second part after a split)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from briefs.render.inspect import record

    class Frame:
        id = "col1"

    body, heading = ParagraphStyle("body"), ParagraphStyle("heading", fontSize=14)
    texts = [("Partners fund decent work in every region of the world, every year", body),
             ("It does <b>three</b> things, each of them counted:", body),
             ("A heading set across the column", heading)]
    paragraphs = [Paragraph(text, style) for text, style in texts * 2]
    for paragraph in paragraphs:
        paragraph.wrap(90, 500)
    paragraphs[3:] = paragraphs[3].split(90, 30)  # two lines, and the rest
    for paragraph in paragraphs[3:]:
        paragraph.wrap(90, 500)  # as a frame wraps each part before drawing it
    for paragraph in paragraphs:
        full, trial = record(3, Frame(), paragraph), record(3, Frame(), paragraph, False)
        assert full is not None and len(full.lines) > 1
        assert trial == replace(full, lines=(), source="", wide=False)
    assert [record(1, Frame(), p).ends_colon for p in paragraphs[:3]] == [False, True, False]
    assert record(1, Frame(), paragraphs[2], False).kind == "heading"


def _reference_overlaps(boxes: list[TextBox]) -> list[tuple[int, str]]:
    """The overlap rule compared pair by pair, every pair of a page: each page's boxes from
    the foot up (drawing order among equals), each pair of texts once."""
    found = []
    for page in sorted({box.page for box in boxes}):
        order = sorted((box for box in boxes if box.page == page), key=lambda b: b.bottom)
        seen = set()
        for rank, box in enumerate(order):
            for other in order[rank + 1:]:
                if min(box.right, other.right) - max(box.left, other.left) > OVERLAP and \
                        min(box.top, other.top) - max(box.bottom, other.bottom) > OVERLAP:
                    pair = f"'{other.text}' overprints '{box.text}'"
                    if pair not in seen:
                        seen.add(pair)
                        found.append((page, pair))
    return found


_edge = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 10.0, 11.5, 12.0, 20.0])


@given(st.lists(st.tuples(st.integers(1, 3), _edge, _edge, st.sampled_from([1.5, 2.0, 9.0]),
                          st.sampled_from([1.5, 2.5, 8.0]), st.sampled_from("abcd")),
                max_size=14))
@settings(max_examples=300, deadline=None)
def test_overlaps_found_from_arrays_are_the_pairs_that_overlap(
        rows: list[tuple[int, float, float, float, float, str]]) -> None:
    """Boxes on a grid of edges (ties, touching by exactly OVERLAP) over several pages."""
    boxes = [TextBox(page, left, bottom, left + width, bottom + height, text)
             for page, left, bottom, width, height, text in rows]
    found = [(f.page, f.message.split(" — ")[0])
             for f in inspect_pages([], {}, {}, boxes, (1000.0, 1000.0)) if f.kind == "overlap"]
    assert found == _reference_overlaps(boxes)
    *sides, texts = zip(*boxes, strict=True) if boxes else ([],) * 6
    columns = Boxes(*(np.array(side) for side in sides), list(texts))  # as text_boxes gives
    assert list(columns) == boxes
    assert inspect_pages([], {}, {}, columns, (1000.0, 1000.0)) == \
        inspect_pages([], {}, {}, boxes, (1000.0, 1000.0))


def test_empty_and_unbalanced_columns_are_seen() -> None:
    used = {1: [700.0, 200.0, 700.0], 2: [700.0, 690.0, 100.0]}
    heights = {1: [734.0] * 3, 2: [734.0] * 3}
    findings = inspect_pages([], used, heights, [], A4)
    assert [(f.page, f.kind) for f in findings] == [(1, "empty"), (2, "balance")]
    used = {1: [700.0, 690.0, 700.0], 2: [400.0, 390.0, 380.0]}
    assert inspect_pages([], used, heights, [], A4) == []
