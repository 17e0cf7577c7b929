"""Chart descriptions are written from the figures the chart draws, in the layout's words."""

from __future__ import annotations

from briefs.contract.model import Channel, ChannelAmount, Funding
from briefs.render.describe import MANY_YEARS, ChartWording, describe_chart

WORDING = ChartWording(
    years="Per year, {period}.", totals="Totals, {period}.", donut="Shares, {period}.",
    channel="{label}: {amount} ({share}).", year="{year}: {amount}",
    summary="Lowest {low} in {low_year}, highest {high} in {high_year}.",
    total="Total: {amount}.")
VALUES = {"period": "2018–2022"}
ASSESSED = Channel("assessed", "Assessed")
CORE = Channel("core", "Core")


def _amount(usd: float, qualifier: str = "") -> str:
    return f"{qualifier} ${usd / 1e6:.1f}M".strip()


def _funding(years: range) -> Funding:
    yearly = tuple((y, "assessed", 1e6 * (y - years.start + 1)) for y in years) + \
        tuple((y, "core", 2e6) for y in years)
    total = sum(a for _, c, a in yearly if c == "assessed")
    return Funding((years.start, years[-1]), (ChannelAmount(ASSESSED, total, ""),
                                              ChannelAmount(CORE, 2e6 * len(years), "")),
                   yearly)


def test_a_per_year_chart_reads_each_year() -> None:
    text = describe_chart(_funding(range(2018, 2021)), "bars", WORDING, VALUES, _amount)
    assert text == ("Per year, 2018–2022. Assessed: $6.0M (50%). 2018: $1.0M; 2019: $2.0M; "
                    "2020: $3.0M. Core: $6.0M (50%). 2018: $2.0M; 2019: $2.0M; 2020: $2.0M. "
                    "Total: $12.0M.")


def test_many_years_are_summarised() -> None:
    years = range(2010, 2011 + MANY_YEARS)
    text = describe_chart(_funding(years), "bars", WORDING, VALUES, _amount)
    assert "Lowest $1.0M in 2010, highest $7.0M in 2016." in text
    assert "2012:" not in text


def test_totals_and_donut_charts_read_the_channels_only() -> None:
    funding = _funding(range(2018, 2021))
    assert describe_chart(funding, "donut", WORDING, VALUES, _amount) == (
        "Shares, 2018–2022. Assessed: $6.0M (50%). Core: $6.0M (50%). Total: $12.0M.")
    plain = Funding(funding.period, funding.channels)  # period totals, no years
    assert describe_chart(plain, "bars", WORDING, VALUES, _amount).startswith("Totals, ")


def test_the_total_and_each_channel_are_described_with_their_qualifiers() -> None:
    funding = Funding((2018, 2022), (ChannelAmount(ASSESSED, 5e6, ""),
                                     ChannelAmount(CORE, 1e6, "about")))
    text = describe_chart(funding, "bars", WORDING, VALUES, _amount)
    assert "Core: about $1.0M" in text
    assert text.endswith("Total: about $6.0M.")


def test_each_channel_reads_every_year_of_the_chart_its_own_sum() -> None:
    """A year a channel has no row in reads as nought; a year with several of its rows reads
    their sum, in the rows' order (summed in one pass over the rows)."""
    yearly = ((2018, "assessed", 1e6), (2018, "core", 0.1e6), (2019, "core", 0.2e6),
              (2018, "assessed", 0.5e6), (2020, "assessed", 3e6))
    funding = Funding((2018, 2020), (ChannelAmount(ASSESSED, 4.5e6, ""),
                                     ChannelAmount(CORE, 0.3e6, "")), yearly)
    text = describe_chart(funding, "bars", WORDING, VALUES, _amount)
    assert "2018: $1.5M; 2019: $0.0M; 2020: $3.0M." in text
    assert "2018: $0.1M; 2019: $0.2M; 2020: $0.0M." in text
