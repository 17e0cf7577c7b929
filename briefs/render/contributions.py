"""What a `{.contributions}` section shows after its text: headline figures, chart, lines.

Amounts come from the brief's funding (computed from contributions.csv, never typed); the
words around them are the layout's labels, whose placeholders were checked at load time.
For a screen reader, the headline figures are sentences and the chart a Figure described in
words from the same figures (`briefs.render.describe`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, KeepTogether, Spacer

from briefs.contract.model import QUALIFIERS
from briefs.layout.figures import figures_of
from briefs.layout.model import hex_color
from briefs.render.charts import ChartStyle, chart_drawing, chart_height
from briefs.render.context import Context
from briefs.render.describe import ChartWording, describe_chart
from briefs.render.flowables import ChartFlowable
from briefs.render.headline import Figure, HeadlineRow
from briefs.render.markup import escape, fill
from briefs.render.tagging import Tagged
from briefs.text import fill as fill_pattern


def pick_colors(codes: tuple[str, ...], named: dict[str, str],
                series: tuple[str, ...]) -> tuple[str, ...]:
    """One colour per channel: its own when the layout names one, else the next series colour
    no other channel of this chart uses (cycling only when there are more channels than
    colours), so two channels never share a colour while the series has one to spare."""
    taken = {named[c] for c in codes if c in named}
    spare = [s for s in series if s not in taken] or list(series) or ["#000000"]
    out, index = [], 0
    for code in codes:
        if code in named:
            out.append(named[code])
        else:
            out.append(spare[index % len(spare)])
            index += 1
    return tuple(out)


def chart_style(ctx: Context) -> ChartStyle:
    """The chart's settings as the plain values matplotlib takes (colours as '#rrggbb')."""
    layout = ctx.layout
    chart = layout.chart
    family = ctx.families[layout.styles["chart"].font.name]
    channels = ctx.brief.channels
    series = chart.series or (layout.palette.get("ink") or black,)
    colors = pick_colors(tuple(c.code for c in channels),
                         {code: hex_color(c) or "#000000" for code, c in chart.colors.items()},
                         tuple(hex_color(c) or "#000000" for c in series))
    labels = layout.labels
    return ChartStyle(
        width=chart.width, height=chart.height, font_size=chart.font_size,
        font_name=family.regular, bold_name=family.bold,
        text=hex_color(chart.text) or "#000000", grid=hex_color(chart.grid) or "#cccccc",
        colors=colors,
        labels=tuple(c.label for c in channels),
        codes=tuple(c.code for c in channels), decimal_mark=labels.decimal_mark,
        decimals=labels.decimals, kind=chart.kind, center=labels.donut_center,
        locale=labels.language, qualifiers=tuple(
            (name, figures_of(layout).qualifier(name)) for name in QUALIFIERS if name))


def contributions_flowables(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    if not funding.has_rows:
        return [ctx.tag(ctx.para(fill(ctx.layout.labels.no_contributions, ctx.values), "body"),
                        "P")]
    out: list[Flowable] = []
    for part in ctx.layout.contributions.parts:
        out.extend({"headline": _headline, "chart": _chart, "lines": _funding_lines}[part](ctx))
    return out


def _chart(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    labels = ctx.layout.labels
    chart = ctx.layout.chart
    style = chart_style(ctx)
    written = figures_of(ctx.layout)  # made once for the description's dozens of amounts
    values = {**ctx.values, "total": written.millions(funding.total_usd),
              "total_amount": written.money(funding.total_usd, funding.total_qualifier)}
    yearly = funding.yearly and chart.kind == "bars"
    pattern = labels.chart_title_years if yearly else labels.chart_title_totals
    title = ctx.tag(ctx.para(bind_last_words(fill(pattern, values)), "chart"), "P")
    described = describe_chart(funding, chart.kind, _wording(ctx), values, written.money,
                               written.percent)

    def sized(height: float | None) -> ChartStyle:
        return replace(style, height=height) if height else style

    def draw(width: float, height: float | None) -> Any:
        return chart_drawing(funding, sized(height), width)

    def measure(width: float, height: float | None) -> float:
        return chart_height(funding, sized(height), width)

    drawing = Tagged(ChartFlowable(draw, measure, chart.height, chart.space_after),
                     ctx.tags.add("Figure", alt=described), figure=True)
    return [KeepTogether([Spacer(1, chart.space_before), title, drawing])]


def bind_last_words(markup: str, count: int = 3) -> str:
    """The last `count` words of a caption joined by no-break spaces, so that its last line
    never holds a single word ("million)" alone); spaces inside tags are left alone."""
    head, *tail = markup.rsplit(" ", count - 1)
    if any("<" in part or ">" in part for part in tail):
        return markup
    return "\u00a0".join([head, *tail])


def _wording(ctx: Context) -> ChartWording:
    labels = ctx.layout.labels
    return ChartWording(**{name: getattr(labels, f"chart_description_{name}") for name in (
        "years", "totals", "donut", "channel", "year", "summary", "total")})


def _funding_lines(ctx: Context) -> list[Flowable]:
    funding = ctx.brief.funding
    labels = ctx.layout.labels
    written = figures_of(ctx.layout)
    style = ctx.bullet_style().clone("funding_item", **{
        k: getattr(ctx.styles["funding"], k) for k in
        ("fontName", "fontSize", "leading", "textColor", "spaceAfter", "spaceBefore")})
    bullet = ctx.layout.lists.bullet
    out: list[Flowable] = []
    items = ctx.tags.add("L")
    for item in funding.channels:
        values = {**ctx.values, "label": item.channel.label,
                  "description": item.channel.description,
                  "amount": written.money(item.amount_usd, item.qualifier)}
        pattern = labels.funding_line if item.channel.description else \
            labels.funding_line_short
        out.append(ctx.bulleted(fill(pattern, values, bold=("label",)), style, bullet, items))
    if len(funding.channels) > 1 and labels.funding_total:
        total = written.money(funding.total_usd, funding.total_qualifier)
        out.append(ctx.tag(ctx.para(fill(labels.funding_total,
                                         {**ctx.values, "amount": total}), "funding"), "P"))
    return out


def _headline(ctx: Context) -> list[Flowable]:
    """A row of large figures: the period's total, then each channel's amount, each on one
    line (`HeadlineRow` chooses how many a row and the type size for the column's width)."""
    funding = ctx.brief.funding
    labels = ctx.layout.labels
    settings = ctx.layout.contributions
    written = figures_of(ctx.layout)
    figures = [(funding.total_usd, funding.total_qualifier,
                fill_pattern(labels.headline_total, ctx.values))]
    figures += [(c.amount_usd, c.qualifier, c.channel.label) for c in funding.channels]
    upper = "headline_label" in ctx.styles.upper
    cells = []
    for amount, qualifier, label in figures:
        value = written.money(amount, "", labels.headline_amount)
        markup = escape(value)
        if qualifier:
            word = written.qualifier(qualifier)
            size = ctx.styles["headline_label"].fontSize
            markup = f"<font size='{size}'>{escape(word)}</font> {markup}"
            value = f"{word} {value}"
        # heard as one sentence ("Total, 2018–2022: US$ 63.0 million"), not as fragments
        spoken = fill_pattern(labels.headline_spoken, {
            "label": label, "amount": written.money(amount, qualifier)})
        cells.append(Figure(value, markup, escape(label.upper() if upper else label),
                            ctx.tags.add("P", actual=spoken)))

    def styles(scale: float) -> tuple[Any, Any]:
        value = ctx.styles["headline_value"]
        return (value.clone("headline_value_fit", fontSize=value.fontSize * scale,
                            leading=value.leading * scale), ctx.styles["headline_label"])

    pad = 8 if settings.headline_fill is not None else 0

    def commands(rows: int) -> list[tuple]:
        out: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), ctx.styles["body"].fontName),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        if settings.headline_fill is not None:
            out.append(("BACKGROUND", (0, 0), (-1, -1), settings.headline_fill))
        if settings.headline_rule is not None:
            out.append(("LINEABOVE", (0, 0), (-1, 0), 2, settings.headline_rule))
        return out

    row = HeadlineRow(cells, styles, commands, pad + 8)
    row.spaceBefore = ctx.styles["body"].spaceAfter
    row.spaceAfter = ctx.styles["body"].spaceAfter * 1.5
    return [row]
