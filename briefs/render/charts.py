"""The contributions chart: matplotlib lays it out, ReportLab draws it as vector graphics.

The narrow interface — `chart_drawing(funding, style, width) -> Picture` — hides how the
figure reaches the PDF: `briefs.mplrender` records matplotlib's drawing calls as canvas
operations, with text measured and drawn in the PDF's own embedded font, so chart labels are
real, searchable text and nothing is rasterised.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from briefs.contract.model import Funding
from briefs.render.axes import blank_axes, kept_bars, rc_settings, shown_legend
from briefs.render.legend import BELOW, YEARS, legend_layout
from briefs.render.legend import OPTIONS as LEGEND
from briefs.text import fill, number, percent, typography
from briefs.text import millions as text_millions


@dataclass(frozen=True)
class ChartStyle:
    """What the chart needs from the layout, resolved to plain values."""

    width: float  # points
    height: float  # points
    font_size: float
    font_name: str  # ReportLab's names of the regular and bold faces
    bold_name: str
    text: str
    grid: str
    colors: tuple[str, ...]  # one per channel in `labels` order
    labels: tuple[str, ...]  # channel labels in channel order
    codes: tuple[str, ...]
    decimal_mark: str = ""  # empty: the language's
    decimals: int = 1
    kind: str = "bars"  # or "donut"
    locale: str = "en"  # the brief's language: decimal mark, grouping, percentages
    center: str = ""  # donut: the text in the hole, {total} filled in
    qualifiers: tuple[tuple[str, str], ...] = ()  # ("about", "environ"): how each is printed


def millions(amount: float, style: ChartStyle) -> str:
    """An amount as the chart prints it: the number of `briefs.text.millions`, in the
    layout's decimals and decimal mark, like every other figure of the brief."""
    return text_millions(amount, style.decimals, style.decimal_mark, style.locale)


def qualifier_word(qualifier: str, style: ChartStyle) -> str:
    """How the chart's language writes a qualifier ('environ'); empty for none."""
    return dict(style.qualifiers).get(qualifier, qualifier) if qualifier else ""


def qualified(amount: float, qualifier: str, style: ChartStyle) -> str:
    """An amount as the chart's legend prints it with its qualifier's word ('about 41.8'), so
    that an approximate amount or a lower bound is never shown as exact."""
    word = qualifier_word(qualifier, style)
    return f"{word} {millions(amount, style)}" if word else millions(amount, style)


def signed(amount: float, qualifier: str, style: ChartStyle) -> str:
    """An amount at the end of its bar, its qualifier as a sign ('> 39.0', '≈ 21.2'): the
    words would take the bars' room in a narrow column. The title, the legend and the
    chart's description give the words."""
    if not qualifier:
        return millions(amount, style)
    from reportlab.pdfbase.pdfmetrics import getFont

    about = "\u2248" if 0x2248 in getFont(style.bold_name).face.charToGlyph else "~"
    return f"{'>' if qualifier == 'more than' else about}\u00a0{millions(amount, style)}"


# every chart keeps at least this room for its plot (the bars, the ring), in points; the
# page inspection holds the laid-out charts to the same limits
MIN_PLOT_HEIGHT = 70.0  # about 25 mm: a scale with three readable ticks
MIN_PLOT_WIDTH = 110.0  # about 39 mm


@lru_cache(maxsize=4)
def chart_drawing(funding: Funding, style: ChartStyle, width: float | None = None) -> Any:
    """A recorded Picture of the funding: stacked bars per year, channel totals or a donut.

    The chart takes the layout's height, or more when that would leave its plot under the
    minimum or its legend outside it: a narrow column or twelve channels make it taller,
    never squeezed. Cached: laying a brief out twice (to balance its last page) draws its
    chart once. The cache is small on purpose: a worker builds hundreds of briefs.
    """
    from briefs.render.mplimport import load_matplotlib

    load_matplotlib()  # before mplrender imports any of it
    from briefs.render.mplrender import record

    rc = dict(_rc(style))
    width = width or style.width
    draw = _donut if style.kind == "donut" else _yearly if funding.yearly else \
        _totals_stacked if _narrow(funding, style, width) else _totals
    height = chart_height(funding, style, width)
    with rc_settings(rc):
        ax = blank_axes(draw.__name__, rc, width, height)
        draw(ax, funding, style, width, height)
        picture = record(ax.figure, style.font_name, style.bold_name)
        box = ax.get_position()
        picture.plot = (float(box.width * width), float(box.height * height))
        picture.axis = "x" if draw in (_totals, _totals_stacked) else "y"
        return picture


def _rc(style: ChartStyle) -> tuple[tuple[str, Any], ...]:
    """The chart's matplotlib settings, as a key for caches."""
    return (("font.size", style.font_size), ("text.color", style.text),
            ("text.parse_math", False),  # a '$' in a label is a dollar sign, not mathematics
            ("axes.edgecolor", style.grid), ("axes.labelcolor", style.text),
            ("xtick.color", style.text), ("ytick.color", style.text), ("axes.linewidth", 0.6))


def chart_height(funding: Funding, style: ChartStyle, width: float) -> float:
    """The height `chart_drawing` gives the chart at `width`, without drawing it: the
    layout's, or what its plot and legend need. Laying a brief out asks for the chart's
    height at several widths and heights; only the one that lands on the page is drawn."""
    size = style.font_size
    if style.kind == "donut":
        rows = len([c for c in funding.channels if c.amount_usd > 0])
        return max(style.height, rows * size * 1.9 + size)
    if funding.yearly:
        return max(style.height, MIN_PLOT_HEIGHT + size * 2.8 +
                   _legend(funding, style, width)[1])
    if _narrow(funding, style, width):
        return sum(_stacked_rows(funding, style, width)) + size * 2.9  # no empty band
    lines = sum(max(1.6, 1.3 * _label(style, c.channel.code, width).count("\n") + 1.3)
                for c in funding.channels)
    return max(style.height, lines * size * 1.15 + size * 2.9)


def _narrow(funding: Funding, style: ChartStyle, width: float) -> bool:
    """Whether the channels' labels beside the bars would leave the bars too little width:
    then each label goes above its bar, and the bars take the column's whole width."""
    widest = max((_text_width(_label(style, c.channel.code, width), style)
                  for c in funding.channels), default=0.0)
    return width - widest - style.font_size * 6 < MIN_PLOT_WIDTH


def _stacked_rows(funding: Funding, style: ChartStyle, width: float) -> list[float]:
    """Height in points of each channel's row when its label sits above its bar."""
    size = style.font_size
    return [(_wide_label(style, c.channel.code, width).count("\n") + 1) * size * 1.2
            + size * 1.4 + size * 0.6 for c in funding.channels]


def _wide_label(style: ChartStyle, code: str, width: float) -> str:
    return _wrapped(style.labels[style.codes.index(code)],
                    max(12, int(width / (style.font_size * 0.55))))


@lru_cache(maxsize=256)
def _wrapped(label: str, chars: int) -> str:
    """A label wrapped at words to lines of `chars` characters. Cached: a brief's chart
    wraps its channels' labels a few times each (its height is asked at several widths),
    and a worker's briefs share them."""
    return textwrap.fill(label, chars, break_long_words=False, break_on_hyphens=False)


def _text_width(text: str, style: ChartStyle, bold: bool = False, scale: float = 1.0) -> float:
    """Width in points of a (possibly multi-line) label, with the PDF's own font metrics.

    Margins are computed from these instead of matplotlib's tight_layout, which lays the
    whole figure out twice and was a third of a chart's cost.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name = style.bold_name if bold else style.font_name
    return max(stringWidth(line, name, style.font_size * scale) for line in text.split("\n"))


def _margins(ax: Any, width: float, height: float, left: float, right: float, bottom: float,
             top: float) -> None:
    ax.figure.subplots_adjust(left=left / width, right=1 - right / width,
                              bottom=bottom / height, top=1 - top / height)


def _color(style: ChartStyle, code: str) -> str:
    return style.colors[style.codes.index(code)]


def _label(style: ChartStyle, code: str, width: float) -> str:
    """A channel's label wrapped at words, to about a third of the chart's width."""
    return _wrapped(style.labels[style.codes.index(code)],
                    max(12, min(28, int(width * 0.36 / (style.font_size * 0.55)))))


def _tick_label(value: float, style: ChartStyle) -> str:
    """A value tick's label written as the brief writes numbers ('2,5' in French), with as
    many decimals as the tick needs (matplotlib's own labels are English)."""
    text = f"{value:.6g}"
    decimals = len(text.partition(".")[2]) if "e" not in text else 0
    return number(value, decimals, style.decimal_mark, style.locale)


def _fixed_ticks(axis: Any, values: Any, labels: list[str]) -> None:
    """Ticks at `values` labelled `labels`, fixed: drawing neither locates nor formats them,
    and an axis drawn again with the same ticks can say so (`KeptXAxis`). Unlike
    `set_ticks`, the view is left as it is."""
    from matplotlib.ticker import FixedFormatter, FixedLocator

    axis.set_major_locator(FixedLocator(values))
    axis.set_major_formatter(FixedFormatter(labels))


def _value_ticks(axis: Any, length: float, size: float, style: ChartStyle) -> float:
    """Set the value axis's ticks and their labels; return the widest label's width.

    No more ticks than the plot has room for: one per three lines of type, where
    matplotlib's MaxNLocator puts them in the axis's view (set before). The ticks and labels
    are computed here once and fixed, so that drawing the chart does not locate and format
    them again; the view is final, so they are the ticks the locator would give at drawing.
    The widest label that is shown matters: '2.5' is wider than the '6' at the top of a
    scale from 0 to 6, and ran out of the chart when the margin was the top's.
    """
    from matplotlib.ticker import MaxNLocator

    low, high = axis.get_view_interval()
    locator = MaxNLocator(nbins=max(3, int(length / (size * 3.2))), steps=[1, 2, 2.5, 5, 10])
    values = locator.tick_values(low, high)
    labels = [_tick_label(value, style) for value in values]
    _fixed_ticks(axis, values, labels)
    return max((_text_width(label, style) for label, value in zip(labels, values, strict=True)
                if low - 1e-9 <= value <= high + 1e-9), default=0.0)


def _totals_stacked(ax: Any, funding: Funding, style: ChartStyle, width: float,
                    height: float) -> None:
    """Channel totals in a narrow column: each label above its bar, the bars full width.

    The y axis is in points from the plot's top, so rows keep their heights at any count.
    """
    size = style.font_size
    rows = _stacked_rows(funding, style, width)
    amounts = [signed(c.amount_usd, c.qualifier, style) for c in funding.channels]
    room = max((_text_width(a, style, bold=True) for a in amounts), default=0) + size
    _margins(ax, width, height, left=size * 0.2, right=room, bottom=size * 2.4,
             top=height - size * 2.4 - sum(rows) if height > sum(rows) + size * 2.4 else 0)
    values = [c.amount_usd / 1e6 for c in funding.channels]
    top_value = max(values, default=1) or 1
    y = 0.0
    for row, channel, value, amount in zip(rows, funding.channels, values, amounts,
                                           strict=True):
        bar_centre = y + row - size * 0.6 - size * 0.7
        ax.barh([bar_centre], [value], height=size * 1.4,
                color=_color(style, channel.channel.code))
        ax.text(0, bar_centre - size * 0.95, _wide_label(style, channel.channel.code, width),
                va="bottom", ha="left", color=style.text)
        ax.text(value + top_value * 0.015, bar_centre, amount, va="center", ha="left",
                fontweight="bold", color=style.text)
        y += row
    ax.set_ylim(y, 0)  # points from the top, downwards
    ax.set_xlim(0, top_value * 1.02)
    _value_ticks(ax.xaxis, width - room, size * 1.6, style)


def _totals(ax: Any, funding: Funding, style: ChartStyle, width: float, height: float) -> None:
    channels = list(funding.channels)[::-1]  # first channel on top
    values = [c.amount_usd / 1e6 for c in channels]
    positions = range(len(channels))
    ax.barh(positions, values, height=0.55,
            color=[_color(style, c.channel.code) for c in channels])
    labels = [_label(style, c.channel.code, width) for c in channels]
    ax.set_yticks(list(positions), labels)
    widest = max((_text_width(label, style) for label in labels), default=0)
    size = style.font_size
    amounts = [signed(c.amount_usd, c.qualifier, style) for c in channels]
    room = max((_text_width(a, style, bold=True) for a in amounts), default=0) + size
    _margins(ax, width, height, left=widest + size, right=room,
             bottom=size * 2.4, top=size * 0.5)
    top = max(values, default=1) or 1
    for y, amount, value in zip(positions, amounts, values, strict=True):
        ax.text(value + top * 0.015, y, amount, va="center", ha="left", fontweight="bold",
                color=style.text)
    ax.set_xlim(0, top * 1.02)
    _value_ticks(ax.xaxis, width - widest - room - size, size * 1.6, style)


def _legend(funding: Funding, style: ChartStyle, width: float) -> tuple[int, float]:
    """Columns and height of a per-year chart's legend, set under the plot in `width`."""
    codes = [code for code in style.codes if any(c == code and a for _, c, a in funding.yearly)]
    labels = tuple(_label(style, c, width * 2) for c in codes)
    widths = [style.font_size * 3.0 + _text_width(label, style) for label in labels]
    return legend_layout(labels, widths, width, _rc(style), style.font_name, style.bold_name)


def _yearly(ax: Any, funding: Funding, style: ChartStyle, width: float, height: float) -> None:
    years = sorted({y for y, _, _ in funding.yearly})
    handles, labels, _ = _stacked_bars(ax, funding, style, years, width * 2)
    size = style.font_size
    columns, legend_height = _legend(funding, style, width)
    plot_height = height - size * 2.8 - legend_height
    left = _value_ticks(ax.yaxis, plot_height, size, style) + size * 1.2
    _margins(ax, width, height, left=left, right=size * 0.5,
             bottom=size * YEARS + legend_height, top=size * 0.6)
    # every year when there is room, else every second, fifth, tenth…: labels never touch
    plot_width = width - left - size * 0.5
    room = plot_width / max(1, len(years))
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100)
                if s * room >= _text_width("0000", style) + size * 0.8 or s == 100)
    shown = [y for y in years if (years[-1] - y) % step == 0]
    _fixed_ticks(ax.xaxis, shown, [str(y) for y in shown])
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
    shown_legend(ax, handles, labels, ncol=columns,
                 bbox_to_anchor=(0.5, -size * BELOW / plot_height), **LEGEND)


def _stacked_bars(ax: Any, funding: Funding, style: ChartStyle, years: list[int],
                  wrap: float) -> tuple[list[Any], list[str], list[float]]:
    """Each channel's bars over the years, stacked in channel order; returns the legend's
    handles (each channel's first bar), its labels, and the stacks' tops.

    The bars are matplotlib's own rectangles, as `Axes.bar` makes them but kept from chart
    to chart (`kept_bars`) and never growing the data limits bar by bar (a fifth of a
    chart's cost): the value axis is set as matplotlib's autoscaling would set it, from 0
    to the top plus 5 %.
    """
    xs: list[int] = []
    heights: list[float] = []
    starts: list[float] = []
    colors: list[str] = []
    firsts: list[int] = []
    labels: list[str] = []
    bottoms = [0.0] * len(years)
    for code in style.codes:
        values = [sum(a for y, c, a in funding.yearly if y == year and c == code) / 1e6
                  for year in years]
        if not any(values):
            continue
        firsts.append(len(xs))
        labels.append(_label(style, code, wrap))
        xs += years
        heights += values
        starts += bottoms
        colors += [_color(style, code)] * len(years)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    if not xs:
        return [], [], bottoms
    bars = kept_bars(ax, len(xs))
    for bar, x, value, start, color in zip(bars, xs, heights, starts, colors, strict=True):
        bar.set_bounds(x - 0.62 / 2, start, 0.62, value)
        bar.set_facecolor(color)
        bar.sticky_edges.y[:] = [start]
        bar.set_visible(True)
    top = max(bottoms)
    ax.set_ylim(0, top + top * 0.05)
    return [bars[i] for i in firsts], labels, bottoms


# the donut's ring; its wedges have no labels of their own (labeldistance=None: matplotlib
# would make an empty text for each), the legend beside names them
RING = {"width": 0.3, "edgecolor": "white", "linewidth": 1.2}


def _donut(ax: Any, funding: Funding, style: ChartStyle, width: float, height: float) -> None:
    """Each channel's share of the period's total, the total in the hole, a legend beside."""
    channels = [c for c in funding.channels if c.amount_usd > 0]
    total = funding.total_usd
    if not channels:  # a period of zeros: an empty ring in the grid colour, every channel 0
        channels = list(funding.channels)
        ax.pie([1], colors=[style.grid], startangle=90, radius=1.0, labeldistance=None,
               wedgeprops=RING)
        ax.patches[0].set_alpha(0.5)
    else:
        ax.pie([c.amount_usd for c in channels],
               colors=[_color(style, c.channel.code) for c in channels],
               startangle=90, counterclock=False, radius=1.0, labeldistance=None,
               wedgeprops=RING)
    ax.set_aspect("equal")
    if style.center:
        center = fill(style.center, {"total": millions(total, style)})
        word = qualifier_word(funding.total_qualifier, style)
        if word:  # an approximate total is never shown as exact: its word on a line above
            center = f"{word}\n{center}"
        ax.text(0, 0, center, ha="center", va="center", fontweight="bold",
                fontsize=style.font_size * 1.15, color=style.text)
    spaced = typography(style.locale) or (lambda text: text)
    labels = [spaced(f"{c.channel.label}: {qualified(c.amount_usd, c.qualifier, style)} "
                     f"({percent(c.amount_usd / total, style.locale)})")
              if total else c.channel.label for c in channels]
    size = style.font_size
    diameter = style.height - size
    legend = max((_text_width(label, style) for label in labels), default=0) + size * 3
    group = diameter + size * 2 + legend
    left = max(0.0, (width - group) / 2)
    ax.set_position([left / width, (height - diameter) / 2 / height, diameter / width,
                     diameter / height])
    from matplotlib.patches import Patch

    handles = [Patch(color=_color(style, c.channel.code)) for c in channels]
    ax.legend(handles, labels, loc="center left",
              bbox_to_anchor=(1 + size * 2 / diameter, 0.5),
              frameon=False, handlelength=1.0, labelspacing=0.9)
