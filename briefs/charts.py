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

from .model import Funding


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
    decimal_mark: str = "."
    decimals: int = 1
    kind: str = "bars"  # or "donut"
    center: str = ""  # donut: the text in the hole, {total} filled in


def millions(amount: float, style: ChartStyle) -> str:
    text = f"{amount / 1e6:.{style.decimals}f}"
    return text.replace(".", style.decimal_mark)


@lru_cache(maxsize=64)
def chart_drawing(funding: Funding, style: ChartStyle, width: float | None = None) -> Any:
    """A recorded Picture of the funding: stacked bars per year, channel totals or a donut.

    Cached: laying a brief out twice (to balance its last page) draws its chart once.
    """
    import matplotlib
    from matplotlib.figure import Figure

    from .mplrender import record

    rc = {
        "font.size": style.font_size,
        "text.color": style.text,
        "text.parse_math": False,  # a '$' in a label is a dollar sign, not mathematics
        "axes.edgecolor": style.grid,
        "axes.labelcolor": style.text,
        "xtick.color": style.text,
        "ytick.color": style.text,
        "axes.linewidth": 0.6,
    }
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=((width or style.width) / 72, style.height / 72), dpi=72)
        ax = fig.add_subplot()
        if style.kind == "donut":
            _donut(ax, funding, style)
        elif funding.yearly:
            _yearly(ax, funding, style)
        else:
            _totals(ax, funding, style)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return record(fig, style.font_name, style.bold_name)


def _color(style: ChartStyle, code: str) -> str:
    return style.colors[style.codes.index(code)]


def _label(style: ChartStyle, code: str, width: int = 24) -> str:
    return textwrap.fill(style.labels[style.codes.index(code)], width)


def _totals(ax: Any, funding: Funding, style: ChartStyle) -> None:
    channels = list(funding.channels)[::-1]  # first channel on top
    values = [c.amount_usd / 1e6 for c in channels]
    positions = range(len(channels))
    ax.barh(positions, values, height=0.55,
            color=[_color(style, c.channel.code) for c in channels])
    ax.set_yticks(list(positions), [_label(style, c.channel.code) for c in channels])
    top = max(values, default=1) or 1
    for y, c in zip(positions, channels, strict=True):
        ax.text(c.amount_usd / 1e6 + top * 0.015, y, millions(c.amount_usd, style),
                va="center", ha="left", fontweight="bold", color=style.text)
    ax.set_xlim(0, top * 1.15)
    ax.tick_params(axis="y", length=0)
    ax.xaxis.grid(True, color=style.grid, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)


def _yearly(ax: Any, funding: Funding, style: ChartStyle) -> None:
    years = sorted({y for y, _, _ in funding.yearly})
    bottoms = [0.0] * len(years)
    for code in style.codes:
        values = [sum(a for y, c, a in funding.yearly if y == year and c == code) / 1e6
                  for year in years]
        if not any(values):
            continue
        ax.bar(years, values, bottom=bottoms, width=0.62, color=_color(style, code),
               label=_label(style, code, 40))
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    ax.set_xticks(years, [str(y) for y in years])
    ax.yaxis.grid(True, color=style.grid, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(3, len(style.codes)),
              frameon=False, handlelength=1, columnspacing=1.2)


def _donut(ax: Any, funding: Funding, style: ChartStyle) -> None:
    """Each channel's share of the period's total, the total in the hole, a legend beside."""
    channels = [c for c in funding.channels if c.amount_usd > 0]
    total = funding.total_usd
    ax.pie([c.amount_usd for c in channels],
           colors=[_color(style, c.channel.code) for c in channels],
           startangle=90, counterclock=False, radius=1.0,
           wedgeprops={"width": 0.3, "edgecolor": "white", "linewidth": 1.2})
    ax.set_aspect("equal")
    center = style.center.replace("{total}", millions(total, style))
    ax.text(0, 0, center, ha="center", va="center", fontweight="bold",
            fontsize=style.font_size * 1.15, color=style.text)
    labels = [f"{c.channel.label}: {millions(c.amount_usd, style)} "
              f"({100 * c.amount_usd / total:.0f}%)" if total else c.channel.label
              for c in channels]
    ax.legend(ax.patches, labels, loc="center left", bbox_to_anchor=(1.05, 0.5),
              frameon=False, handlelength=1.0, labelspacing=0.9)
