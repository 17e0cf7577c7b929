"""Breaking a one-style paragraph into lines: ReportLab's rule, in fewer Python steps.

ReportLab's `Paragraph.breakLines` is the largest single function of a brief (~65 calls a
brief, most for a paragraph of one fragment: one font, one size, one colour). For each word
it pops the list's head, asks three functions for the word's width, tests the word for a
soft hyphen and for being a piece of a split word, and only then adds it to the line.
`plain_lines` does the same breaking for such a paragraph with the word widths read at
once from the font's memo (`CompactFont.stringWidth`), and the same sums in the same order,
so that every line's words and unused width are ReportLab's to the last bit
(`tests/test_linebreak.py` compares the two over generated paragraphs).

It answers only when ReportLab's answer involves nothing but fitting words: a word that
would be hyphenated or cut (a word too long for its line, a long word at a line's end while
the style hyphenates), a soft hyphen, a word already split, bidirectional or shaped text,
end dots, an image or a background in the fragment: for any of these it answers None, and
the caller asks ReportLab.

A part split off such a paragraph (at a page's or a column's end) takes the words of its
lines in one step where they are plain strings (`split_words`).
"""

from __future__ import annotations

import sys
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus.paragraph import (
    _handleBulletWidth,
    _processed_frags,
    _split_blParaSimple,
    _wsc,
    _wsc_re_split,
    hyphenationMinWordLength,
)

_SOFT_HYPHEN = "\xad"


def plain_lines(para: Any, width: Any) -> Any:
    """The `ParaLines` (kind 0) ReportLab's `breakLines` gives `para` at `width` (a list of
    the first line's and the later lines' widths, as `wrap` passes it), with the same
    effects on the paragraph; None when ReportLab's own breaking is needed."""
    style = para.style
    frags = para.frags
    if type(width) is not list or len(frags) != 1 or not _plain_style(style):
        return None
    frag = frags[0]
    if _processed_frags(frags) or hasattr(frag, "cbDefn") or hasattr(frag, "backColor"):
        return None
    words = _words(frag)
    if words is None:
        return None
    font_name, size = frag.fontName, frag.fontSize
    widths = list(width)  # the bullet's room is taken off a copy: None leaves `width` as it was
    _handleBulletWidth(para.bulletText, style, widths)
    found = _fill(words, _word_widths(font_name, size, words, para.encoding), widths,
                  stringWidth(" ", font_name, size, para.encoding), style)
    if found is None:
        return None
    lines, widest = found
    width[0] = widths[0]
    para._width_max = widest
    para.height = 0
    para._splitLongWordCount = para._hyphenations = 0
    ascent, descent = getAscentDescent(font_name, size)
    return frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=size)


def _plain_style(style: Any) -> bool:
    """Whether the style leaves ReportLab's one-fragment breaking to fitting words (and
    hyphenating long words, which `_fill` leaves to ReportLab): no bidirectional text, no
    shaping, no end dots, no hyphenation of web addresses or of hyphenated words."""
    hyphenator = style.hyphenationLang
    return not (style.wordWrap or style.shaping or style.endDots or style.uriWasteReduce
                or style.embeddedHyphenation) \
        and (not hyphenator or isinstance(hyphenator, str) or callable(hyphenator))


def _words(frag: Any) -> list[str] | None:
    """The fragment's words as ReportLab splits them (its text at white space other than
    the no-break space, or the words of a part split off), when they are plain strings
    without a soft hyphen and there is one at least; None otherwise."""
    if hasattr(frag, "text"):
        text = frag.text.strip(_wsc) if type(frag.text) is str else ""
        words = _wsc_re_split(text) if "\xa0" in text else text.split()
    else:
        words = frag.words
        if type(words) is not list or not words or type(words[0]) is not str \
                or not words[0].strip(_wsc) or set(map(type, words)) != {str}:
            return None  # ReportLab's check for a part of blank words looks at the first
        text = " ".join(words)  # the list is read, never changed: ReportLab's copy is not made
    if not words or _SOFT_HYPHEN in text:
        return None
    return words


def _word_widths(font_name: str, size: float, words: list[str], encoding: str) -> list[float]:
    """Each word's width, as `stringWidth` gives it: read from the font's memo of words'
    widths in one step, and measured (and so kept) for a word it does not hold."""
    font = getFont(font_name)
    memo = getattr(font, "_widths", None)  # CompactFont's: (text, size) -> width
    if not isinstance(memo, dict):
        return [font.stringWidth(word, size, encoding) for word in words]
    widths = list(map(memo.get, zip(words, repeat(size))))
    if None in widths:
        for at, known in enumerate(widths):
            if known is None:
                widths[at] = font.stringWidth(words[at], size, encoding)
    return widths


def _fill(words: list[str], sizes: list[float], max_widths: list[float], space: float,
          style: Any) -> tuple[list[tuple[float, list[str]]], float] | None:
    """The lines (unused width, words) and the widest line's width, as ReportLab's loop
    for one fragment fills them: a word joins the line while the line's width with a space
    and the word stays within the line's width plus the style's shrinkage of the spaces
    before it (the same sums, in the same order). None where ReportLab would hyphenate the
    word or cut it.

    Leaner than ReportLab's loop word by word: the shrinkage is added only for a word past
    the line's width (adding a shrinkage of 0 or more never makes a limit smaller), a line
    is cut out of the words when it ends rather than grown a word at a time, and the line's
    width is the last one given for every line past the list.
    """
    shrink = style.spaceShrinkage * space
    least = getattr(style, "hyphenationMinWordLength", hyphenationMinWordLength) \
        if style.hyphenationLang else sys.maxsize
    cut = style.splitLongWords
    if not shrink >= 0 or "" in words:  # ReportLab's loop skips an empty word
        return None
    last = len(max_widths) - 1
    later = max_widths[last]
    lines: list[tuple[float, list[str]]] = []
    lineno = start = 0  # the line's number, its first word's
    max_width = max_widths[0]
    current = -space  # the first word has no space before it
    widest: float = 0
    for at, size in enumerate(sizes):
        new = current + space + size
        if new > max_width and new > max_width + shrink * (at - start):
            if len(words[at]) >= least or (cut and size > max_width):
                return None
            if at != start:
                if current > widest:
                    widest = current
                lines.append((max_width - current, words[start:at]))
                start = at
                current = size
                lineno += 1
                max_width = max_widths[lineno] if lineno < last else later
                continue
        current = new
    if current > widest:
        widest = current
    lines.append((max_width - current, words[start:]))
    return lines, widest


def split_words(lines: Any, start: int, stop: int) -> list[Any]:
    """The fragment of the words of lines `start` to `stop`, as ReportLab's
    `_split_blParaSimple` makes it for a part split off a one-style paragraph: taken in one
    step when every word is a plain string (ReportLab's generator looks at each word to
    join the pieces of a split word), left to ReportLab otherwise."""
    words = list(chain.from_iterable(map(itemgetter(1), lines.lines[start:stop])))
    if type(lines.lines) is not list or set(map(type, words)) != {str}:
        return _split_blParaSimple(lines, start, stop)
    frag = lines.clone()
    for name in ("lines", "kind", "text"):
        if hasattr(frag, name):
            delattr(frag, name)
    frag.words = words
    return [frag]
