"""Sections and their blocks as flowables: paragraphs, lists, quotes, name lists, shading.

Everything the text flow and the slots hold is made here from a `Context`; what a
`{.contributions}` section adds comes from `briefs.render.contributions`. Each flowable is
made with its structure element (`ctx.tag`, `ctx.heading`, `ctx.bulleted`), in the order a
listener hears them: a section is a Sect holding its heading, then its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from briefs.contract.model import Block, ListBlock, Para, Quote, Section, Subheading
from briefs.layout.model import Placement, hex_color
from briefs.render.context import Context
from briefs.render.contributions import contributions_flowables
from briefs.render.flowables import (
    Barred,
    ChartFlowable,
    HeadingRoom,
    KeepFigures,
    NameColumns,
    unwrapped,
)
from briefs.render.headline import HeadlineRow
from briefs.render.markup import escape, runs_to_markup
from briefs.render.tagging import Tagged

STORY = "story"


def link_color(ctx: Context) -> str | None:
    """Links print in the palette's `primary` colour when the palette has one."""
    return hex_color(ctx.layout.palette.get("primary"))


def block_flowables(block: Block, ctx: Context, body: str, depth: int = 0) -> list[Flowable]:
    if isinstance(block, Para):
        return [ctx.tag(ctx.para(runs_to_markup(block.runs, link_color(ctx)), body), "P")]
    if isinstance(block, Subheading):
        heading = ctx.heading(block.text, "subheading", "H3", 2)
        return [HeadingRoom(heading, [], ctx.styles[body].leading * 3), heading]
    if isinstance(block, ListBlock):
        return _list(block, ctx, body, depth)
    if isinstance(block, Quote):
        return _quote(block, ctx)
    raise AssertionError(f"unknown block {block!r}")


def _list(block: ListBlock, ctx: Context, body: str, depth: int) -> list[Flowable]:
    style = ctx.bullet_style(depth)
    link = link_color(ctx)
    out: list[Flowable] = []
    items = ctx.tags.add("L")
    for number, item in enumerate(block.items, start=block.start):
        bullet = f"{number}." if block.ordered else ctx.layout.lists.bullet
        first = item[0] if item else Para(())
        markup = runs_to_markup(first.runs, link) if isinstance(first, Para) else ""
        out.append(ctx.bulleted(markup, style, bullet, items))
        rest = item[1:] if isinstance(first, Para) else item
        body_ctx = ctx.within(out[-1].parts[-1])  # what follows in the item is in its body
        for sub in rest:
            out.extend(block_flowables(sub, body_ctx, body, depth + 1))
    last = out[-1].inner if out and isinstance(out[-1], Tagged) else None
    if depth == 0 and isinstance(last, Paragraph):
        # the list ends with the space of a paragraph, so text after it does not crowd it
        space = max(last.style.spaceAfter, ctx.styles[body].spaceAfter)
        last.style = last.style.clone("list_end", spaceAfter=space)
    return out


def _quote(block: Quote, ctx: Context) -> list[Flowable]:
    q = ctx.layout.quote
    quote = ctx.within(ctx.tags.add("BlockQuote"))  # the attribution is inside the quote
    paras = [quote.tag(ctx.para(runs_to_markup(p.runs), "quote"), "P") for p in block.paras]
    if block.attribution:
        who = runs_to_markup(block.attribution)
        before, _, after = ctx.layout.labels.attribution.partition("{who}")
        paras.append(quote.tag(ctx.para(escape(before) + who + escape(after), "attribution"),
                               "P"))
    out: list[Flowable] = []
    for index, para in enumerate(paras):
        last = index == len(paras) - 1
        pad = 0.0 if last else max(para.style.spaceAfter, 2.0)
        piece = Barred(para, q.bar, q.bar_width, q.gap, pad,
                       space_before=q.space if index == 0 else 0.0,
                       space_after=q.space if last else 0.0)
        # a pull quote stays in one column with its attribution when it fits in one
        piece.keepWithNext = not last
        out.append(piece)
    return out


def section_flowables(section: Section, ctx: Context) -> list[Flowable]:
    place = ctx.layout.sections.of(section.cls or STORY)
    ctx = ctx.within(ctx.tags.add("Sect"))
    heading = ctx.heading(section.heading, place.heading.name, "H2", 1) \
        if section.heading else None
    body: list[Flowable] = []
    for block in section.blocks:
        body.extend(block_flowables(block, ctx, place.body.name))
    body.extend(_section_extras(section, ctx))
    _keep_lead_ins(body)
    if heading is None:
        return body
    lines = ctx.styles[place.body.name].leading * 3
    if place.shade is not None and place.slot is None:
        return [HeadingRoom(heading, [], lines), _shaded([heading, *body], place, ctx)]
    # the figures (headline row, chart) stay with their heading and its text: the group goes
    # to the next column when it does not fit even with the chart set shorter
    figures = [i for i, f in enumerate(body)
               if isinstance(unwrapped(f), HeadlineRow | KeepTogether)]
    if section.cls == "contributions" and figures:
        group = [heading, *body[:figures[-1] + 1]]
        charts = [unwrapped(f) for g in group for f in getattr(g, "_content", [g])
                  if isinstance(unwrapped(f), ChartFlowable)]
        return [KeepFigures(group, charts), heading, *body]
    # a heading never stands alone at the foot of a column, nor before a lead-in whose list
    # goes on to the next one
    following: list[Flowable] = []
    for flowable in (f for f in body if not isinstance(f, HeadingRoom)):
        following.append(flowable)
        if not getattr(flowable, "keepWithNext", False):
            break
    return [HeadingRoom(heading, following, lines), heading, *body]


def _keep_lead_ins(flows: list[Flowable]) -> None:
    """A paragraph ending in ':' goes to the next column with what it introduces."""
    for flow, after in pairwise(flows):
        para = unwrapped(flow)
        if isinstance(para, Paragraph) and para.getPlainText().rstrip().endswith(":") and \
                not isinstance(after, HeadingRoom):
            flow.keepWithNext = para.keepWithNext = True


def _shaded(flows: list[Flowable], place: Placement, ctx: Context) -> Flowable:
    """A section set on a coloured background in the flow (a box that is not a slot)."""
    pad = place.padding
    table = Table([[flows]], colWidths=["100%"], splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), ctx.styles["body"].fontName),
        ("BACKGROUND", (0, 0), (-1, -1), place.shade),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    table.spaceBefore = ctx.styles[place.heading.name].spaceBefore
    table.spaceAfter = ctx.styles["body"].spaceAfter * 2
    return table


def _section_extras(section: Section, ctx: Context) -> list[Flowable]:
    """What a section class adds after the section's own text."""
    lists = ctx.layout.lists
    if section.cls == "partner-countries":
        return _name_list(ctx.brief.profile.partner_countries, ctx,
                          lists.partner_countries_columns)
    if section.cls == "key-partners":
        return _name_list(ctx.brief.profile.key_partners, ctx, lists.key_partners_columns)
    if section.cls == "contributions":
        return contributions_flowables(ctx)
    return []


def _name_list(names: Sequence[str], ctx: Context, columns: int) -> list[Flowable]:
    if not names:
        return []
    style = ctx.bullet_style()
    bullet = ctx.layout.lists.bullet
    items = ctx.tags.add("L")
    # one list in reading order (down the columns), however the table sets it
    tagged = [ctx.bulleted(escape(n), style, bullet, items) for n in names]
    if columns <= 1:
        return list(tagged)
    # the names read down the columns, a wrapped name lengthens its own column only, and a
    # long list goes on in the next frame in the same order
    block = NameColumns(tagged, columns)
    block.spaceAfter = ctx.styles["body"].spaceAfter
    return [block]
