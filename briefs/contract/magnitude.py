"""Amounts that look typed in millions (or thousands) among US dollars.

Published fact sheets print millions ("124.5"); a row copied from one reads as US$ 124.50.
These are warnings, not errors: a small grant is possible, so the officer is asked, by row.
"""

from __future__ import annotations

import statistics

from briefs.contract.model import Contribution
from briefs.errors import Collector

# Under this, or 1,000 times below the same donor and channel's other years: typed in millions?
SMALL = 1_000
FACTOR = 1_000


def check_magnitudes(rows: list[Contribution], problems: Collector, name: str) -> None:
    """Warn about amounts that look typed in millions: tiny, or far below their siblings.

    A row's siblings are found among its donor and channel's rows, grouped once: scanning
    the whole table for each row took minutes for a few thousand donors."""
    siblings: dict[tuple[str, str], list[Contribution]] = {}
    for row in rows:
        if row.amount_usd > 0:
            siblings.setdefault((row.donor, row.channel), []).append(row)
    largest = {key: max(_per_year(r) for r in group) for key, group in siblings.items()}
    for row in rows:
        if 0 < row.amount_usd < SMALL:
            problems.warn(name, f"amount_usd: {row.donor} {row.channel} {row.start_year}–"
                          f"{row.end_year} is US$ {row.amount_usd:g}, under US$ 1,000 — "
                          "was it typed in millions? amount_usd is in US dollars "
                          f"({row.amount_usd:g} million is {row.amount_usd * 1e6:.0f})",
                          line=row.line)
            continue
        if _per_year(row) * FACTOR > largest.get((row.donor, row.channel), 0.0):
            continue  # no sibling is a thousand times larger: their median cannot be
        others = [_per_year(r) for r in siblings.get((row.donor, row.channel), [])
                  if r is not row]
        if row.amount_usd > 0 and others and \
                _per_year(row) * FACTOR <= statistics.median(others):
            problems.warn(name, f"amount_usd: {row.donor} {row.channel} {row.start_year}–"
                          f"{row.end_year} is US$ {row.amount_usd:,.0f}, a thousand times "
                          f"less a year than its other rows for {row.donor} {row.channel} — "
                          "was it typed in millions or thousands? amount_usd is in US "
                          "dollars", line=row.line)


def _per_year(row: Contribution) -> float:
    return row.amount_usd / (row.end_year - row.start_year + 1)
