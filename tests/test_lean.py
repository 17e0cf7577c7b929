"""A lean build: the parent plans from front matter, the workers read the Markdown; tables are
read without pandas; each donor's rows are found by an index, not a scan.

These guard the speed work of issue 15 by what it must not change: the same briefs, the same
messages, the same bytes, whichever process did the parsing.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import run

MM = 72 / 25.4


def _no_markdown_here(*args: object, **kwargs: object) -> None:
    raise AssertionError("the build's parent parsed a profile's Markdown")


def test_the_parent_of_a_build_reads_front_matter_only(project: Path, built: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers import briefs afresh, so only this process has the trap: the build
    succeeds only if the Markdown is parsed in the workers, and the PDFs are the same."""
    import briefs.contract.profiles as profiles

    monkeypatch.setattr(profiles, "parse_body", _no_markdown_here)
    result = run(project, "build", "--jobs", "2", "--quiet",
                 env={"BRIEFS_START_METHOD": "spawn"})
    assert result.exit_code == 0, result.output
    for year in (2017, 2023):
        mine = (project / "output" / str(year) / "KOR.pdf").read_bytes()
        assert mine == (built / "output" / str(year) / "KOR.pdf").read_bytes(), year


def test_a_warning_in_the_markdown_is_printed_by_build(project: Path) -> None:
    """The worker that reads the Markdown finds the warning; build still prints it."""
    path = project / "data" / "profiles" / "KOR" / "2017.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{.contributions}", ""), encoding="utf-8")
    result = run(project, "build", "--jobs", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert ("data/profiles/KOR/2017.md: warning: has no {.contributions} section, so the "
            "brief shows no figures") in result.stderr.splitlines()
    last = result.stdout.splitlines()[-1]
    assert last.startswith("built ") and last.endswith(", unchanged 0"), last


@pytest.mark.parametrize(("table", "message"), [
    ("donors.csv", "data/donors.csv:1: column 'name' appears twice"),
    ("channels.csv", "data/channels.csv:4: code: is empty — a value is required"),
])
def test_csv_read_without_pandas_keeps_its_rules(project: Path, table: str,
                                                 message: str) -> None:
    """A repeated column is named as such (pandas renamed it 'name.1'), and a short line's
    missing values are empty cells, reported on the line they are missing from."""
    path = project / "data" / table
    lines = path.read_text(encoding="utf-8").splitlines()
    if table == "donors.csv":
        lines[0] += ",name"
    else:
        lines[2] = ""  # a blank line is skipped but still counts ...
        lines.insert(3, ",Label only")  # ... so this line is line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.exit_code == 2, result.output
    assert f"error: {message}" in result.stderr.splitlines(), result.stderr


def test_rows_of_a_donor_are_its_rows_in_table_order(project: Path) -> None:
    from briefs.contract.project import load_project

    loaded = load_project(project)
    for code in loaded.donors:
        assert loaded.rows_of(code) == tuple(r for r in loaded.contributions if r.donor == code)
    assert loaded.rows_of("NOPE") == ()


def _columns_of_last_page(pdf: bytes) -> list[float]:
    """The lowest text baseline of each column of the last page (points from the top)."""
    import io

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[-1]
    height = float(page.mediabox.height)
    lowest: dict[int, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and 60 < height - y < height - 60:  # body text, not header or footer
            # the factsheet's later pages: columns at 16, 77.33 and 138.67 mm
            column = sum(x > edge * MM for edge in (70, 130))
            lowest[column] = max(lowest.get(column, 0.0), height - y)

    page.extract_text(visitor_text=visit)
    return [lowest[c] for c in sorted(lowest)]


def test_a_brief_is_laid_out_and_written_once_with_its_last_page_balanced(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KOR 2017 ends on a three-column page that is balanced: the PDF is written once (one
    layout pass), the pages tried while balancing draw no text (their paragraphs are placed,
    not drawn), a paragraph breaks its lines once per width, the chart is drawn once, and
    the columns of its last page end level (the
    shortest 3/4 of the longest; unbalanced, the third holds a few lines)."""
    from briefs.contract.project import load_brief, load_project
    from briefs.layout.loader import load_layout
    from briefs.render import charts, document
    from briefs.render.paragraphs import Para
    from briefs.render.tagging import TaggingCanvas

    saves: list[int] = []
    real_save = TaggingCanvas.save
    monkeypatch.setattr(TaggingCanvas, "save",
                        lambda canvas: (saves.append(1), real_save(canvas))[1])
    drawn_on: list[str] = []
    real_draw = Para.drawPara  # every paragraph of a brief is a Para, drawn and broken by
    monkeypatch.setattr(Para, "drawPara", lambda para, *args: (  # ReportLab or a shorter way
        drawn_on.append(type(para.canv).__name__), real_draw(para, *args))[1])
    broken: list[tuple[Para, tuple[float, ...]]] = []  # the paragraphs stay alive
    real_break = Para.breakLines
    monkeypatch.setattr(Para, "breakLines", lambda para, widths: (
        # one width computed two ways differs in the last bit: it is still one width
        broken.append((para, tuple(round(w, 6) for w in widths))),
        real_break(para, widths))[1])
    charts.chart_drawing.cache_clear()
    loaded = load_project(project)
    brief, layout_name, _ = load_brief(loaded, "KOR", 2017)
    layout = load_layout(layout_name, project)
    rendered = document.render_pdf(brief, layout)
    assert saves == [1], "the brief was laid out and written more than once"
    assert len(drawn_on) > 50 and set(drawn_on) == {"TaggingCanvas"}, set(drawn_on)
    assert charts.chart_drawing.cache_info().misses == 1, "the chart was drawn more than once"
    twice = len(broken) - len({(id(para), widths) for para, widths in broken})
    assert len(broken) > 50 and twice == 0, f"{twice} paragraphs broke their lines again"
    ends = _columns_of_last_page(rendered.pdf)
    assert len(ends) == 3, ends
    top = 20 * MM  # where the later pages' columns begin
    assert min(ends) - top > 0.75 * (max(ends) - top), ends


def test_magnitude_warnings_are_those_of_the_whole_table_scan() -> None:
    """Siblings grouped once by donor and channel warn exactly as scanning every row for
    each row did (that scan took minutes for 2,000 donors)."""
    import random
    import statistics

    from briefs.contract.magnitude import FACTOR, SMALL, check_magnitudes
    from briefs.contract.model import Contribution
    from briefs.errors import Collector

    rng = random.Random(15)
    rows = [Contribution(rng.choice("AB"), year, year + rng.choice((0, 0, 2)),
                         rng.choice(("core", "earmarked")),
                         rng.choice((0, 500, 2_000, 9_000_000, 12_000_000)), "", "", line)
            for line, year in enumerate(rng.choices(range(2010, 2024), k=120), start=2)]
    found = Collector()
    check_magnitudes(rows, found, "data/contributions.csv")

    def per_year(r: Contribution) -> float:
        return r.amount_usd / (r.end_year - r.start_year + 1)

    expected = []
    for row in rows:
        others = [per_year(r) for r in rows if r is not row and r.donor == row.donor
                  and r.channel == row.channel and r.amount_usd > 0]
        if 0 < row.amount_usd < SMALL or (row.amount_usd > 0 and others and
                                          per_year(row) * FACTOR <= statistics.median(others)):
            expected.append(row.line)
    assert [w.line for w in found.warnings] == expected
    assert len(expected) > 10  # both kinds of warning occur


def test_stacked_bars_drawn_in_one_call_stack_and_label_by_channel() -> None:
    """The yearly chart's bars, drawn by one matplotlib call: each channel's bars on the
    ones before it, in its own colour, and the legend names each channel by its colour;
    a channel with no money has no bars and no legend entry."""
    from matplotlib.colors import to_hex
    from matplotlib.figure import Figure

    from briefs.contract.model import Funding
    from briefs.render.charts import ChartStyle, _yearly

    style = ChartStyle(width=300, height=150, font_size=8, font_name="Helvetica",
                       bold_name="Helvetica-Bold", text="#000000", grid="#cccccc",
                       colors=("#111111", "#222222", "#333333"),
                       labels=("Assessed", "Core", "Earmarked"), codes=("a", "c", "e"))
    yearly = tuple((year, code, amount * 1e6) for year in (2019, 2020, 2021)
                   for code, amount in (("a", year - 2018), ("e", 10)))
    ax = Figure(figsize=(300 / 72, 150 / 72), dpi=72).add_subplot()
    _yearly(ax, Funding((2019, 2021), (), yearly), style, 300, 150)
    bars = [(round(p.get_x() + p.get_width() / 2), p.get_y(), p.get_height(),
             to_hex(p.get_facecolor())) for p in ax.patches]
    assert bars == [(2019, 0, 1, "#111111"), (2020, 0, 2, "#111111"), (2021, 0, 3, "#111111"),
                    (2019, 1, 10, "#333333"), (2020, 2, 10, "#333333"),
                    (2021, 3, 10, "#333333")]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Assessed", "Earmarked"]
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == ["#111111", "#333333"]


@pytest.mark.parametrize(("edition", "language"), [(2017, None), (2023, "fr")])
def test_a_brief_completed_in_the_worker_is_the_brief_read_whole(
        project: Path, edition: int, language: str | None) -> None:
    """Front matter in the parent, Markdown in the worker: the same brief as read at once,
    the language's typography (French spacing) applied to the text the worker parsed."""
    from briefs.contract.project import complete_brief, load_brief, load_project

    loaded = load_project(project)
    whole, _, _ = load_brief(loaded, "KOR", edition, language=language)
    planned, _, _ = load_brief(loaded, "KOR", edition, language=language, body=False)
    assert not planned.profile.parsed and not planned.profile.sections
    completed, _ = complete_brief(planned)
    assert completed == whole


def _chart_pdf(funding: Any, style: Any, width: float) -> bytes:
    """A chart drawn by `chart_drawing`, replayed on a page: its bytes."""
    from reportlab.pdfgen.canvas import Canvas

    from briefs.render.charts import chart_drawing

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    chart_drawing.__wrapped__(funding, style, width).draw_on(canvas)
    canvas.save()
    return buffer.getvalue()


def test_a_chart_drawn_on_reused_axes_is_the_chart_drawn_on_new_ones() -> None:
    """A worker reuses one matplotlib figure per kind of chart: every kind (bars per year,
    totals beside and above their bars, a donut, a period of zeros), drawn after 30 others
    in a random order, is the same drawing as on axes made for it alone."""
    from briefs.contract.model import Channel, ChannelAmount, Funding
    from briefs.render import axes
    from briefs.render.charts import ChartStyle

    codes = ("a", "c", "e", "x")
    style = ChartStyle(width=300, height=150, font_size=8, font_name="Helvetica",
                       bold_name="Helvetica-Bold", text="#000000", grid="#cccccc",
                       colors=("#111111", "#222222", "#333333", "#444444"),
                       labels=("Assessed", "Core voluntary contributions", "Earmarked", "Other"),
                       codes=codes)
    rng = random.Random(15)

    def funding(years: int, channels: int, zero: bool = False) -> Funding:
        used = codes[:channels]
        yearly = tuple((2024 - years + i, code, 0.0 if zero else rng.uniform(1e5, 3e7))
                       for i in range(years) for code in used)
        amounts = tuple(ChannelAmount(Channel(code, style.labels[codes.index(code)]),
                                      sum(a for _, c, a in yearly if c == code), "")
                        for code in used)
        return Funding((2024 - years, 2023), amounts, yearly if years > 1 else ())

    cases = []
    for _ in range(8):
        cases += [(funding(rng.randint(2, 12), rng.randint(1, 4)), style, rng.choice((220, 330))),
                  (funding(1, rng.randint(1, 4)), style, rng.choice((120, 400))),
                  (funding(1, rng.randint(1, 4)), replace(style, kind="donut", center="{total}"),
                   300)]
    cases += [(funding(5, 3, zero=True), style, 300), (funding(1, 3, zero=True), style, 300),
              (funding(1, 2, zero=True), replace(style, kind="donut"), 300)]
    axes.AXES.clear()
    alone = []
    for case in cases:
        axes.AXES.clear()
        alone.append(_chart_pdf(*case))
    order = list(range(len(cases)))
    rng.shuffle(order)
    assert {i: _chart_pdf(*cases[i]) for i in order} == dict(enumerate(alone))
    assert len(axes.AXES) == 4  # bars per year, totals beside and above, donut
