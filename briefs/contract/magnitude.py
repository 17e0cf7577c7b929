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
    """Warn about amounts that look typed in millions: tiny, or far below their siblings."""
    for row in rows:
        if 0 < row.amount_usd < SMALL:
            problems.warn(name, f"amount_usd: {row.donor} {row.channel} {row.start_year}–"
                          f"{row.end_year} is US$ {row.amount_usd:g}, under US$ 1,000 — "
                          "was it typed in millions? amount_usd is in US dollars "
                          f"({row.amount_usd:g} million is {row.amount_usd * 1e6:.0f})",
                          line=row.line)
            continue
        others = [_per_year(r) for r in rows if r is not row and r.donor == row.donor
                  and r.channel == row.channel and r.amount_usd > 0]
        if row.amount_usd > 0 and others and \
                _per_year(row) * FACTOR <= statistics.median(others):
            problems.warn(name, f"amount_usd: {row.donor} {row.channel} {row.start_year}–"
                          f"{row.end_year} is US$ {row.amount_usd:,.0f}, a thousand times "
                          f"less a year than its other rows for {row.donor} {row.channel} — "
                          "was it typed in millions or thousands? amount_usd is in US "
                          "dollars", line=row.line)


def _per_year(row: Contribution) -> float:
    return row.amount_usd / (row.end_year - row.start_year + 1)
