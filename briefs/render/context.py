"""What every flowable builder needs: the brief, the typed layout and its styles at one scale.

A `Context` is made once per type scale (slots that shrink their text make their own), so a
builder reads `ctx.layout.quote.bar` or `ctx.styles["body"]` and never resolves a name.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from briefs.contract.model import Brief
from briefs.layout.figures import figures_of
from briefs.layout.model import Layout
from briefs.render.fonts import Family
from briefs.render.markup import escape
from briefs.render.styles import StyleSet


@dataclass(frozen=True)
class Context:
    """What every flowable builder needs, at one type scale."""

    brief: Brief
    layout: Layout
    families: dict[str, Family]
    styles: StyleSet

    def para(self, markup: str, style: str) -> Paragraph:
        if style in self.styles.upper:
            markup = markup.upper()
        return Paragraph(markup, self.styles[style])

    def text(self, text: str, style: str) -> Paragraph:
        return self.para(escape(text), style)

    @property
    def values(self) -> dict[str, str]:
        """The values of the placeholders every brief offers (`schema.BRIEF_VALUES`)."""
        brief = self.brief
        labels = self.layout.labels
        return {
            "title": brief.title,
            "subtitle": brief.profile.subtitle or labels.subtitle,
            "name": brief.donor.name,
            "short_name": brief.donor.short_name,
            "edition": str(brief.edition),
            "code": brief.donor.code,
            "footer": labels.footer,
            "period": figures_of(self.layout).period(brief.profile.period),
        }

    def bullet_style(self, depth: int = 0) -> ParagraphStyle:
        """The list style with its bullet in the layout's colour, indented for `depth`."""
        base = self.styles["list"]
        indent = base.leftIndent + depth * base.fontSize * 1.5
        return base.clone(f"list{depth}", leftIndent=indent + base.fontSize * 1.5,
                          bulletIndent=indent, bulletColor=self.layout.lists.bullet_color)
