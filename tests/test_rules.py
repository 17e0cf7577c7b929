"""The rules every stage shares, below the CLI: placeholders, money, periods, plurals,
"did you mean" and where a brief's PDF goes.

Each is written once (briefs.text, briefs.layout.figures, briefs.build.batch.output_path); the
agreement tests in test_agreement.py prove that the PDF, diff, list and the mail use them.
"""

from __future__ import annotations

from html import escape as html_escape
from pathlib import Path

import pytest

from briefs.build.batch import output_path
from briefs.layout.figures import figures_of
from briefs.layout.loader import load_layout
from briefs.render.markup import fill as fill_markup
from briefs.text import (
    Figures,
    PatternError,
    did_you_mean,
    fill,
    millions,
    money,
    noun,
    period,
    placeholders,
    plural,
    unknown_placeholders,
)

# --- placeholders ------------------------------------------------------------------------------


def test_placeholders_are_listed_in_order_and_double_braces_are_braces() -> None:
    assert placeholders("{label}: {amount}, {period}") == ["label", "amount", "period"]
    assert placeholders("{{not}} {name}") == ["name"]
    assert placeholders("{amount:.1f} {name!r}") == ["amount:.1f", "name!r"]


@pytest.mark.parametrize("pattern", ["{name", "name}", "a { b"])
def test_a_lone_brace_is_a_pattern_error(pattern: str) -> None:
    with pytest.raises(PatternError, match=r"placeholders are written \{name\}"):
        placeholders(pattern)


def test_unknown_placeholders_suggest_the_nearest_and_list_the_offered() -> None:
    assert unknown_placeholders("{name} {period}", ["name", "period"]) == []
    assert unknown_placeholders("Dear {nme}", ["name", "role"]) == [
        "unknown placeholder {nme} — did you mean {name}? (the placeholders are: {name}, "
        "{role})"]
    assert unknown_placeholders("{amount!r:^40.40s}", ["amount"]) == [
        "unknown placeholder {amount!r:^40.40s} — did you mean {amount}? (the placeholders are: "
        "{amount})"]


def test_fill_replaces_each_placeholder_once_and_never_refills_a_value() -> None:
    values = {"footer": "{period} is literal here", "period": "2018–2022"}
    assert fill("{footer} / {period} {{x}}", values) == "{period} is literal here / 2018–2022 {x}"


def test_a_missing_value_is_a_bug_not_a_silent_blank() -> None:
    with pytest.raises(KeyError):
        fill("{lable}", {"label": "x"})


def test_fill_escapes_pattern_and_values_or_only_values() -> None:
    values = {"name": "<b>Kim & Park</b>"}
    assert fill("<p>{name}</p>", values, escape=html_escape, escape_pattern=False) == \
        "<p>&lt;b&gt;Kim &amp; Park&lt;/b&gt;</p>"
    assert fill("a & {name}", values, escape=html_escape) == \
        "a &amp; &lt;b&gt;Kim &amp; Park&lt;/b&gt;"


def test_layout_markup_escapes_everything_and_bolds_only_what_is_asked() -> None:
    values = {"label": "R&D", "amount": "<1>"}
    assert fill_markup("{label} & {amount}", values, bold=("label",)) == \
        "<b>R&amp;D</b> &amp; &lt;1&gt;"


# --- money and periods ---------------------------------------------------------------------------

def test_millions_follow_decimals_and_decimal_mark() -> None:
    assert millions(63_000_000) == "63.0"
    assert millions(63_040_000, decimals=2) == "63.04"
    assert millions(9_900_000, decimals=2, decimal_mark=",") == "9,90"
    assert millions(41_849_999, decimals=0) == "42"


def test_money_puts_the_qualifier_words_before_the_pattern() -> None:
    assert money(39_000_000, "more than", "US$ {millions} million") == \
        "more than US$ 39.0 million"
    assert money(39_000_000, "", "US$ {millions}M", decimals=2) == "US$ 39.00M"
    assert money(39_000_000, "about", "{millions}", 2, ",", {"about": "environ"}) == \
        "environ 39,00"
    assert money(1_500_000) == "1.5"


def test_period_is_a_span_or_one_year_alone() -> None:
    assert period((2018, 2022)) == "2018–2022"
    assert period((2022, 2022)) == "2022"
    assert period((2018, 2022), "{start} to {end}") == "2018 to 2022"
    assert period((2018, 2022), "") == "2018–2022"  # a blank label is never a blank period


def test_figures_of_a_layout_carry_its_labels() -> None:
    built_in = figures_of(load_layout("factsheet", None))
    assert built_in.money(39_000_000, "more than") == "more than US$ 39.0 million"
    assert built_in.period((2012, 2016)) == "2012–2016"
    french = Figures(amount="{millions} M$ US", decimals=2, decimal_mark=",",
                     words=(("more than", "plus de"),), span="{start}-{end}")
    assert french.money(39_000_000, "more than") == "plus de 39,00 M$ US"
    assert french.money(39_000_000, "", "{millions}") == "39,00"
    assert french.millions(9_900_000) == "9,90"
    assert french.qualifier("about") == "about"
    assert french.period((2012, 2016)) == "2012-2016"


def test_figures_of_a_project_layout_with_two_decimals(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "profile.yaml").write_text(
        "extends: profile\nlabels:\n  decimals: 2\n", encoding="utf-8")
    assert figures_of(load_layout("profile", tmp_path)).money(41_800_000) == \
        "US$ 41.80 million"


# --- words ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "expected"), [(0, "0 briefs"), (1, "1 brief"),
                                                 (2, "2 briefs")])
def test_plural(count: int, expected: str) -> None:
    assert plural(count, "brief") == expected


def test_irregular_plurals_and_the_word_alone() -> None:
    assert plural(3, "address", "addresses") == "3 addresses"
    assert plural(1, "address", "addresses") == "1 address"
    assert noun(1, "line") == "line" and noun(2, "line") == "lines"
    assert noun(1, "is", "are") == "is" and noun(3, "is", "are") == "are"


def test_did_you_mean() -> None:
    assert did_you_mean("perod", ["period", "layout"]) == " — did you mean 'period'?"
    assert did_you_mean("zzz", ["period"]) == ""
    assert did_you_mean("zzz", ["KOR"], otherwise=" — the donors are: KOR") == \
        " — the donors are: KOR"
    assert did_you_mean("bx", ["box"], show="'{{.{}}}'") == " — did you mean '{.box}'?"
    assert did_you_mean("nme", {"name": 1}, show="{{{}}}") == " — did you mean {name}?"
    assert did_you_mean("ghan", {"ghana": "Ghana"}, spelled={"ghana": "Ghana"}) == \
        " — did you mean 'Ghana'?"
    assert did_you_mean("Kora", ["Korea"], cutoff=0.95) == ""


# --- output path ---------------------------------------------------------------------------------

def test_output_path_of_a_brief() -> None:
    out = Path("project/output")
    assert output_path(out, "KOR", 2023) == out / "2023" / "KOR.pdf"
    assert output_path(out, "KOR", 2023, None) == out / "2023" / "KOR.pdf"
    assert output_path(out, "KOR", 2017, "profile") == out / "2017" / "KOR-profile.pdf"
