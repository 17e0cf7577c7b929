"""What every flowable builder needs: the brief, the typed layout and its styles at one scale.

A `Context` is made once per type scale (slots that shrink their text make their own), so a
builder reads `ctx.layout.quote.bar` or `ctx.styles["body"]` and never resolves a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

from briefs.contract.model import Brief
from briefs.layout.figures import figures_of
from briefs.layout.model import Layout
from briefs.render.fonts import Family
from briefs.render.markup import escape
from briefs.render.paragraphs import Para
from briefs.render.styles import StyleSet
from briefs.render.tagging import StructElem, Tagged, new_document


@dataclass(frozen=True)
class Context:
    """What every flowable builder needs, at one type scale."""

    brief: Brief
    layout: Layout
    families: dict[str, Family]
    styles: StyleSet
    tags: StructElem = field(default_factory=new_document)  # new elements go in here
    # `values`, with the brief and layout they were written for: a context made `within`
    # another keeps its parent's, one made for another brief or layout writes its own
    _values: tuple[Brief, Layout, Mapping[str, str]] | None = field(
        default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        made = self._values
        if made is None or made[0] is not self.brief or made[1] is not self.layout:
            values = MappingProxyType(_placeholder_values(self.brief, self.layout))
            object.__setattr__(self, "_values", (self.brief, self.layout, values))

    def para(self, markup: str, style: str) -> Paragraph:
        if style in self.styles.upper:
            markup = markup.upper()
        return Para(markup, self.styles[style])

    def text(self, text: str, style: str) -> Paragraph:
        return self.para(escape(text), style)

    def within(self, element: StructElem) -> Context:
        """The same context, its new structure elements made inside `element`."""
        return replace(self, tags=element)

    def tag(self, flowable: Flowable, role: str, **attrs: str | None) -> Tagged:
        """`flowable` drawn as a new element of `role`, next in reading order."""
        return Tagged(flowable, self.tags.add(role, **attrs))

    def heading(self, text: str, style: str, role: str, level: int) -> Tagged:
        """A heading with its bookmark; set in capitals, it is still read in its own case."""
        actual = text if style in self.styles.upper else None
        return Tagged(self.text(text, style), self.tags.add(role, actual=actual),
                      outline=(text, level))

    def bulleted(self, markup: str, style: Any, bullet: str, items: StructElem) -> Tagged:
        """A paragraph with a bullet or number, as a list item of `items`: label and body."""
        item = items.add("LI")
        return Tagged(Para(markup, style, bulletText=bullet), item,
                      (item.add("Lbl"), item.add("LBody")))

    @property
    def values(self) -> Mapping[str, str]:
        """The values of the placeholders every brief offers (`schema.BRIEF_VALUES`), read
        only: a caller adds its own to a copy (`{**ctx.values, "page": ...}`)."""
        assert self._values is not None  # set as the context is made
        return self._values[2]

    def bullet_style(self, depth: int = 0) -> ParagraphStyle:
        """The list style with its bullet in the layout's colour, indented for `depth`."""
        base = self.styles["list"]
        indent = base.leftIndent + depth * base.fontSize * 1.5
        return base.clone(f"list{depth}", leftIndent=indent + base.fontSize * 1.5,
                          bulletIndent=indent, bulletColor=self.layout.lists.bullet_color)


def _placeholder_values(brief: Brief, layout: Layout) -> dict[str, str]:
    """What `Context.values` holds: a function of the brief and the layout alone, so written
    once per context made (a brief's text asks for them a dozen times, each page's furniture
    twice)."""
    labels = layout.labels
    return {
        "title": brief.title,
        "subtitle": brief.subtitle(labels.subtitle),
        "name": brief.donor.name,
        "short_name": brief.donor.short_name,
        "edition": str(brief.edition),
        "code": brief.donor.code,
        "footer": labels.footer,
        "period": figures_of(layout).period(brief.profile.period),
    }
