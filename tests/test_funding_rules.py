"""The funding rules below the CLI: the rows a brief uses, coverage, the qualifier of a sum."""

from __future__ import annotations

import itertools

import pytest

from briefs.contract.funding import (
    combined_qualifier,
    coverage_problems,
    funding_for,
    partly_inside,
    rows_used,
    runs_text,
)
from briefs.contract.model import Channel, Contribution
from briefs.errors import Collector

CHANNELS = {"a": Channel("a", "A"), "b": Channel("b", "B")}


def row(start: int, end: int, channel: str = "a", amount: float = 1e6, qualifier: str = "",
        donor: str = "NOR", line: int = 2) -> Contribution:
    return Contribution(donor, start, end, channel, amount, qualifier, "", line)


@pytest.mark.parametrize(("qualifiers", "expected"), [
    ((), ""), (("",), ""), (("", ""), ""), (("more than", ""), "more than"),
    (("", "about"), "about"), (("more than", "about"), "about"),
    (("about", "more than", ""), "about"), (("more than", "more than"), "more than"),
])
def test_the_qualifier_of_a_sum(qualifiers: tuple[str, ...], expected: str) -> None:
    assert combined_qualifier(qualifiers) == expected


def test_a_channel_and_the_total_follow_the_same_rule() -> None:
    for quals in itertools.product(("", "more than", "about"), repeat=3):
        rows = [row(2020, 2020, "a", 1e6, quals[0], line=2),
                row(2021, 2021, "a", 1e6, quals[1], line=3),
                row(2020, 2021, "b", 1e6, quals[2], line=4)]
        funding = funding_for("NOR", (2020, 2021), rows, CHANNELS, Collector(), "p", "t")
        [a, b] = funding.channels
        assert b.qualifier == quals[2]
        assert a.qualifier == combined_qualifier(quals[:2])
        assert funding.total_qualifier == combined_qualifier(quals)


def test_rows_used_are_the_donors_rows_wholly_inside_the_period() -> None:
    rows = [row(2018, 2022, line=2), row(2019, 2023, line=3), row(2019, 2019, line=4),
            row(2019, 2019, donor="KOR", line=5), row(2017, 2017, line=6)]
    assert [r.line for r in rows_used("NOR", (2018, 2022), rows)] == [2, 4]
    assert [r.line for r in partly_inside("NOR", (2018, 2022), rows)] == [3]
    assert [r.line for r in rows_used("NOR", (2019, 2023), rows)] == [3, 4]


def _coverage(rows: list[Contribution], period: tuple[int, int]) -> list[str]:
    found = Collector()
    coverage_problems(rows_used("NOR", period, rows), period, found, "p.md", "t.csv", 4)
    return [str(p) for p in found.problems]


def test_rolling_period_totals_are_no_overlap() -> None:
    rows = [row(2018, 2022, line=2), row(2019, 2023, line=3)]
    assert _coverage(rows, (2018, 2022)) == []
    assert _coverage(rows, (2019, 2023)) == []


def test_overlap_inside_the_period_is_named_once_per_channel() -> None:
    rows = [row(2018, 2022, line=2), row(2019, 2019, line=3), row(2020, 2020, line=4)]
    [message] = _coverage(rows, (2018, 2022))
    assert message.startswith("t.csv:4: start_year: NOR a: the rows on lines 2–4 (2018–2022, "
                              "2019–2019, 2020–2020) overlap inside the period 2018–2022")


def test_a_gap_names_channel_years_and_the_zero_row() -> None:
    rows = [row(y, y, "a", line=y - 2000) for y in (2018, 2019, 2022)] + \
        [row(2018, 2022, "b", line=30)]
    assert _coverage(rows, (2018, 2022)) == [
        "p.md:4: period: [2018, 2022]: t.csv has no a row for 2020–2021 — add the missing "
        "years (a year with no money is a row with amount_usd 0), or change the period"]


def test_a_last_year_missing_everywhere_is_not_in_yet() -> None:
    rows = [row(y, y, c, line=y - 2000) for y in (2018, 2019) for c in "ab"]
    assert _coverage(rows, (2018, 2020)) == [
        "p.md:4: period: [2018, 2020]: t.csv has no figures for 2020 yet, for any channel — "
        "2020's figures are not in yet: add them when they are published, or end the period "
        "in 2019"]


def test_a_total_that_prints_as_zero_is_refused_but_zero_is_not() -> None:
    found = Collector()
    funding_for("NOR", (2020, 2020), [row(2020, 2020, amount=124.5)], CHANNELS, found, "p",
                "t")
    assert "would print as US$ 0.0 million" in str(found.problems[0])
    found = Collector()
    funding = funding_for("NOR", (2020, 2020), [row(2020, 2020, amount=0)], CHANNELS, found,
                          "p", "t")
    assert found.problems == [] and funding.total_usd == 0


@pytest.mark.parametrize(("numbers", "text"), [
    ([2019], "2019"), ([2019, 2020, 2021], "2019–2021"), ([5, 2, 3, 9], "2–3, 5, 9"),
])
def test_runs_of_years(numbers: list[int], text: str) -> None:
    assert runs_text(numbers) == text


@pytest.mark.parametrize(("text", "value", "why"), [
    ("9900000", 9_900_000, ""), ("0", 0, ""), ("12.5", 12.5, ""),
    ("１２３", None, "full-width"), ("٣٤٥", None, "non-ASCII digits"),
    ("1" + "0" * 400, None, "more than US$ 100 billion"),
    ("100000000001", None, "more than US$ 100 billion"),
])
def test_amounts_are_plain_ascii_digits_of_a_real_size(text: str, value: float | None,
                                                       why: str) -> None:
    from briefs.contract.tables import parse_amount

    parsed, message = parse_amount(text)
    assert parsed == value
    assert why in message
