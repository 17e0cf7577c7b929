"""Paragraph styles made from a layout's `styles`, at a given type scale.

Slots that shrink their text ask for the same styles at a smaller scale, so every size and
leading scales together and the type stays in proportion.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from briefs.layout.model import Layout
from briefs.render.fonts import Family

# only long words are hyphenated: a ragged right edge reads better than many broken words,
# and a long compound ("Lieferkettensorgfaltspflichtengesetz") must break somewhere
HYPHENATE_FROM = 16
ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER, "justify": TA_JUSTIFY}


@dataclass(frozen=True)
class StyleSet:
    styles: dict[str, ParagraphStyle]
    upper: frozenset[str]  # styles set in capitals

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]


@lru_cache(maxsize=16)
def hyphenation_language(language: str) -> str:
    """The pyphen dictionary for a language tag ('en' -> 'en', 'de-CH' -> 'de_CH'), or ''
    when none fits. ReportLab hyphenates a paragraph whose style names a language pyphen
    knows."""
    import pyphen

    return pyphen.language_fallback(language.replace("-", "_")) or ""


@dataclass(frozen=True)
class Hyphenator:
    """Hyphenation in one of pyphen's languages, its dictionary read at the first word
    ReportLab asks it to break.

    ReportLab takes a callable as a style's `hyphenationLang`, as well as a language's name;
    given the name, it reads the dictionary as it sets the first paragraph, although only a
    long word at a line's end is ever broken and most briefs have none (reading the English
    dictionary was a tenth of a one-brief build). The breaks are pyphen's, as before.
    """

    language: str

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        import pyphen

        return pyphen.Pyphen(lang=self.language).iterate(word)


def make_styles(layout: Layout, families: dict[str, Family], scale: float = 1.0,
                hyphenate: bool = True) -> StyleSet:
    """The layout's styles at `scale`; long words hyphenated in the layout's language unless
    `hyphenate` is off."""
    out = {}
    upper = set()
    language = hyphenation_language(layout.labels.language) if hyphenate else ""
    hyphenator = Hyphenator(language) if language else ""
    for name, st in layout.styles.items():
        family = families[st.font.name]
        size = st.size * scale
        out[name] = ParagraphStyle(
            name,
            fontName=family.face(st.bold, st.italic),
            fontSize=size,
            leading=st.leading * scale,
            textColor=st.color,
            alignment=ALIGN[st.align],
            spaceBefore=st.space_before * scale,
            spaceAfter=st.space_after * scale,
            leftIndent=st.indent,
            bulletFontName=family.regular,
            bulletFontSize=size,
            allowWidows=0,
            allowOrphans=0,
            splitLongWords=1,
            hyphenationLang=hyphenator,
            hyphenationMinWordLength=HYPHENATE_FROM,
        )
        if st.upper:
            upper.add(name)
    return StyleSet(out, frozenset(upper))
