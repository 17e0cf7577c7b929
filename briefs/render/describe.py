"""The words a screen reader says for a chart, generated from the figures it draws.

A chart is a Figure in the tagged PDF and needs a description (its /Alt). It is written from
the same Funding the chart is drawn from, so it can never disagree with the picture, and in
the layout's words (`labels.chart_description_*`), so a layout in another language describes
its charts in that language. Many years are summarised (lowest, highest) rather than read out
one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefs.contract.model import Funding
from briefs.text import fill

MANY_YEARS = 6  # more years than this are summarised


@dataclass(frozen=True)
class ChartWording:
    """The layout's patterns for a chart description; see the layout reference."""

    years: str  # a per-year bar chart; {short_name}, {period}
    totals: str  # channel totals
    donut: str  # shares of the total
    channel: str  # {label}, {amount}, {share}
    year: str  # one year of a channel: {year}, {amount}
    summary: str  # many years: {low}, {low_year}, {high}, {high_year}
    total: str  # {amount}


def _whole_percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def describe_chart(funding: Funding, kind: str, wording: ChartWording,
                   values: dict[str, str], amount: Callable[[float, str], str],
                   percent: Callable[[float], str] = _whole_percent) -> str:
    """One paragraph: what the chart is, each channel's amount (and years), the total.

    `amount(usd, qualifier)` writes an amount as the PDF does; channels and the total carry
    their qualifiers ("more than …"), so the description says what the page says. `percent`
    writes a share as the brief's language does ('45 %' in French).
    """
    yearly = bool(funding.yearly) and kind == "bars"
    pattern = wording.donut if kind == "donut" else wording.years if yearly else wording.totals
    sentences = [fill(pattern, values)]
    total = funding.total_usd
    for item in funding.channels:
        share = percent(item.amount_usd / total) if total else ""
        line = fill(wording.channel, {**values, "label": item.channel.label,
                                           "amount": amount(item.amount_usd, item.qualifier),
                                           "share": share})
        if yearly:
            line += " " + _years(funding, item.channel.code, wording, values, amount)
        sentences.append(line)
    sentences.append(fill(wording.total, {**values,
                                          "amount": amount(total, funding.total_qualifier)}))
    return " ".join(s.strip() for s in sentences if s.strip())


def _years(funding: Funding, code: str, wording: ChartWording, values: dict[str, str],
           amount: Callable[[float, str], str]) -> str:
    # each year's sum, added in the rows' order from 0 as `sum` adds: the same float
    sums: dict[int, float] = dict.fromkeys(sorted({y for y, _, _ in funding.yearly}), 0)
    for year, channel, usd in funding.yearly:
        if channel == code:
            sums[year] += usd
    per_year = list(sums.items())
    if len(per_year) > MANY_YEARS:
        low = min(per_year, key=lambda p: p[1])
        high = max(per_year, key=lambda p: p[1])
        return fill(wording.summary, {**values, "low": amount(low[1], ""),
                                           "low_year": str(low[0]), "high": amount(high[1], ""),
                                           "high_year": str(high[0])})
    return "; ".join(fill(wording.year, {**values, "year": str(y), "amount": amount(a, "")})
                     for y, a in per_year) + "."
