"""The money a brief reports, computed from contribution rows, never typed.

A brief uses the rows that lie inside its period. A row that straddles the period's edge is an
error, because splitting a period total by guesswork would print a number nobody published.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefs.contract.model import Channel, ChannelAmount, Contribution, Funding
from briefs.errors import Collector


def funding_for(donor: str, period: tuple[int, int], rows: Sequence[Contribution],
                channels: dict[str, Channel], problems: Collector, profile_name: str,
                table_name: str, period_line: int | None = None) -> Funding:
    start, end = period
    inside: list[Contribution] = []
    for row in rows:
        if row.donor != donor or row.end_year < start or row.start_year > end:
            continue
        if row.start_year >= start and row.end_year <= end:
            inside.append(row)
            continue
        problems.add(profile_name, f"[{start}, {end}] only partly covers {table_name}:"
                     f"{row.line} ({row.channel} {row.start_year}–{row.end_year}) — set the "
                     f"period to cover the whole row, or split that row into single years",
                     line=period_line, field="period")
    amounts: list[ChannelAmount] = []
    for code, channel in channels.items():
        mine = [r for r in inside if r.channel == code]
        if not mine:
            continue
        qualifiers = {r.qualifier for r in mine} - {""}
        qualifier = "about" if "about" in qualifiers else "more than" if qualifiers else ""
        amounts.append(ChannelAmount(channel, sum(r.amount_usd for r in mine), qualifier))
    yearly: tuple[tuple[int, str, float], ...] = ()
    years = {r.start_year for r in inside}
    if inside and all(r.start_year == r.end_year for r in inside) and len(years) > 1:
        yearly = tuple(sorted((r.start_year, r.channel, r.amount_usd) for r in inside))
    return Funding(period, tuple(amounts), yearly)
