"""The typed layout: what `load_layout` gives the renderer.

Every value is already in its final form — lengths in points, colours as ReportLab `Color`
objects (None for `none`), a style's font as its `FontFamily`, a placement's styles as `Style`
values, a section's slot as its `Slot` — so drawing code reads attributes and never looks a
name up or parses a string. The field names are the schema's keys (`-` becomes `_`), and the
loader fills them from the schema generically.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # colours are made by resolve; the model only names their type
    from reportlab.lib.colors import Color


@dataclass(frozen=True)
class Page:
    size: tuple[float, float]  # points
    first: str  # the name of the first page's template (checked)


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: str  # absolute paths of the TrueType files
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class Style:
    name: str
    font: FontFamily
    bold: bool
    italic: bool
    size: float
    leading: float
    color: Color | None
    align: str
    space_before: float
    space_after: float
    upper: bool
    indent: float


@dataclass(frozen=True)
class Frame:
    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Slot:
    name: str
    left: float
    top: float
    width: float
    height: float
    content: str
    fill: Color | None
    padding: float
    valign: str
    fit: str
    min_scale: float


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    color: Color
    width: float


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    width: float
    height: float
    fill: Color


@dataclass(frozen=True)
class Text:
    text: str
    x: float
    y: float
    style: Style
    align: str


@dataclass(frozen=True)
class Template:
    name: str
    frames: tuple[Frame, ...]
    slots: dict[str, Slot]
    rects: tuple[Rect, ...]
    rules: tuple[Rule, ...]
    texts: tuple[Text, ...]
    next: str  # a template name (checked); empty: this one


@dataclass(frozen=True)
class Placement:
    slot: Slot | None  # None: the text flow
    start: str
    heading: Style
    body: Style
    shade: Color | None
    padding: float


@dataclass(frozen=True)
class Sections:
    intro: Placement
    story: Placement
    box: Placement
    partner_countries: Placement
    key_partners: Placement
    contributions: Placement

    def of(self, cls: str) -> Placement:
        """The placement of a section class as profiles write it (`key-partners`)."""
        return getattr(self, cls.replace("-", "_"))


@dataclass(frozen=True)
class Lists:
    partner_countries_columns: int
    key_partners_columns: int
    bullet: str
    bullet_color: Color


@dataclass(frozen=True)
class Quote:
    bar: Color
    bar_width: float
    gap: float
    space: float


@dataclass(frozen=True)
class Contributions:
    parts: tuple[str, ...]
    headline_fill: Color | None
    headline_rule: Color | None


@dataclass(frozen=True)
class Chart:
    kind: str
    width: float
    height: float
    font_size: float
    title_size: float
    text: Color
    grid: Color
    colors: dict[str, Color]  # by channel code
    series: tuple[Color, ...]
    space_before: float
    space_after: float


@dataclass(frozen=True)
class Pdf:
    """What the file conforms to besides PDF/UA-1, which every brief is."""

    archival: bool  # PDF/A-1b


@dataclass(frozen=True)
class Labels:
    organisation: str
    subtitle: str
    language: str
    eyebrow: str
    footer: str
    amount: str
    decimal_mark: str
    decimals: int
    period: str
    qualifiers: dict[str, str]
    funding_line: str
    funding_line_short: str
    funding_total: str
    headline_total: str
    headline_amount: str
    donut_center: str
    chart_title_totals: str
    chart_title_years: str
    attribution: str
    headline_spoken: str
    chart_description_years: str
    chart_description_totals: str
    chart_description_donut: str
    chart_description_channel: str
    chart_description_year: str
    chart_description_summary: str
    chart_description_total: str
    no_contributions: str
    subject: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """What a layout says in one more language: its labels, complete (the loader fills each
    one left out from the layout's `labels`)."""

    labels: Labels


@dataclass(frozen=True)
class Layout:
    """One layout, merged with what it extends, checked and resolved."""

    name: str
    files: tuple[Path, ...]  # this layout's file first, then those it extends
    extends: str
    description: str
    page: Page
    pdf: Pdf
    palette: dict[str, Color]
    fonts: dict[str, FontFamily]
    styles: dict[str, Style]
    templates: dict[str, Template]
    sections: Sections
    lists: Lists
    quote: Quote
    contributions: Contributions
    chart: Chart
    labels: Labels
    languages: dict[str, Language] = field(default_factory=dict)

    def labels_for(self, language: str) -> Labels:
        """The labels a brief in `language` prints: that language's, else `labels` (whose
        numbers still follow `language`: see `has_language` for the check's warning)."""
        if language in self.languages:
            return self.languages[language].labels
        if language == self.labels.language:
            return self.labels
        return replace(self.labels, language=language)

    def has_language(self, language: str) -> bool:
        """Whether the layout has its own words for `language`."""
        return language == self.labels.language or language in self.languages

    def in_language(self, language: str) -> Layout:
        """This layout as a brief in `language` is drawn with: `labels` in that language.

        Everything that prints a label reads `layout.labels`, so the renderer, the mail and
        the listings need no language of their own.
        """
        if language == self.labels.language:
            return self
        other = replace(self, labels=self.labels_for(language))
        if "digest" in self.__dict__:  # the same files: not hashed again
            other.__dict__["digest"] = self.__dict__["digest"]
        return other

    @property
    def page_size(self) -> tuple[float, float]:
        return self.page.size

    @property
    def first_template(self) -> Template:
        return self.templates[self.page.first]

    @cached_property
    def digest(self) -> str:
        """A hash of the layout files and the font files they use, for the manifest.

        Computed once per loaded layout: hashing the fonts for each of hundreds of briefs
        would dominate a run where nothing changed.
        """
        h = hashlib.sha256()
        for path in self.files:
            h.update(path.read_bytes())
        for family in self.fonts.values():
            faces = {family.regular, family.bold, family.italic, family.bold_italic}
            for face in sorted(faces):
                h.update(Path(face).read_bytes())
        return h.hexdigest()


def hex_color(value: Color | None) -> str | None:
    """'#rrggbb' of a colour, for what takes colours as text (markup, matplotlib)."""
    return None if value is None else "#" + value.hexval()[2:]
