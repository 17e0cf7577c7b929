"""Totals stated in a profile's own words, checked against the totals computed from the rows.

Published fact sheets get this wrong (Korea 2018–2022 printed 63.1 for 41.8 + 21.2 = 63.0), and
a brief's text is copied from them. A figure in millions in a sentence about contributions or a
total that matches no amount the brief computes is a warning: the text may speak of something
else, so it is not refused.
"""

from __future__ import annotations

import re

from briefs.contract.model import Funding, Profile
from briefs.errors import Collector

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ABOUT_MONEY = re.compile(r"contribut|\btotal", re.IGNORECASE)
_MILLIONS = re.compile(r"(?<![\d.,])(\d{1,6}(?:[.,]\d+)?)\s*(?:million|mn)\b", re.IGNORECASE)
# what every match of _MILLIONS holds (its last digit, the space, the word): a paragraph
# without it states no figure, and is not cut into sentences at all
_MILLIONS_AT_ALL = re.compile(r"\d\s*(?:million|mn)", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"(\n\s*\n)")


def stated_figures(body: str) -> list[tuple[int, str, float, float]]:
    """(line index in `body`, as written, value, rounding) of each figure in millions stated
    in a sentence about contributions or a total."""
    found: list[tuple[int, str, float, float]] = []
    if not _MILLIONS_AT_ALL.search(body):
        return found
    offset = 0
    for paragraph in _PARAGRAPHS.split(body):
        if _MILLIONS_AT_ALL.search(paragraph):
            found.extend(figures_in(paragraph, body, offset))
        offset += len(paragraph)
    return found


def figures_in(paragraph: str, body: str, offset: int) -> list[tuple[int, str, float, float]]:
    """The figures `stated_figures` finds in one paragraph of `body`, which starts at
    `offset` or later."""
    found = []
    for sentence in _SENTENCE.split(paragraph):
        if not _ABOUT_MONEY.search(sentence):
            continue
        for match in _MILLIONS.finditer(sentence):
            number = match.group(1).replace(",", ".")
            decimals = len(number.partition(".")[2])
            at = body.find(match.group(0), offset)
            found.append((body.count("\n", 0, at), match.group(0), float(number),
                          0.5 * 10 ** -decimals + 1e-9))
    return found


def check_stated_totals(profile: Profile, funding: Funding, body: str, body_line: int,
                        problems: Collector) -> None:
    """Warn about each stated figure in millions that no computed amount rounds to."""
    if not funding.has_rows:
        return
    computed = [("total", funding.total_usd / 1e6)] + \
        [(c.channel.label, c.amount_usd / 1e6) for c in funding.channels]
    known = "; ".join(f"{label} {value:.1f}" for label, value in computed)
    start, end = funding.period
    for line, written, value, rounding in stated_figures(body):
        if any(abs(value - amount) <= rounding for _, amount in computed):
            continue
        problems.warn(profile.name, f"the text says '{written}', but no amount this brief "
                      f"computes for {start}–{end} is that (US$ million: {known}) — write the "
                      "computed figure, or check the rows in data/contributions.csv",
                      line=body_line + line)
