"""The money a brief reports, computed from contribution rows, never typed.

Each rule here is written once and used by everything that shows money: the PDF, `diff`,
`list`, `new-edition` and the mail.

- **The rows a brief uses** (`rows_used`): the donor's rows that lie wholly inside the brief's
  period. A row that only partly overlaps the period is not used, so per-year rows and rolling
  period totals (2018–2022, then 2019–2023) live side by side and each edition takes its own.
- **Coverage** (`coverage_problems`): per channel, the rows used must not overlap (that would
  count money twice) and must cover every year of the period; a year with no money is a row
  with amount 0. A channel with no row at all is "not reported", which is not zero.
- **The qualifier of a sum** (`combined_qualifier`): "about" when any part is about, else
  "more than" when any part is a lower bound, else none. A channel's amount and the total of
  a brief follow the same rule.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from briefs.contract.model import Channel, ChannelAmount, Contribution, Funding
from briefs.errors import Collector

# A total that prints as "0.0" at one decimal in millions is under US$ 50,000.
PRINTS_AS_ZERO = 50_000
YEAR_WITH_NO_MONEY = "a year with no money is a row with amount_usd 0"


def combined_qualifier(qualifiers: Iterable[str]) -> str:
    """The qualifier of a sum of amounts with these qualifiers.

    Adding an approximate amount makes the sum approximate ("about"); adding a lower bound to
    exact amounts gives a lower bound ("more than"); exact parts give an exact sum.
    """
    found = set(qualifiers)
    if "about" in found:
        return "about"
    return "more than" if "more than" in found else ""


def inside(row: Contribution, period: tuple[int, int]) -> bool:
    """Whether the row's years lie wholly inside the period."""
    return period[0] <= row.start_year and row.end_year <= period[1]


def rows_used(donor: str, period: tuple[int, int],
              rows: Iterable[Contribution]) -> list[Contribution]:
    """The rows a brief of `donor` over `period` adds up, in the table's order."""
    return [r for r in rows if r.donor == donor and inside(r, period)]


def partly_inside(donor: str, period: tuple[int, int],
                  rows: Iterable[Contribution]) -> list[Contribution]:
    """The donor's rows that share some years with the period but are not wholly inside it."""
    start, end = period
    return [r for r in rows if r.donor == donor and not inside(r, period)
            and r.end_year >= start and r.start_year <= end]


def runs_text(numbers: list[int]) -> str:
    """Years (or line numbers) with consecutive runs joined: '2019, 2021–2023'."""
    parts: list[list[int]] = []
    for year in sorted(numbers):
        if parts and parts[-1][-1] == year - 1:
            parts[-1].append(year)
        else:
            parts.append([year])
    return ", ".join(str(p[0]) if len(p) == 1 else f"{p[0]}–{p[-1]}" for p in parts)


def coverage_problems(used: list[Contribution], period: tuple[int, int],
                      problems: Collector, profile_name: str, table_name: str,
                      period_line: int | None = None) -> None:
    """Overlaps and missing years among the rows a brief uses, each said once."""
    start, end = period
    by_channel: dict[str, list[Contribution]] = {}
    for row in used:
        by_channel.setdefault(row.channel, []).append(row)
    for channel, group in by_channel.items():
        clashing = {r.line: r for a, b in itertools.combinations(group, 2)
                    if a.start_year <= b.end_year and b.start_year <= a.end_year
                    for r in (a, b)}
        if clashing:
            last = clashing[max(clashing)]
            spans = ", ".join(f"{r.start_year}–{r.end_year}"
                              for _, r in sorted(clashing.items()))
            problems.add(table_name, f"{last.donor} {channel}: the rows on lines "
                         f"{runs_text(list(clashing))} ({spans}) overlap inside the period "
                         f"{start}–{end} of {profile_name} — the same money would be counted "
                         "twice; keep either the period total or the rows it sums",
                         line=last.line, field="start_year")
    covered = {c: {y for r in g for y in range(r.start_year, r.end_year + 1)}
               for c, g in by_channel.items()}
    if covered and all(end not in years for years in covered.values()):
        problems.add(profile_name, f"[{start}, {end}]: {table_name} has no figures for {end} "
                     f"yet, for any channel — {end}'s figures are not in yet: add them when "
                     f"they are published, or end the period in {end - 1}",
                     line=period_line, field="period")
        covered = {c: years | {end} for c, years in covered.items()}
    for channel, years in covered.items():
        missing = [y for y in range(start, end + 1) if y not in years]
        if missing:
            problems.add(profile_name, f"[{start}, {end}]: {table_name} has no {channel} row "
                         f"for {runs_text(missing)} — add the missing years ({YEAR_WITH_NO_MONEY}"
                         "), or change the period", line=period_line, field="period")


def funding_for(donor: str, period: tuple[int, int], rows: list[Contribution],
                channels: dict[str, Channel], problems: Collector, profile_name: str,
                table_name: str, period_line: int | None = None) -> Funding:
    """The brief's money per channel, from the rows it uses; coverage problems collected."""
    used = rows_used(donor, period, rows)
    coverage_problems(used, period, problems, profile_name, table_name, period_line)
    amounts: list[ChannelAmount] = []
    for code, channel in channels.items():
        mine = [r for r in used if r.channel == code]
        if mine:
            amounts.append(ChannelAmount(channel, sum(r.amount_usd for r in mine),
                                         combined_qualifier(r.qualifier for r in mine)))
    funding = Funding(period, tuple(amounts), _yearly(used))
    if 0 < funding.total_usd < PRINTS_AS_ZERO:
        problems.add(profile_name, f"the total for {period[0]}–{period[1]} is US$ "
                     f"{funding.total_usd:,.2f}, which would print as US$ 0.0 million — "
                     f"amount_usd in {table_name} is in US dollars, not millions",
                     line=period_line, field="period")
    return funding


def _yearly(used: list[Contribution]) -> tuple[tuple[int, str, float], ...]:
    """(year, channel, amount) when every row used is a single year and there are several."""
    years = {r.start_year for r in used}
    if used and all(r.start_year == r.end_year for r in used) and len(years) > 1:
        return tuple(sorted((r.start_year, r.channel, r.amount_usd) for r in used))
    return ()
