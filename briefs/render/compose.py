"""From a Brief and a Layout to PDF bytes.

Everything here is a function of its inputs: no file is read except the fonts the layout
names, and nothing is written. Sections become flowables; slots (fixed boxes such as the title
band and the side box) are fitted before drawing, so text that does not fit is reported, never
cut.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefs import __version__
from briefs.contract.model import Block, Brief, ListBlock, Para, Quote, Section, Subheading
from briefs.errors import Problem, UserError
from briefs.layout.loader import Layout
from briefs.render.charts import ChartStyle, chart_drawing, millions, pick_colors
from briefs.render.flowables import Barred, ChartFlowable, HeadingRoom, KeepFigures, StartNew
from briefs.render.fonts import Family, register_families
from briefs.render.furniture import LineText, fitted
from briefs.render.headline import Figure, HeadlineRow
from briefs.render.inspect import Finding, Placed, inspect_pages, record
from briefs.render.markup import escape, fill, fill_text, period_text, runs_to_markup
from briefs.render.styles import StyleSet, make_styles

STORY = "story"
SCALE_STEP = 0.025


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
        brief = self.brief
        labels = self.layout["labels"]
        return {
            "title": brief.title,
            "subtitle": brief.profile.subtitle or labels["subtitle"],
            "name": brief.donor.name,
            "short_name": brief.donor.short_name,
            "edition": str(brief.edition),
            "code": brief.donor.code,
            "footer": labels["footer"],
            "period": period_text(brief.profile.period, labels["period"]),
        }


# --- blocks -------------------------------------------------------------------------------

def block_flowables(block: Block, ctx: Context, body: str, depth: int = 0) -> list[Flowable]:
    link = ctx.layout.color("primary")
    if isinstance(block, Para):
        return [ctx.para(runs_to_markup(block.runs, link), body)]
    if isinstance(block, Subheading):
        heading = ctx.text(block.text, "subheading")
        return [HeadingRoom(heading, None, ctx.styles[body].leading * 3), heading]
    if isinstance(block, ListBlock):
        return _list(block, ctx, body, depth)
    if isinstance(block, Quote):
        return _quote(block, ctx)
    raise AssertionError(f"unknown block {block!r}")


def _bullet_style(ctx: Context, depth: int = 0) -> Any:
    """The list style with its bullet in the layout's colour, indented for `depth`."""
    lists = ctx.layout["lists"]
    base = ctx.styles["list"]
    indent = base.leftIndent + depth * base.fontSize * 1.5
    return base.clone(f"list{depth}", leftIndent=indent + base.fontSize * 1.5,
                      bulletIndent=indent,
                      bulletColor=ctx.layout.color(lists["bullet_color"]) or base.textColor)


def _list(block: ListBlock, ctx: Context, body: str, depth: int) -> list[Flowable]:
    style = _bullet_style(ctx, depth)
    link = ctx.layout.color("primary")
    out: list[Flowable] = []
    for number, item in enumerate(block.items, start=block.start):
        bullet = f"{number}." if block.ordered else ctx.layout["lists"]["bullet"]
        first = item[0] if item else Para(())
        if isinstance(first, Para):
            out.append(Paragraph(runs_to_markup(first.runs, link), style, bulletText=bullet))
            rest = item[1:]
        else:
            out.append(Paragraph("", style, bulletText=bullet))
            rest = item
        for sub in rest:
            out.extend(block_flowables(sub, ctx, body, depth + 1))
    last = out[-1] if out else None
    if depth == 0 and isinstance(last, Paragraph):
        # the list ends with the space of a paragraph, so text after it does not crowd it
        space = max(last.style.spaceAfter, ctx.styles[body].spaceAfter)
        last.style = last.style.clone("list_end", spaceAfter=space)
    return out


def _quote(block: Quote, ctx: Context) -> list[Flowable]:
    q = ctx.layout["quote"]
    bar = ctx.layout.color(q["bar"]) or "#000000"
    paras = [ctx.para(runs_to_markup(p.runs), "quote") for p in block.paras]
    if block.attribution:
        pattern = ctx.layout["labels"]["attribution"]
        who = runs_to_markup(block.attribution)
        before, _, after = pattern.partition("{who}")
        paras.append(ctx.para(escape(before) + who + escape(after), "attribution"))
    out: list[Flowable] = []
    for index, para in enumerate(paras):
        last = index == len(paras) - 1
        pad = 0.0 if last else max(para.style.spaceAfter, 2.0)
        piece = Barred(para, bar, q["bar_width"], q["gap"], pad,
                       space_before=q["space"] if index == 0 else 0.0,
                       space_after=q["space"] if last else 0.0)
        # a pull quote stays in one column with its attribution when it fits in one
        piece.keepWithNext = not last
        out.append(piece)
    return out


# --- sections -----------------------------------------------------------------------------

def section_flowables(section: Section, ctx: Context) -> list[Flowable]:
    place = ctx.layout["sections"][section.cls or STORY]
    body: list[Flowable] = []
    for block in section.blocks:
        body.extend(block_flowables(block, ctx, place["body"]))
    body.extend(_section_extras(section, ctx))
    _keep_lead_ins(body)
    if not section.heading:
        return body
    heading = ctx.text(section.heading, place["heading"])
    lines = ctx.styles[place["body"]].leading * 3
    if place["shade"] != "none" and not place["slot"]:
        return [HeadingRoom(heading, None, lines), _shaded([heading, *body], place, ctx)]
    # the figures (headline row, chart) stay with their heading and its text: the group goes
    # to the next column when it does not fit, rather than leave the heading behind
    figures = [i for i, f in enumerate(body) if isinstance(f, HeadlineRow | KeepTogether)]
    if section.cls == "contributions" and figures:
        group = [heading, *body[:figures[-1] + 1]]
        charts = [f for g in group for f in getattr(g, "_content", [g])
                  if isinstance(f, ChartFlowable)]
        return [KeepFigures(group, charts), heading, *body]
    # a heading never stands alone at the foot of a column
    following = next((f for f in body if not isinstance(f, HeadingRoom)), None)
    return [HeadingRoom(heading, following, lines), heading, *body]


def _keep_lead_ins(flows: list[Flowable]) -> None:
    """A paragraph ending in ':' goes to the next column with what it introduces."""
    for flow, after in pairwise(flows):
        if isinstance(flow, Paragraph) and flow.getPlainText().rstrip().endswith(":") and \
                not isinstance(after, HeadingRoom):
            flow.keepWithNext = True


def _shaded(flows: list[Flowable], place: dict[str, Any], ctx: Context) -> Flowable:
    """A section set on a coloured background in the flow (a box that is not a slot)."""
    pad = place["padding"]
    table = Table([[flows]], colWidths=["100%"], splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), ctx.styles["body"].fontName),
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(ctx.layout.color(place["shade"]) or "#ffffff")),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    table.spaceBefore = ctx.styles[place["heading"]].spaceBefore
    table.spaceAfter = ctx.styles["body"].spaceAfter * 2
    return table


def _section_extras(section: Section, ctx: Context) -> list[Flowable]:
    """What a section class adds after the section's own text."""
    out: list[Flowable] = []
    if section.cls == "partner-countries":
        out.extend(_name_list(ctx.brief.profile.partner_countries, ctx,
                              ctx.layout["lists"]["partner_countries_columns"]))
    elif section.cls == "key-partners":
        out.extend(_name_list(ctx.brief.profile.key_partners, ctx,
                              ctx.layout["lists"]["key_partners_columns"]))
    elif section.cls == "contributions":
        out.extend(contributions_flowables(ctx))
    return out


def _name_list(names: Sequence[str], ctx: Context, columns: int) -> list[Flowable]:
    if not names:
        return []
    style = _bullet_style(ctx)
    bullet = ctx.layout["lists"]["bullet"]
    if columns <= 1:
        return [Paragraph(escape(n), style, bulletText=bullet) for n in names]
    rows = -(-len(names) // columns)
    # one cell per column holding its names one under another: the names read down the
    # columns, and a name that wraps lengthens its own column only, never leaves a gap
    # across the others; splitInRow lets the columns go on in the next frame
    cells = [[[Paragraph(escape(name), style, bulletText=bullet)
               for name in names[c * rows:(c + 1) * rows]] for c in range(columns)]]
    table = Table(cells, colWidths=[f"{100 / columns}%"] * columns, hAlign="LEFT",
                  splitInRow=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), style.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), style.spaceAfter),
    ]))
    table.spaceAfter = ctx.styles["body"].spaceAfter
    return [table]


def amount_text(amount: float, qualifier: str, ctx: Context) -> str:
    labels = ctx.layout["labels"]
    text = labels["amount"].replace("{millions}", millions(amount, chart_style(ctx)))
    if qualifier:
        text = f"{labels['qualifiers'].get(qualifier, qualifier)} {text}"
    return text


def chart_style(ctx: Context) -> ChartStyle:
    layout = ctx.layout
    chart = layout["chart"]
    st = layout["styles"]["chart"]
    channels = ctx.brief.channels
    named = {code: layout.color(name) or "#000000" for code, name in chart["colors"].items()}
    series = tuple(layout.color(name) or "#000000" for name in chart["series"] or ["ink"])
    colors = pick_colors(tuple(c.code for c in channels), named, series)
    labels = layout["labels"]
    return ChartStyle(
        width=chart["width"], height=chart["height"], font_size=chart["font_size"],
        font_name=ctx.families[st["font"]].regular, bold_name=ctx.families[st["font"]].bold,
        text=layout.color(chart["text"]) or "#000000",
        grid=layout.color(chart["grid"]) or "#cccccc",
        colors=tuple(colors), labels=tuple(c.label for c in channels),
        codes=tuple(c.code for c in channels), decimal_mark=labels["decimal_mark"],
        decimals=labels["decimals"], kind=chart["kind"], center=labels["donut_center"])


def contributions_flowables(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    labels = ctx.layout["labels"]
    if not funding.has_rows:
        return [ctx.para(fill(labels["no_contributions"], ctx.values), "body")]
    out: list[Flowable] = []
    for part in ctx.layout["contributions"]["parts"]:
        out.extend({"headline": _headline, "chart": _chart, "lines": _funding_lines}[part](ctx))
    return out


def _total_qualifier(ctx: Context) -> str:
    return "more than" if any(c.qualifier for c in ctx.brief.funding.channels) else ""


def bind_last_words(markup: str, count: int = 3) -> str:
    """The last `count` words of a caption joined by no-break spaces, so that its last line
    never holds a single word ("million)" alone); spaces inside tags are left alone."""
    head, *tail = markup.rsplit(" ", count - 1)
    if any("<" in part or ">" in part for part in tail):
        return markup
    return "\u00a0".join([head, *tail])


def _chart(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    labels = ctx.layout["labels"]
    chart = ctx.layout["chart"]
    style = chart_style(ctx)
    values = {**ctx.values, "total": millions(funding.total_usd, style),
              "total_amount": amount_text(funding.total_usd, _total_qualifier(ctx), ctx)}
    yearly = funding.yearly and chart["kind"] == "bars"
    pattern = labels["chart_title_years"] if yearly else labels["chart_title_totals"]
    title = ctx.para(bind_last_words(fill(pattern, values)), "chart")
    def draw(width: float, height: float | None) -> Any:
        return chart_drawing(funding, replace(style, height=height) if height else style, width)

    drawing = ChartFlowable(draw, chart["height"], chart["space_after"])
    return [KeepTogether([Spacer(1, chart["space_before"]), title, drawing])]


def _funding_lines(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    labels = ctx.layout["labels"]
    style = _bullet_style(ctx).clone("funding_item", **{
        k: getattr(ctx.styles["funding"], k) for k in
        ("fontName", "fontSize", "leading", "textColor", "spaceAfter", "spaceBefore")})
    bullet = ctx.layout["lists"]["bullet"]
    out: list[Flowable] = []
    for item in funding.channels:
        values = {**ctx.values, "label": item.channel.label,
                  "description": item.channel.description,
                  "amount": amount_text(item.amount_usd, item.qualifier, ctx)}
        pattern = labels["funding_line"] if item.channel.description else \
            labels["funding_line_short"]
        out.append(Paragraph(fill(pattern, values, bold=("label",)), style, bulletText=bullet))
    if len(funding.channels) > 1 and labels["funding_total"]:
        total = amount_text(funding.total_usd, _total_qualifier(ctx), ctx)
        out.append(ctx.para(fill(labels["funding_total"], {**ctx.values, "amount": total}),
                            "funding"))
    return out


def _headline(ctx: Context) -> list[Flowable]:
    """A row of large figures: the period's total, then each channel's amount."""
    funding = ctx.brief.funding
    labels = ctx.layout["labels"]
    settings = ctx.layout["contributions"]
    style = chart_style(ctx)
    figures = [(funding.total_usd, _total_qualifier(ctx),
                fill_text(labels["headline_total"], ctx.values))]
    figures += [(c.amount_usd, c.qualifier, c.channel.label) for c in funding.channels]
    cells = []
    for amount, qualifier, label in figures:
        value = labels["headline_amount"].replace("{millions}", millions(amount, style))
        markup = escape(value)
        if qualifier:
            word = labels["qualifiers"].get(qualifier, qualifier)
            size = ctx.styles["headline_label"].fontSize
            markup = f"<font size='{size}'>{escape(word)}</font> {markup}"
            value = f"{word} {value}"
        upper = "headline_label" in ctx.styles.upper
        cells.append(Figure(value, markup, escape(label.upper() if upper else label)))

    def styles(scale: float) -> tuple[Any, Any]:
        value, label = ctx.styles["headline_value"], ctx.styles["headline_label"]
        return (value.clone("headline_value_fit", fontSize=value.fontSize * scale,
                            leading=value.leading * scale), label)

    fill_color = ctx.layout.color(settings["headline_fill"])
    rule = ctx.layout.color(settings["headline_rule"])
    pad = 8 if fill_color else 0

    def commands(rows: int) -> list[tuple]:
        out: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), ctx.styles["body"].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        if fill_color:
            out.append(("BACKGROUND", (0, 0), (-1, -1), HexColor(fill_color)))
        if rule:
            out.append(("LINEABOVE", (0, 0), (-1, 0), 2, HexColor(rule)))
        return out

    row = HeadlineRow(cells, styles, commands, pad + 8)
    row.spaceBefore = ctx.styles["body"].spaceAfter
    row.spaceAfter = ctx.styles["body"].spaceAfter * 1.5
    return [row]


# --- slots --------------------------------------------------------------------------------

def _measure(flows: Sequence[Flowable], width: float, height: float) -> float:
    total = 0.0
    for index, flow in enumerate(flows):
        _, h = flow.wrap(width, height)
        total += h
        if index:
            total += flow.getSpaceBefore()
        if index < len(flows) - 1:
            total += flow.getSpaceAfter()
    return total


@dataclass
class FittedSlot:
    name: str
    spec: dict[str, Any]
    flows: list[Flowable]
    height: float  # of the text
    scale: float


def fit_slot(name: str, spec: dict[str, Any], make: Callable[[float], list[Flowable]],
             where: tuple[str, int | None], who: str, holds: str) -> FittedSlot:
    """Lay the slot's text out at the largest scale that fits; never cut it."""
    pad = spec["padding"]
    width = spec["width"] - 2 * pad
    height = spec["height"] - 2 * pad
    scale = 1.0
    floor = spec["min_scale"] if spec["fit"] == "shrink" else 1.0
    while True:
        flows = make(scale)
        used = _measure(flows, width, height)
        if used <= height + 0.01:
            return FittedSlot(name, spec, flows, used, scale)
        if scale - SCALE_STEP < floor - 1e-9:
            break
        scale = round(scale - SCALE_STEP, 4)
    lines = used - height
    body = flows[-1].style.leading if flows and hasattr(flows[-1], "style") else 12
    message = (f"{who}: the '{name}' slot overflows by {lines:.1f}pt (about "
               f"{max(1, round(lines / body))} lines)")
    message += f" even at {round(floor * 100)}% type size" if spec["fit"] == "shrink" else ""
    message += f"; it holds {holds} — shorten that text or give the slot more room"
    raise UserError([Problem(where[0], message, line=where[1])])


def draw_slot(canvas: Any, slot: FittedSlot, layout: Layout, page_height: float) -> None:
    spec = slot.spec
    x, w, h = spec["left"], spec["width"], spec["height"]
    y = page_height - spec["top"] - h
    fill_color = layout.color(spec["fill"])
    if fill_color:
        canvas.saveState()
        canvas.setFillColor(HexColor(fill_color))
        canvas.rect(x, y, w, h, stroke=0, fill=1)
        canvas.restoreState()
    pad = spec["padding"]
    free = h - 2 * pad - slot.height
    offset = {"top": 0.0, "middle": free / 2, "bottom": free}[spec["valign"]]
    frame = Frame(x + pad, y + pad, w - 2 * pad, h - 2 * pad - offset, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList(list(slot.flows), canvas)


# --- the document -------------------------------------------------------------------------

def _page_decorator(ctx: Context, template: dict[str, Any],
                    slots: list[FittedSlot]) -> Callable[[Any, Any], None]:
    layout = ctx.layout
    width, height = layout.page_size

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        for rect in template["rects"]:
            canvas.setFillColor(HexColor(layout.color(rect["fill"]) or "#000000"))
            canvas.rect(rect["left"], height - rect["top"] - rect["height"], rect["width"],
                        rect["height"], stroke=0, fill=1)
        for rule in template["rules"]:
            canvas.setStrokeColor(HexColor(layout.color(rule["color"]) or "#000000"))
            canvas.setLineWidth(rule["width"])
            canvas.line(rule["x1"], height - rule["y1"], rule["x2"], height - rule["y2"])
        values = {**ctx.values, "page": str(doc.page)}
        placed = []
        for item in template["texts"]:
            style = ctx.styles[item["style"]]
            text = fill_text(item["text"], values)
            if item["style"] in ctx.styles.upper:
                text = text.upper()
            placed.append(LineText(item["x"], item["y"], item["align"], text, style.fontName,
                                   style.fontSize))
        for item, (text, size) in zip(template["texts"], fitted(placed, width), strict=True):
            style = ctx.styles[item["style"]]
            canvas.setFont(style.fontName, size)
            canvas.setFillColor(style.textColor)
            draw = {"left": canvas.drawString, "right": canvas.drawRightString,
                    "center": canvas.drawCentredString}[item["align"]]
            draw(item["x"], height - item["y"], text)
        canvas.restoreState()
        if doc.page == 1:
            for slot in slots:
                draw_slot(canvas, slot, layout, height)

    return decorate


def prepare(brief: Brief, layout: Layout) -> tuple[Context, list[FittedSlot], list[Flowable]]:
    """Build the flowing story and fit the slots; raises UserError for text that won't fit."""
    families = register_families(layout["fonts"])
    ctx = Context(brief, layout, families, make_styles(layout, families))
    first = layout["templates"][layout["page"]["first"]]
    sections = layout["sections"]
    profile = brief.profile
    placed: dict[str, list[Section]] = {name: [] for name in first["slots"]}
    story: list[Flowable] = []
    intro = Section("", "intro", profile.intro)
    started: set[str] = set()
    for section in (intro, *profile.sections):
        cls = section.cls or STORY
        place = sections["intro" if section is intro else cls]
        if section is intro and not section.blocks:
            continue
        if place["slot"]:
            placed[place["slot"]].append(section)
            continue
        if place["start"] != "none" and cls not in started:
            story.append(StartNew(place["start"]))
        started.add(cls)
        if section is intro:
            story.extend(f for b in section.blocks for f in block_flowables(b, ctx, "lead"))
        else:
            story.extend(section_flowables(section, ctx))
    fitted = []
    profile_name = profile.name
    who = f"{brief.donor.code} {brief.edition}, layout {layout.name}"
    for name, spec in first["slots"].items():
        if spec["content"] == "title":
            def make(scale: float) -> list[Flowable]:
                c = Context(brief, layout, families, make_styles(layout, families, scale))
                return [c.text(c.values["title"], "title"), c.text(c.values["subtitle"],
                                                                  "subtitle")]
            holds = "the title and subtitle"
            where: tuple[str, int | None] = (profile_name, None)
        else:
            mine = placed[name]

            def make(scale: float, mine: list[Section] = mine) -> list[Flowable]:
                c = Context(brief, layout, families, make_styles(layout, families, scale))
                flows = []
                for s in mine:
                    flows.extend(f for f in section_flowables(s, c)
                                 if not isinstance(f, HeadingRoom))
                return flows
            holds = "the sections " + ", ".join(f"'{s.heading}'" for s in mine)
            where = (profile_name, mine[0].line if mine else None)
            if not mine:
                continue
        fitted.append(fit_slot(name, spec, make, where, who, holds))
    return ctx, fitted, story


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # what the page inspection saw


class _Document(BaseDocTemplate):
    """A doc template that can shorten the frames of one page, to balance its columns.

    It records how far down each frame of the last page the text went; a second pass gives
    that page frames of equal, shorter height so its columns end level.
    """

    def __init__(self, *args: Any, balance: tuple[int, float] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.balance = balance  # (page, frame height) to impose
        self.used: dict[int, list[float]] = {}  # page -> text height in each frame begun
        self.heights: dict[int, list[float]] = {}  # page -> height of each frame begun
        self.placed: list[Placed] = []  # where each flowable landed, for the inspection
        self._originals: dict[str, list[Frame]] = {}

    def handle_pageBegin(self) -> None:
        template = self.pageTemplate
        original = self._originals.setdefault(template.id, template.frames)
        if self.balance and self.page + 1 == self.balance[0]:
            target = self.balance[1]
            template.frames = [
                Frame(f._x1, f._y1 + f._height - target, f._width, target, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id=f"{f.id}-balanced")
                for f in original]
        else:
            template.frames = original
        super().handle_pageBegin()
        self.heights[self.page] = [f._height for f in template.frames]

    def handle_frameEnd(self, resume: int = 0) -> None:
        self._record()
        super().handle_frameEnd(resume)

    def _record(self) -> None:
        frame = self.frame
        self.used.setdefault(self.page, []).append(frame._y2 - frame._y)

    def afterFlowable(self, flowable: Flowable) -> None:
        placed = record(self.page, self.frame, flowable)
        if placed is not None:
            self.placed.append(placed)


def _templates(ctx: Context, slots: list[FittedSlot]) -> list[PageTemplate]:
    layout = ctx.layout
    _, height = layout.page_size
    templates = []
    for name, tpl in layout["templates"].items():
        frames = [Frame(f["left"], height - f["top"] - f["height"], f["width"], f["height"],
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                        id=f"{name}{i}") for i, f in enumerate(tpl["frames"])]
        mine = slots if name == layout["page"]["first"] else []
        templates.append(PageTemplate(id=name, frames=frames,
                                      onPage=_page_decorator(ctx, tpl, mine),
                                      autoNextPageTemplate=tpl["next"] or name))
    first = layout["page"]["first"]
    templates.sort(key=lambda t: t.id != first)
    return templates


def _render_once(brief: Brief, layout: Layout,
                 balance: tuple[int, float] | None) -> tuple[bytes, _Document]:
    ctx, slots, story = prepare(brief, layout)
    width, height = layout.page_size
    labels = layout["labels"]
    values = ctx.values
    buffer = io.BytesIO()
    doc = _Document(
        buffer, pagesize=(width, height), leftMargin=0, rightMargin=0, topMargin=0,
        bottomMargin=0, title=f"{values['title']} – {values['subtitle']}",
        author=labels["organisation"], subject=fill_text(labels["subject"], values),
        keywords=[brief.donor.code, brief.donor.name, str(brief.edition), *labels["keywords"]],
        creator=f"briefs {__version__}", lang=labels["language"], invariant=1,
        initialFontName=ctx.styles["body"].fontName, pageCompression=1, balance=balance,
    )
    doc.addPageTemplates(_templates(ctx, slots))
    doc.build(story or [Spacer(1, 1)])
    # the last frame ends with the build, not with a frame break
    doc._record()
    return buffer.getvalue(), doc


def _inspected(pdf: bytes, doc: _Document, inspect: bool) -> Rendered:
    findings = inspect_pages(doc.placed, doc.used, doc.heights, pdf) if inspect else []
    return Rendered(pdf, doc.page, tuple(findings))


def _balance(brief: Brief, layout: Layout, page: int, columns: int, share: float,
             full: float) -> tuple[bytes, _Document] | None:
    """The last page laid out again with shorter, equal columns; None when none keeps it.

    At most four whole layout passes: the even share with room for a line that does not
    break evenly, then more room until the text fits the page, then halfway between the
    tallest height that did not fit and the one that did, while the columns are not level.
    """
    line = layout["styles"]["body"]["leading"]
    best: tuple[float, bytes, _Document] | None = None
    low, high = share, None
    targets = [share + line, share + 3 * line, (share + full) / 2]
    for _ in range(4):
        if not targets:
            break
        target = targets.pop(0)
        if target >= full:
            break
        try:
            candidate, trial = _render_once(brief, layout, (page, target))
        except LayoutError:
            break  # something on that page cannot be shortened: keep the first layout
        if trial.page != page:
            low = target
            continue
        ends = (trial.used.get(page, []) + [0.0] * columns)[:columns]
        evenness = min(ends) / max(max(ends), 1.0)
        if best is None or evenness > best[0]:
            best = (evenness, candidate, trial)
        if evenness > 0.6:
            break
        high = target
        targets = [(low + high) / 2]
    return (best[1], best[2]) if best is not None else None


def render_pdf(brief: Brief, layout: Layout, inspect: bool = True) -> Rendered:
    """The brief as PDF bytes; the same inputs always give the same bytes.

    With `inspect`, the laid-out pages are looked at and what a person should look at too is
    returned as findings (`briefs.render.inspect`).

    When the last page has several columns, it is laid out again with shorter frames so that
    its columns end level instead of one full column beside empty ones.
    """
    from reportlab import rl_config

    # streams as binary, not ASCII85 text: smaller files and less work (a documented setting)
    rl_config.useA85 = 0
    pdf, doc = _render_once(brief, layout, None)
    pages = doc.page
    used = doc.used.get(pages, [])
    frames = doc.pageTemplate.frames
    level = len(used) == len(frames) and min(used) > 0.8 * max(used)
    full = min(f._height for f in frames)
    # a remainder shorter than one column is spread over the columns too: headings keep
    # their text (HeadingRoom), so no heading is stranded by it
    if pages < 2 or len(frames) < 2 or level:
        return _inspected(pdf, doc, inspect)
    balanced = _balance(brief, layout, pages, len(frames), sum(used) / len(frames), full)
    if balanced is not None:
        return _inspected(*balanced, inspect)
    return _inspected(pdf, doc, inspect)

