"""Property-based tests: whatever a user writes, briefs builds a PDF or says what is wrong.

Random profiles (any Unicode text, markup characters, very long words, many or empty
sections, lists, quotes) and random contribution tables must either build a readable PDF or
fail with exit status 2 and documented messages; never a traceback or an internal error.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefs.cli.main import cli
from briefs.text import millions

REPO = Path(__file__).resolve().parent.parent
CLASSES = ["", " {.box}", " {.partner-countries}", " {.key-partners}", " {.contributions}"]
MARKUP = ["&", "<", ">", "<b>", "</b>", '<img src="/etc/hostname"/>', "<font color=red>",
          "&lt;", "&amp;", "<br/>", "*", "**", "_", "`", "[x](javascript:alert(1))",
          "[y](https://example.org)", "\\", "{", "}", "—", "--"]

# any printable text, never surrogates (a file cannot hold them)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
long_word = st.integers(100, 900).map(lambda n: "Arbeitsschutz" * (n // 13))
word = st.one_of(text, st.sampled_from(MARKUP), long_word)
line = st.lists(word, min_size=1, max_size=5).map(" ".join).map(
    lambda s: " ".join(s.splitlines()))


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["para", "bullets", "numbers", "quote", "sub"]))
    body = draw(line)
    if kind == "bullets":
        return "\n".join(f"- {draw(line)}" for _ in range(draw(st.integers(1, 4))))
    if kind == "numbers":
        return "\n".join(f"{i}. {draw(line)}" for i in range(1, draw(st.integers(2, 4))))
    if kind == "quote":
        return f"> {body}\n>\n> — {draw(line)}"
    if kind == "sub":
        return f"### {body}"
    return body


@st.composite
def profile(draw: st.DrawFn) -> str:
    front = {"edition": 2017, "period": [2012, 2016]}
    if draw(st.booleans()):
        front["partner_countries"] = draw(st.lists(line, max_size=6))
    if draw(st.booleans()):
        front["key_partners"] = draw(st.lists(line, max_size=4))
    if draw(st.booleans()):
        front["title"] = draw(line.filter(str.strip))
    parts = ["---", yaml.safe_dump(front, allow_unicode=True).strip(), "---", ""]
    parts += [draw(block()) for _ in range(draw(st.integers(0, 3)))]
    for _ in range(draw(st.integers(0, 8))):
        heading = draw(line.filter(lambda s: s.strip() and "{" not in s))
        parts.append(f"## {heading}{draw(st.sampled_from(CLASSES))}")
        parts += [draw(block()) for _ in range(draw(st.integers(0, 3)))]
    return "\n\n".join(parts) + "\n"


def _project(root: Path) -> Path:
    shutil.copytree(REPO / "data", root / "data")
    return root


def _build(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(root), "build", "KOR", "--edition",
                                      "2017"])
    return result.exit_code, result.output


def _assert_outcome(root: Path, code: int, output: str) -> None:
    assert "Traceback" not in output
    assert "internal error" not in output, output
    pdf = root / "output" / "2017" / "KOR.pdf"
    if code == 0:
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        assert reader.pages[0].mediabox.width > 500
    else:
        assert code == 2, output
        assert "error: data/" in output, output
        assert not pdf.exists()


W = "Arbeitsschutz"
# found by hypothesis: a partner country's name taller than the space left beside the
# introduction was split into a first part taller than that space (its room after it forgotten)
TALL_NAMES = (f"---\nedition: 2017\npartner_countries:\n- {W * 41} {W * 7}\n"
              f"- ' {W * 37} {W * 35}'\nperiod:\n- 2012\n- 2016\n---\n\n"
              f"## {W * 29} {{.partner-countries}}\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                             HealthCheck.data_too_large])
@given(profile())
@example(TALL_NAMES)
def test_any_profile_builds_or_is_reported(markdown: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        (root / "data/profiles/KOR/2017.md").write_text(markdown, encoding="utf-8")
        code, output = _build(root)
        _assert_outcome(root, code, output)


PERIOD = (2012, 2016)  # the 2017 profile's period
CHANNELS = ["assessed", "voluntary_core", "voluntary_earmarked"]
# zero, or an amount that prints: a non-zero total under US$ 50,000 would print as 0.0 and is
# refused (see test_every_brief_that_builds_prints_the_sum_of_exactly_its_rows for those)
amount = st.one_of(st.just("0"), st.integers(50_000, 10**10).map(str),
                   st.floats(5e4, 1e9).map(lambda f: f"{f:.2f}"))
qualifier = st.sampled_from(["", "more than", "about"])
MISTAKES = {"amount_usd": ["12,5", "-3", "1 000", "1,000,000", "", "abc", "1e6"],
            "start_year": ["", "20x6", "16", "2019"], "channel": ["other", "Assessed"],
            "qualifier": ["roughly", "More than"]}
COLUMNS = ["start_year", "end_year", "channel", "amount_usd", "qualifier"]


@st.composite
def channel_rows(draw: st.DrawFn, channel: str, yearly: bool) -> list[list[str]]:
    """Rows that cover the period without overlapping: one per year, or a few spans."""
    start, end = PERIOD
    cuts = set(range(start + 1, end + 1)) if yearly else \
        set(draw(st.lists(st.integers(start + 1, end), max_size=4)))
    edges = [start, *sorted(cuts), end + 1]
    return [[str(a), str(b - 1), channel, draw(amount), draw(qualifier)]
            for a, b in itertools.pairwise(edges)]


@st.composite
def contribution_table(draw: st.DrawFn) -> list[list[str]]:
    """Mostly valid tables (so most examples draw real charts: per-year bars or period
    totals, any amounts and qualifiers), some with one mistake a user could make."""
    yearly = draw(st.booleans())
    present = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3, unique=True))
    rows = [row for channel in present for row in draw(channel_rows(channel, yearly))]
    later = draw(st.lists(st.integers(2017, 2022), max_size=3, unique=True))
    rows += [[str(y), str(y), draw(st.sampled_from(CHANNELS)), draw(amount), ""]
             for y in later]  # years the 2017 brief does not use
    rows = draw(st.permutations(rows))
    if draw(st.integers(0, 9)) in (3, 6):  # one mistake, in about one table in five
        column = draw(st.sampled_from(sorted(MISTAKES)))
        row = draw(st.sampled_from(rows))
        row[COLUMNS.index(column)] = draw(st.sampled_from(MISTAKES[column]))
    return rows


def test_any_contribution_table_builds_or_is_reported() -> None:
    """Random tables build real charts, or are reported as the user's mistake; and most of
    them build, so the charts and the funding lines are what is really tried."""
    built: list[bool] = []

    # derandomized: the share that builds is asserted, and hypothesis's free runs spread it
    # from 65 % to 100 % (one run fell to 57 %); a fixed walk gives the same examples each run
    @settings(max_examples=60, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(contribution_table())
    def one(rows: list[list[str]]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = _project(Path(tmp))
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["donor", *COLUMNS, "note"])
            writer.writerows(["KOR", *row, "random"] for row in rows)
            (root / "data/contributions.csv").write_text(out.getvalue(), encoding="utf-8")
            code, output = _build(root)
            _assert_outcome(root, code, output)
            built.append(code == 0)

    one()
    share = sum(built) / len(built)
    print(f"contribution tables that built a PDF: {sum(built)} of {len(built)} ({share:.0%})")
    assert share >= 0.6, f"only {share:.0%} of random tables built: the charts are not tried"


# --- valid yearly data: every brief that builds prints the sum of exactly its rows ------------

# each brief's period, edition, and how its layout prints the total (factsheet: in the chart
# title, and only for period totals)
BRIEFS = {"data/profiles/KOR/2017.md": ((2012, 2016), "2017", "total {}US$ {} million)"),
          "data/profiles/KOR/2023.md": ((2018, 2022), "2023", "{}US$ {}M TOTAL")}
# zeros, dollars and amounts typed in millions; totals stay under US$ 10 billion, because a
# headline cell of the profile layout wraps a number of five digits before the point
magnitude = st.one_of(st.just(0), st.integers(1_000, 10**8), st.integers(1_000, 10**8),
                      st.integers(1_000, 10**8), st.integers(1, 999))


@st.composite
def rolling_rows(draw: st.DrawFn, channel: str) -> list[tuple[int, int, str, int, str]]:
    """One channel's rows: per year with gaps, period totals (rolling ones too), or both."""
    mode = draw(st.sampled_from(["years"] * 4 + ["periods"] * 3 + ["both", "none"]))
    rows = []
    qualifier = st.sampled_from(["", "", "more than", "about"])
    if mode in ("years", "both"):
        last = draw(st.sampled_from([2015, 2021, *[2022, 2023, 2024] * 3]))
        for year in range(draw(st.sampled_from([2010, 2012, 2012, 2013])), last + 1):
            if draw(st.integers(0, 49)) > 0:  # one year in fifty is missing
                rows.append((year, year, channel, draw(magnitude), draw(qualifier)))
    if mode in ("periods", "both"):
        starts = st.sampled_from([2012, 2013, 2018, 2019])  # 2013 and 2019: rolling totals
        for start in draw(st.lists(starts, unique=True, min_size=2)):
            rows.append((start, start + 4, channel, draw(magnitude), draw(qualifier)))
    return rows


def expected_total(rows: list[tuple], period: tuple[int, int]) -> dict[str, int] | None:
    """The amount per channel (and "" for the total) the brief must print, or None when it
    must be refused."""
    start, end = period
    used = [r for r in rows if start <= r[0] and r[1] <= end]
    covered: dict[str, list[int]] = {}
    for first, last, channel, _, _ in used:
        covered.setdefault(channel, []).extend(range(first, last + 1))
    if not used or any(len(set(y)) != len(y) for y in covered.values()):
        return None  # no rows, or rows that overlap
    if any(set(y) != set(range(start, end + 1)) for y in covered.values()):
        return None  # a gap, or the last year not in yet
    total = sum(r[3] for r in used)
    if 0 < total < 50_000:
        return None
    return {"": total} | {c: sum(r[3] for r in used if r[2] == c) for c in covered}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                             HealthCheck.data_too_large])
@given(rolling_rows("assessed"), rolling_rows("voluntary_earmarked"),
       rolling_rows("voluntary_core"))
def test_every_brief_that_builds_prints_the_sum_of_exactly_its_rows(
        assessed: list, earmarked: list, core: list) -> None:
    rows = assessed + earmarked + core
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["donor", "start_year", "end_year", "channel", "amount_usd",
                         "qualifier", "note"])
        for start, end, channel, value, qualifier in rows:
            writer.writerow(["KOR", start, end, channel, value, qualifier, ""])
        (root / "data/contributions.csv").write_text(out.getvalue(), encoding="utf-8")
        result = CliRunner().invoke(cli, ["--project", str(root), "build"])
        assert "Traceback" not in result.output and "internal error" not in result.output
        built: list[str] = []
        for profile, (period, edition, shown) in BRIEFS.items():
            amounts = expected_total(rows, period)
            pdf = root / "output" / edition / "KOR.pdf"
            if amounts is None:
                assert result.exit_code == 2 and not pdf.exists(), (profile, rows)
                errors = [e for e in result.stderr.splitlines() if e.startswith("error: ")]
                # the brief's own error, or a mistake in the shared table that stops all
                assert any(profile in e for e in errors) or \
                    not list((root / "output").rglob("*.pdf")), (profile, result.output)
                continue
            assert pdf.exists(), (profile, rows, result.output)
            text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
            yearly = all(r[0] == r[1] for r in rows if period[0] <= r[0] and r[1] <= period[1])
            for channel, amount in amounts.items():
                if channel:
                    # the one money rule: a small amount keeps the digits it needs (0.012)
                    assert f"US$ {millions(amount)} million, " in text, (profile, channel, rows)
                elif edition == "2023" or not yearly:
                    word = _qualifier(rows, period)
                    assert shown.format(word and f"{word} ", millions(amount)) in text, \
                        (profile, rows)
            built.append(profile)
    share[0] += 1
    share[1] += len(built)


def _qualifier(rows: list[tuple], period: tuple[int, int]) -> str:
    """The total's qualifier, worked out here from the rows: about, else more than."""
    used = {r[4] for r in rows if period[0] <= r[0] and r[1] <= period[1]}
    return "about" if "about" in used else "more than" if "more than" in used else ""


share = [0, 0]  # examples, briefs built: the share is printed by the test below it


def test_share_of_random_tables_that_built() -> None:
    """Not a check: says how much of the property above reached a real PDF."""
    if share[0]:
        print(f"\n{share[1]} of {2 * share[0]} random briefs built")


# --- nested quotes and lists: every word reaches the PDF, or the file is refused -------------

@st.composite
def nested_block(draw: st.DrawFn, counter: list[int]) -> str:
    """A list nested up to 12 deep, or a quote holding paragraphs, lists or quotes."""
    def word() -> str:
        counter[0] += 1
        return f"mark{counter[0]}x"

    kind = draw(st.sampled_from(["list", "quote", "para"]))
    if kind == "para":
        return f"{word()} {word()}"
    if kind == "list":
        depth = draw(st.integers(1, 12))
        return "\n".join("  " * level + f"- {word()}" for level in range(depth))
    inner = draw(st.sampled_from(["para", "list", "quote", "attribution"]))
    body = {"para": f"> {word()}", "list": f"> - {word()}\n> - {word()}",
            "quote": f"> > {word()}", "attribution": f"> {word()}\n>\n> — {word()}"}[inner]
    return f"> {word()}\n>\n{body}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_word_of_nested_text_is_in_the_pdf_or_the_file_is_refused(
        data: st.DataObject) -> None:
    counter = [0]
    blocks = data.draw(st.lists(nested_block(counter), min_size=1, max_size=4))
    blocks.append("## After {.box}\n\nmarklastx")  # text after the blocks must survive too
    words = re.findall(r"mark\w+x", "\n".join(blocks))
    front = "---\nedition: 2017\nperiod: [2012, 2016]\n---\n\n"
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp))
        (root / "data/profiles/KOR/2017.md").write_text(front + "\n\n".join(blocks) + "\n",
                                                        encoding="utf-8")
        code, output = _build(root)
        _assert_outcome(root, code, output)
        if code == 0:
            reader = PdfReader(root / "output/2017/KOR.pdf")
            text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages).lower()
            missing = [w for w in words if w not in text]
            assert not missing, (missing, blocks)
        else:
            assert "error: data/profiles/KOR/2017.md:" in output, output
