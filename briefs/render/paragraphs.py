"""The paragraph every brief's text is set in: ReportLab's, doing less of its work twice.

A brief's paragraphs are parsed once, but laid out many times: measured for a group kept
together, placed, and placed again on each page tried while balancing the last one. Five
shortcuts, each giving what ReportLab's own code gives (`tests/test_layout_speed.py`):

- a paragraph keeps the lines it broke at a width, and a wrap at that width again takes them;
- a part split off a paragraph takes the lines of the first part split off it the same way
  (its "twin": the same words of the same lines, in the same style);
- text without markup (no `<`, no `&`; most of a brief's paragraphs) gets the one fragment
  ReportLab's parser would make for it, without running the parser;
- text is cleaned of its runs of white space in one step where ReportLab's cleaner, line by
  line and word by word, gives the same;
- lines are broken without trying to hyphenate the word at each line's end when no word of
  the paragraph is long enough to be hyphenated.

Its lines are broken, its parts given their words, and its lines drawn, by shorter ways of
briefs' own where one style is all there is (`briefs.render.linebreak`,
`briefs.render.drawlines`; `tests/test_linebreak.py`).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.paragraph import (
    _split_blParaSimple,
    cleanBlockQuotedText,
    hyphenationMinWordLength,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaFrag

from briefs.render.drawlines import draw_plain
from briefs.render.linebreak import plain_lines, split_words

SAME_WIDTH = 1e-6  # points: far below what moves a glyph in the PDF (2 decimals)

# what Paragraph.wrap and breakLines set on the paragraph: a wrap answered from memory sets
# the same, so the paragraph is as a wrap that broke its lines would leave it
_BROKEN = ("blPara", "frags", "width", "height", "_wrapWidths", "_width_max", "_hyphenations",
           "_splitLongWordCount")


class Para(Paragraph):
    """A paragraph that breaks its lines once per width, and a part split off it once per
    width and split.

    A paragraph is asked to wrap at the same width again and again: to measure a group it
    keeps together, then to place it, then on each page tried while balancing the last
    one. Its lines depend on the width alone, so the lines found first are kept (about half
    of a brief's line breaking). One column's width reaches a paragraph computed two ways
    (a frame's width less its padding, a trial frame's own), which differ in the last bit:
    widths within `SAME_WIDTH` are one width, or a sixth of the breaking is done twice.

    A part split off is a new paragraph, and the same split is made again on the pages
    tried while balancing and on the page laid out for real: a part with the same words
    (strings and kinds) of the same lines of the same paragraph, in the same style, takes
    the lines its first twin broke at that width (`_twin`) rather than break them again.
    """

    _wrapped: tuple[float, dict[str, Any]] | None = None  # width asked, what wrap set
    _twin: Para | None = None  # an earlier part split the same way, with the same words

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if cleaner is cleanBlockQuotedText:
            cleaner = _cleaned
        if frags is None and type(text) is str and "<" not in text and "&" not in text:
            cleaned = cleaner(text)
            if cleaned:  # the parser makes no fragment of nothing
                frags = [_plain_fragment(cleaned, style)]
                textTransformFrags(frags, style)
                text = cleaned
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        done = self._wrapped
        if done is None and self._twin is not None:
            done = self._twin._wrapped
        if done is not None and abs(done[0] - availWidth) < SAME_WIDTH:
            # a split that sends the paragraph on whole drops its lines: they are the same
            self.__dict__.update(done[1])
            self._wrapped = done
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        if availWidth > 0.001:  # narrower, ReportLab answers without breaking lines
            mine = self.__dict__
            self._wrapped = (availWidth, {k: mine[k] for k in _BROKEN if k in mine})
        return size

    def breakLines(self, width: Any) -> Any:
        """The lines of a one-style paragraph that needs no hyphenation or cut word, broken
        the short way (`plain_lines`); otherwise ReportLab's line breaking, without a
        hyphenator when no word can be hyphenated.

        ReportLab tries to hyphenate the word that ends each line (~500 tries a brief) and
        gives up on a word shorter than the style's `hyphenationMinWordLength`: a paragraph
        without such a word breaks its lines the same with hyphenation off, for less. The
        style is the paragraph's for the length of the call, its hyphenator put back after.
        """
        found = plain_lines(self, width)
        if found is not None:
            return found
        style = self.style
        if not style.hyphenationLang or style.uriWasteReduce or style.embeddedHyphenation \
                or _long_word(self.frags, getattr(style, "hyphenationMinWordLength",
                                                  hyphenationMinWordLength)):
            return super().breakLines(width)
        hyphenator, style.hyphenationLang = style.hyphenationLang, ""
        try:
            return super().breakLines(width)
        finally:
            style.hyphenationLang = hyphenator

    def drawPara(self, debug: int = 0) -> None:
        """ReportLab's drawing of the paragraph's lines; in fewer steps for a paragraph of
        one style aligned left (`briefs.render.drawlines`)."""
        if debug or not draw_plain(self):
            super().drawPara(debug)

    def _get_split_blParaFunc(self) -> Any:
        """How ReportLab's `split` gives each part its words: a one-style paragraph's
        parts take them in one step where they are plain (`split_words`)."""
        found = super()._get_split_blParaFunc()
        return split_words if found is _split_blParaSimple else found

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.blPara.kind == 0:
            _find_twins(self, parts)
        return parts


def _cleaned(text: Any) -> Any:
    """The text as ReportLab's cleaner leaves it: its lines stripped, the words of each and
    the lines joined by single spaces. ReportLab splits at white space other than the
    no-break space and strips the zero-width space too; without those two, that is
    splitting at any white space, in one step."""
    if type(text) is str and "\xa0" not in text and "\u200b" not in text:
        return " ".join(text.split())
    return cleanBlockQuotedText(text)


def _long_word(frags: list[Any], least: int) -> bool:
    """Whether the fragments may hold a word of `least` characters or more: their text run
    together and cut at spaces only, so a piece is never shorter than a word ReportLab
    breaks (a word may span fragments: a bold prefix). Fragments of another kind (words
    already measured) may."""
    pieces = []
    for frag in frags:
        words = getattr(frag, "words", None)
        text = getattr(frag, "text", None)
        if words is not None and len(frags) == 1:
            pieces.append(" ".join(words))
        elif type(text) is str:
            pieces.append(text)
        else:
            return True
    return max(map(len, "".join(pieces).split(" ")), default=0) >= least


def _plain_fragment(text: str, style: Any) -> ParaFrag:
    """The fragment ReportLab's parser makes of `<para>text</para>` when the text has no
    tag and no entity: the style's font (its family's regular face, then the face for its
    boldness and slant), size and colour, in the order the parser sets them."""
    frag = ParaFrag()
    frag.rise = 0
    frag.greek = 0
    frag.link = []
    frag.fontName, frag.bold, frag.italic = ps2tt(style.fontName)
    frag.fontSize = style.fontSize
    frag.textColor = style.textColor
    frag.us_lines = []
    frag.__tag__ = "para"
    frag.fontName = tt2ps(frag.fontName, frag.bold, frag.italic)
    frag.text = text
    return frag


def _words(part: Any) -> tuple[tuple[Any, ...], tuple[type, ...]] | None:
    """What a part split off a one-style paragraph breaks: its words and their kinds
    (ReportLab marks a hyphenated piece by its class); None for anything else."""
    frags = part.frags
    if type(part) is not Para or len(frags) != 1 or not hasattr(frags[0], "words"):
        return None
    words = tuple(frags[0].words)
    return words, tuple(map(type, words))


def _find_twins(whole: Para, parts: list[Flowable]) -> None:
    """Give each part of `whole` split at a line the first part split off it the same way:
    from the same lines (`blPara`), with the same words, style and bullet."""
    done: dict[Any, tuple[Any, Para]] = whole.__dict__.setdefault("_parts", {})
    lines = len(parts[0].blPara.lines)  # ReportLab's first part holds the lines that fit
    for index, part in enumerate(parts):
        words = _words(part)
        if words is None:
            continue
        key = (lines, index, words, id(part.style), part.bulletText,
               part.__dict__.get("autoLeading"))
        seen = done.get(key)
        if seen is not None and seen[0] is whole.blPara and seen[1].style is part.style \
                and seen[1]._wrapped is not None:
            part._twin = seen[1]  # type: ignore[attr-defined]
        else:  # the first, or the first was never wrapped (a part only looked at)
            done[key] = (whole.blPara, part)
