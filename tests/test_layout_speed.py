"""The shortcuts of laying a brief out give what ReportLab's own code gives.

Each mechanism of the speed work on layout (issue 15) is checked against the ReportLab code
it stands in for: the fragment of a paragraph without markup against the parser's, the lines
a split part takes from its twin against the lines it would break itself, and the cheap deep
copy of a column against `copy.deepcopy`.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

# plain text of every kind the parser meets: spaces and line ends it cleans, characters that
# are not markup, quotes, non-Latin letters, a soft hyphen, a long word, and nothing at all
PLAIN = ["Decent work", "  Decent\n  work  for\tall ", "3 > 2, 'quoted' \"twice\"",
         "Междунаро́дная организа́ция труда", "Lieferketten\u00adgesetz", "x" * 80,
         "café\u00a0au lait — 2019–2023", "", "   ", "a/b; c: d!"]
MARKED = ["<b>Assessed</b> contributions", "R&amp;D", "a &lt; b"]


def _styles() -> list[Any]:
    """Every style of the factsheet layout, its list styles with their bullets' colour too."""
    from reportlab.lib.enums import TA_JUSTIFY

    from briefs.layout.loader import load_layout
    from briefs.render.fonts import register_families
    from briefs.render.styles import make_styles

    layout = load_layout("factsheet", REPO)
    families = register_families(layout.fonts)
    styles = make_styles(layout, families)
    out = list(styles.styles.values())
    out.append(styles["list"].clone("bulleted", bulletColor=layout.lists.bullet_color))
    out.append(styles["body"].clone("upper", textTransform="uppercase", alignment=TA_JUSTIFY))
    return out


def _fragments(paragraph: Any) -> list[tuple[type, list[tuple[str, Any]]]]:
    return [(type(f), list(vars(f).items())) for f in paragraph.frags]


@pytest.mark.parametrize("bullet", [None, "•"])
def test_text_without_markup_gets_the_parsers_fragments(bullet: str | None) -> None:
    """A paragraph of plain text skips ReportLab's parser: its fragments are the parser's,
    attribute by attribute and in order, in every style of a layout, and text with markup
    still goes to the parser."""
    from reportlab.platypus import Paragraph

    from briefs.render import paragraphs
    from briefs.render.paragraphs import Para

    made = []
    real = paragraphs._plain_fragment
    for style in _styles():
        for text in PLAIN + MARKED:
            mine, theirs = Para(text, style, bullet), Paragraph(text, style, bullet)
            assert _fragments(mine) == _fragments(theirs), (style.name, text)
            assert (mine.text, mine.bulletText) == (theirs.text, theirs.bulletText)
    paragraphs._plain_fragment = lambda *args: made.append(args) or real(*args)
    try:
        Para("Decent work", _styles()[0])
        Para("<b>Decent</b> work", _styles()[0])
    finally:
        paragraphs._plain_fragment = real
    assert len(made) == 1, "plain text went to the parser, or markup did not"


def test_text_is_cleaned_as_reportlabs_cleaner_cleans_it() -> None:
    """White space of every kind, alone and in runs, at the ends of lines and inside them,
    with and without the no-break and zero-width spaces that ReportLab treats apart."""
    import random
    import sys

    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from briefs.render.paragraphs import _cleaned

    spaces = [chr(c) for c in range(sys.maxunicode) if chr(c).isspace()] + ["\u200b"]
    rng = random.Random(15)
    for _ in range(3000):
        pieces = rng.choices(["a", "Wörk", "–", "\n", " ", *spaces], k=rng.randint(0, 12))
        text = "".join(pieces)
        assert _cleaned(text) == cleanBlockQuotedText(text), repr(text)


HYPHENATED = ["Decent work for all, with rights at work and social dialogue. " * 6,
              "The Lieferkettensorgfaltspflichtengesetz applies to supply chains. " * 4,
              "<b>Lieferketten</b>sorgfaltspflichtengesetz applies to supply chains. " * 4,
              "<b>Lieferketten</b>gesetze apply to supply chains. " * 6,  # 12 + 7 letters
              "<i>Decent</i> work, <b>counterrevolutionaries</b> and internationalisation. " * 4]


def test_lines_broken_without_hyphenation_tries_are_reportlabs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph without a word long enough to hyphenate skips the tries, and breaks its
    lines as ReportLab does with them; a long word, one of several fragments too, is still
    hyphenated."""
    from reportlab.platypus import Paragraph, paragraph

    from briefs.render.paragraphs import Para

    style = next(s for s in _styles() if s.name == "body")
    tries: list[str] = []
    real_try = paragraph._hyGenPair  # each try, of a one-style word or of fragments
    monkeypatch.setattr(paragraph, "_hyGenPair", lambda *args: (
        tries.append(args[1]), real_try(*args))[1])
    hyphenated = 0
    for text in HYPHENATED:
        for width in (60.0, 90.0, 150.0):
            mine, theirs = Para(text, style), Paragraph(text, style)
            tries.clear()
            mine.wrap(width, 1e6)
            skipped = not tries
            theirs.wrap(width, 1e6)
            assert tries, "ReportLab tried no hyphenation: the test tests nothing"
            assert _any_lines(mine) == _any_lines(theirs), (text[:30], width)
            assert skipped == (text is HYPHENATED[0]), (text[:30], width)
            hyphenated += theirs._hyphenations
    assert style.hyphenationLang, "the style's hyphenator was not put back"
    assert hyphenated > 3


def _any_lines(paragraph: Any) -> list[tuple[float, str]]:
    """A paragraph's lines as text, whatever their kind."""
    block = paragraph.blPara
    if block.kind == 0:
        return _lines(paragraph)
    return [(round(line.extraSpace, 9), "".join(w.text for w in line.words))
            for line in block.lines]


def _lines(paragraph: Any) -> list[tuple[float, list[str]]]:
    return [(round(extra, 9), [str(w) for w in words]) for extra, words in paragraph.blPara.lines]


def _broken(paragraph: Any) -> dict[str, Any]:
    """What wrapping left on the paragraph, lines as text."""
    from briefs.render.paragraphs import _BROKEN

    state = {k: getattr(paragraph, k, None) for k in _BROKEN if k not in ("blPara", "frags")}
    return {**state, "lines": _lines(paragraph)}


def test_a_part_split_again_the_same_way_takes_its_twins_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph split twice at the same place (a trial page, then the real one) gives
    parts that break no lines, with what breaking them gives; split at another place, its
    parts break their own lines, as a fresh paragraph's do."""

    from briefs.render.paragraphs import Para

    style = next(s for s in _styles() if s.name == "body")
    text = " ".join(["Decent work for all, with social dialogue and rights at work"] * 12)
    width = 150.0
    broken: list[Any] = []
    real_break = Para.breakLines  # ReportLab's, or the short way of `briefs.render.linebreak`
    monkeypatch.setattr(Para, "breakLines", lambda para, widths: (
        broken.append(para), real_break(para, widths))[1])

    def split(para: Any, lines: int) -> list[Any]:
        para.wrap(width, 1000)
        parts = para.split(width, style.leading * lines + 0.5)
        for part in parts:
            part.wrap(width, 1000)
        return parts

    whole = Para(text, style)
    first = split(whole, 5)
    broken.clear()
    again = split(whole, 5)
    assert broken == [], "a part split the same way again broke its lines again"
    other = split(whole, 7)
    assert len(broken) == 2, "a part split another way did not break its own lines"
    for lines, parts in ((5, first), (5, again), (7, other)):
        fresh = split(Para(text, style), lines)
        assert [_broken(p) for p in parts] == [_broken(p) for p in fresh], lines
    assert _lines(again[0]) != _lines(other[0])


def test_a_column_is_deep_copied_as_copy_deepcopy_copies_a_frame() -> None:
    """ReportLab measures a group kept together in a deep copy of the frame: a column's
    own copy holds the same state, with nothing shared that the frame may change."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, Paragraph

    from briefs.render.balance import Column

    def filled(kind: type) -> Any:
        frame = kind(10, 20, 150, 300, leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0, id="c0")
        frame.add(Paragraph("Decent work", _styles()[0]), Canvas(io.BytesIO()))
        frame._frameBGs = [("background", [1, 2])]  # the doc template lends its list
        return frame

    column, frame = filled(Column), filled(Frame)
    mine, theirs = copy.deepcopy(column), copy.deepcopy(frame)
    assert type(mine) is Column
    assert list(vars(mine).items()) == list(vars(theirs).items())
    assert vars(mine) == vars(column)
    assert mine._frameBGs is not column._frameBGs, "the copy shares the frame's list"


def test_a_brief_built_twice_in_one_process_gives_the_same_bytes(tmp_path: Path) -> None:
    """The shortcuts keep nothing between briefs: a brief laid out after others is the
    brief laid out first."""
    from briefs.contract.project import load_brief, load_project
    from briefs.layout.loader import load_layout
    from briefs.render.document import render_pdf

    loaded = load_project(REPO)
    brief, layout_name, _ = load_brief(loaded, "KOR", 2017)
    layout = load_layout(layout_name, REPO)
    first = render_pdf(brief, layout)
    for language in ("fr", None, "es"):
        other, other_layout, _ = load_brief(loaded, "KOR", 2023, language=language)
        render_pdf(other, load_layout(other_layout, REPO))
    assert render_pdf(brief, layout) == first


def test_numbers_written_from_memory_are_babels() -> None:
    """A number is written as Babel writes it in its language, however many numbers were
    written before, in which languages and with how many decimals."""
    import random
    from decimal import Decimal

    from babel.numbers import format_decimal, get_decimal_symbol

    from briefs.text import number

    cases = [(value, decimals, mark, locale)
             for value in (0.0, 2.5, 1234.5678, -0.05, 59.3, 1e6 + 0.5)
             for decimals in (0, 1, 2, 3) for mark in ("", ",")
             for locale in ("en", "fr", "es", "de_CH")]
    rng = random.Random(15)
    for value, decimals, mark, locale in rng.sample(cases * 2, len(cases) * 2):
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        expected = format_decimal(Decimal(f"{value:.{decimals}f}"), pattern, locale=locale,
                                  decimal_quantization=False)
        if mark and decimals:
            head, _, tail = expected.rpartition(get_decimal_symbol(locale))
            expected = f"{head}{mark}{tail}"
        assert number(value, decimals, mark, locale) == expected, (value, decimals, locale)


def test_trial_pages_on_one_lent_canvas_answer_as_on_canvases_of_their_own(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages tried while balancing a brief share one canvas, never drawn on: each
    answers (what fits, where it lands) as it does on a canvas of its own, and the brief is
    the same."""
    from reportlab.platypus.doctemplate import BaseDocTemplate

    from briefs.contract.project import load_brief, load_project
    from briefs.layout.loader import load_layout
    from briefs.render import balance, document

    loaded = load_project(REPO)
    brief, layout_name, _ = load_brief(loaded, "KOR", 2017)
    layout = load_layout(layout_name, REPO)
    answers: list[Any] = []
    real_trial = balance._trial
    monkeypatch.setattr(balance, "_trial", lambda *args: (
        answers.append(real_trial(*args)), answers[-1])[1])
    made: list[str] = []
    real_make = BaseDocTemplate._makeCanvas
    monkeypatch.setattr(BaseDocTemplate, "_makeCanvas", lambda doc, *args, **kwargs: (
        made.append(type(doc).__name__), real_make(doc, *args, **kwargs))[1])

    lent = document.render_pdf(brief, layout)
    lent_answers, lent_made = list(answers), made.count("_TrialPage")
    answers.clear(), made.clear()

    class OwnCanvas:
        """A lender that never keeps the canvas: each page tried makes its own."""

        canvas = property(lambda self: None, lambda self, canvas: None)

    monkeypatch.setattr(balance, "Lent", OwnCanvas)
    own = document.render_pdf(brief, layout)
    assert len(lent_answers) >= 3 and lent_made == 1, (len(lent_answers), lent_made)
    assert made.count("_TrialPage") == len(answers)
    assert answers == lent_answers
    assert own == lent
