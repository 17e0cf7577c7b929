"""The short ways of breaking and drawing a one-style paragraph give ReportLab's, bit for bit.

`briefs.render.linebreak.plain_lines` stands in for ReportLab's `Paragraph.breakLines` for
most of a brief's paragraphs; a PDF's bytes depend on every word of every line and on each
line's unused width (a line set tighter spaces its words), so the two are compared exactly,
float for float, over generated paragraphs, widths, sizes and bullets, and over the parts a
split leaves. `briefs.render.drawlines.draw_plain` stands in for `drawPara`: the operators
drawn are compared as text.
"""

from __future__ import annotations

import random
from functools import partial
from typing import Any

import pytest
from conftest import REPO

# words of every kind a line breaker meets: short and long (hyphenation starts at 16
# letters), longer than a narrow line, figures, punctuation, non-Latin letters, no-break
# spaces, soft hyphens, white space other than a space
WORDS = ["a", "of", "the", "work", "Decent", "dialogue,", "US$\u00a012.5", "2019–2023",
         "(ILO)", "Междунаро́дная", "internationalisation", "counterrevolutionaries",
         "Lieferkettensorgfaltspflichtengesetz", "x" * 60, "social\u00a0protection",
         "Liefer\u00adketten\u00adgesetz", "—", "’s", "café", "a\u2009b", "i.e.", "Ωμέγα"]


def _styles() -> list[Any]:
    """The factsheet layout's styles at two scales, with and without hyphenation, justified
    and shrinking their spaces more or not at all."""
    from reportlab.lib.enums import TA_JUSTIFY

    from briefs.layout.loader import load_layout
    from briefs.render.fonts import register_families
    from briefs.render.styles import make_styles

    layout = load_layout("factsheet", REPO)
    families = register_families(layout.fonts)
    out = []
    for scale, hyphenate in ((1.0, True), (0.83, False)):
        out.extend(make_styles(layout, families, scale, hyphenate).styles.values())
    body = out[0]
    out.append(body.clone("justified", alignment=TA_JUSTIFY, spaceShrinkage=0.2))
    out.append(body.clone("unshrunk", spaceShrinkage=0, splitLongWords=0))
    return out


def _text(rng: random.Random) -> str:
    """Up to 40 words: common ones only, or (two times in five) any of them."""
    choice = WORDS if rng.random() < 0.4 else WORDS[:10]
    return " ".join(rng.choices(choice, k=rng.randint(1, 40)))


def _state(para: Any, lines: Any) -> tuple[Any, ...]:
    """Everything breaking leaves: the lines (unused width, words and their classes), the
    line set's own attributes, and what the paragraph was given, floats as they are."""
    rows = [(extra, list(words), [type(w) for w in words]) for extra, words in lines.lines]
    rest = sorted((k, v) for k, v in vars(lines).items() if k != "lines")
    own = [getattr(para, k, None) for k in ("_width_max", "height", "_hyphenations",
                                            "_splitLongWordCount", "_wrapWidths")]
    return lines.kind, type(lines), rows, rest, own


def _both(make: Any, widths: list[float]) -> tuple[Any, Any, bool]:
    """The same paragraph broken by `Para` (the short way where it answers) and by
    ReportLab's own `breakLines`, each on a paragraph of its own."""
    from reportlab.platypus import Paragraph

    from briefs.render.linebreak import plain_lines

    mine, theirs = make(), make()
    mine._wrapWidths, theirs._wrapWidths = list(widths), list(widths)
    short = plain_lines(mine, mine._wrapWidths) is not None
    mine._wrapWidths = list(widths)
    got = mine.breakLines(mine._wrapWidths)
    expected = Paragraph.breakLines(theirs, theirs._wrapWidths)
    return _state(mine, got), _state(theirs, expected), short


def test_one_style_paragraphs_break_as_reportlab_breaks_them() -> None:
    """Hundreds of paragraphs, each at a width from a few words to a column, with a
    narrower first line, a narrower third line (as ReportLab allows) and a bullet: the same
    lines, floats and all, as ReportLab's; the short way answers most of them (the test
    compares something)."""
    from briefs.render.paragraphs import Para

    rng = random.Random(15)
    styles = _styles()
    answered = compared = 0
    for _ in range(1500):
        style, text = rng.choice(styles), _text(rng)
        bullet = rng.choice([None, None, "•", "10."])
        later = rng.uniform(20, 260)
        widths = [later - rng.choice([0, 0, 12.5]), later, *rng.choice([[], [], [later / 2]])]
        mine, theirs, short = _both(partial(Para, text, style, bullet), widths)
        assert mine == theirs, (style.name, text, widths, bullet)
        answered += short
        compared += 1
    assert answered > compared * 0.4, (answered, compared)
    assert answered < compared, "no paragraph was left to ReportLab"


def test_parts_split_off_break_as_reportlab_breaks_them() -> None:
    """The parts of a paragraph split at a page's end carry words, not text (pieces of a
    hyphenated or cut word among them): they break as ReportLab breaks them too."""
    from briefs.render.paragraphs import Para

    rng = random.Random(5)
    styles = _styles()
    answered = compared = 0
    for _ in range(300):
        style, text = rng.choice(styles), _text(rng) + " work " + _text(rng)
        width = rng.uniform(40, 200)
        whole = Para(text, style)
        whole.wrap(width, 1e6)
        parts = whole.split(width, style.leading * rng.randint(2, 4) + 0.5)
        for part in parts[1:]:
            mine, theirs, short = _both(partial(_part, style, part.frags[0]), [width, width])
            assert mine == theirs, (style.name, text, width)
            answered += short
            compared += 1
    assert compared > 100 and answered > compared * 0.25, (answered, compared)


def test_parts_take_the_words_reportlab_gives_them() -> None:
    """A part split off a one-style paragraph gets the fragment ReportLab's
    `_split_blParaSimple` makes: the same attributes and words (their classes too), whether
    its words are plain (taken at once) or pieces of a hyphenated or cut word (ReportLab's)."""
    from reportlab.platypus.paragraph import _split_blParaSimple

    from briefs.render.linebreak import split_words
    from briefs.render.paragraphs import Para

    rng = random.Random(35)
    styles = _styles()
    plain = pieces = 0
    for _ in range(300):
        style, text = rng.choice(styles), _text(rng)
        whole = Para(text, style)
        whole.wrap(rng.uniform(30, 200), 1e6)
        count = len(whole.blPara.lines)
        start = rng.randrange(count)
        stop = rng.randint(start + 1, count)
        mine, theirs = (f(whole.blPara, start, stop) for f in (split_words, _split_blParaSimple))
        assert [(vars(f), list(map(type, f.words))) for f in mine] == \
            [(vars(f), list(map(type, f.words))) for f in theirs], (text, start, stop)
        kinds = {type(w) for line in whole.blPara.lines[start:stop] for w in line[1]}
        plain += kinds == {str}
        pieces += kinds != {str}
    assert plain > 100 and pieces > 10, (plain, pieces)


def _part(style: Any, frag: Any) -> Any:
    """A paragraph of the words of a part split off (a fragment of its own)."""
    from briefs.render.paragraphs import Para

    return Para(None, style, frags=[frag.clone(words=list(frag.words))])


def test_words_are_measured_through_the_fonts_memo() -> None:
    """The short way reads words' widths from the memo `CompactFont.stringWidth` keeps:
    a font without it (renamed, say) would still give the right lines, slowly; and a word's
    width is kept for its size, not another's."""
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

    from briefs.render.linebreak import _word_widths

    style = _styles()[0]
    font = getFont(style.fontName)
    assert isinstance(getattr(font, "_widths", None), dict)
    words = ["Decent", "work", "Decent", "x" * 45]
    for size in (9.0, 12.0, 9.0):
        assert _word_widths(style.fontName, size, words, "utf8") == [
            stringWidth(w, style.fontName, size) for w in words]
    assert font._widths[("work", 12.0)] == stringWidth("work", style.fontName, 12.0)


def test_one_style_paragraphs_are_drawn_as_reportlab_draws_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph drawn the short way (`briefs.render.drawlines`) writes the operators
    ReportLab's `drawPara` writes, byte for byte: with a bullet, an indented first line,
    lines set tighter than their width (their words spaced), split parts, and styles it
    leaves to ReportLab (justified, with a background)."""
    from reportlab.pdfgen.canvas import Canvas

    from briefs.render import paragraphs
    from briefs.render.paragraphs import Para

    rng = random.Random(25)
    styles = _styles()
    styles += [styles[0].clone("indented", firstLineIndent=9, leftIndent=4),
               styles[0].clone("shaded", backColor="#eeeeee")]
    real = paragraphs.draw_plain
    answered = []

    def drawn(text: str, style: Any, bullet: str | None, width: float, short: bool) -> str:
        monkeypatch.setattr(paragraphs, "draw_plain", lambda para: short and (
            answered.append(real(para)) or answered[-1]))
        canvas = Canvas("unused.pdf")
        para = Para(text, style, bullet)
        para.wrap(width, 1e6)
        para.drawOn(canvas, 20, 400)
        for part in para.split(width, style.leading * 2 + 0.5)[1:]:
            part.wrap(width, 1e6)
            part.drawOn(canvas, 20, 200)
        return "\n".join(canvas._code)

    for _ in range(300):
        style, text = rng.choice(styles), _text(rng)
        bullet, width = rng.choice([None, None, "•"]), rng.uniform(40, 260)
        mine = drawn(text, style, bullet, width, True)
        assert mine == drawn(text, style, bullet, width, False), (style.name, text, width)
    assert answered.count(True) > 200 and False in answered, answered.count(True)
