"""A chart drawn with less matplotlib work is the same chart (issue 15).

What a worker no longer asks matplotlib to redo for every brief (locate and format the value
ticks, set the grid and tick marks, ...) must give what matplotlib would have given: these
tests hold each shortcut to the drawing it replaces, on charts of every kind, with zeros,
one period, long labels and French numbers.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

CODES = ("a", "c", "e", "x")


def _style(**changes: Any) -> Any:
    from briefs.render.charts import ChartStyle

    style = ChartStyle(width=300, height=150, font_size=8, font_name="Helvetica",
                       bold_name="Helvetica-Bold", text="#000000", grid="#cccccc",
                       colors=("#111111", "#222222", "#333333", "#444444"),
                       labels=("Assessed", "Core voluntary contributions to the regular budget",
                               "Earmarked", "Other"), codes=CODES)
    return replace(style, **changes)


def _funding(rng: random.Random, years: int, channels: int, zero: bool = False,
             scale: float = 1.0) -> Any:
    from briefs.contract.model import Channel, ChannelAmount, Funding

    labels = _style().labels
    used = CODES[:channels]
    yearly = tuple((2024 - years + i, code, 0.0 if zero else rng.uniform(1e4, 3e8) * scale)
                   for i in range(years) for code in used)
    amounts = tuple(ChannelAmount(Channel(code, labels[CODES.index(code)]),
                                  sum(a for _, c, a in yearly if c == code), "")
                    for code in used)
    return Funding((2024 - years, 2023), amounts, yearly if years > 1 else ())


def cases(seed: int = 15) -> list[tuple[Any, Any, float]]:
    """Charts of every kind: bars per year over 2 to 60 years, totals beside and above
    their bars, donuts; zeros, one channel, French numbers."""
    rng = random.Random(seed)
    french = _style(locale="fr", decimal_mark=",")
    out = []
    for _ in range(6):
        style = rng.choice((_style(), french))
        out += [(_funding(rng, rng.choice((2, 5, 15, 60)), rng.randint(1, 4)), style,
                 rng.choice((150.0, 330.0))),
                (_funding(rng, 1, rng.randint(1, 4)), style, rng.choice((120.0, 400.0))),
                (_funding(rng, 1, rng.randint(1, 4)), replace(style, kind="donut",
                                                              center="{total}"), 300.0)]
    out += [(_funding(rng, 5, 3, zero=True), _style(), 300.0),
            (_funding(rng, 1, 3, zero=True), _style(), 300.0),
            (_funding(rng, 1, 2, zero=True), _style(kind="donut"), 300.0)]
    return out


def test_value_ticks_fixed_before_drawing_are_those_of_the_view_drawn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The value ticks and their labels are computed once, in the view the axis has then;
    they are the ticks matplotlib's locator would place at drawing only if nothing after
    changes that view (an artist that asks for autoscaling, limits set later)."""
    from briefs.render import charts

    seen: list[tuple[Any, tuple[float, float]]] = []
    real = charts._value_ticks

    def spy(axis: Any, *args: Any) -> float:
        seen.append((axis, tuple(axis.get_view_interval())))
        return real(axis, *args)

    monkeypatch.setattr(charts, "_value_ticks", spy)
    for case in cases():
        seen.clear()
        charts.chart_drawing.__wrapped__(*case)
        kind = "donut" if case[1].kind == "donut" else "bars"
        assert len(seen) == (kind == "bars"), case
        for axis, view in seen:
            assert tuple(axis.get_view_interval()) == view, case


def _chart_pdf(case: tuple[Any, Any, float]) -> bytes:
    """A chart drawn by `chart_drawing` (not its cache), replayed on a page: its bytes."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from briefs.render.charts import chart_drawing

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    chart_drawing.__wrapped__(*case).draw_on(canvas)
    canvas.save()
    return buffer.getvalue()


def test_a_legend_and_years_shown_again_are_those_made_anew(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A per-year chart shows the legend the axes showed last when it is made of the same,
    and a legend or the years drawn again as they were drawn last record again what they
    drew then; a legend whose swatches' colours, labels, columns or place differ is made
    anew, and years of another span or place are laid out anew: each chart, drawn after
    the one before, is the chart drawn on axes of its own, and some were recorded again."""
    from matplotlib.axis import XAxis
    from matplotlib.legend import Legend

    from briefs.render import axes

    laid_out: list[str] = []
    for kind in (Legend, XAxis):
        real = kind.draw
        monkeypatch.setattr(kind, "draw", lambda artist, renderer, real=real: (
            laid_out.append(type(artist).__name__), real(artist, renderer))[1])
    rng = random.Random(5)
    funding = _funding(rng, 5, 3)
    recoloured = _style(colors=("#aa0000", "#00aa00", "#0000aa", "#444444"))
    relabelled = _style(labels=("Assessed", "Core", "Earmarked", "Other"))
    sequence = [(funding, _style(), 300.0), (funding, _style(), 300.0),
                (_funding(rng, 5, 3), _style(), 300.0), (funding, recoloured, 300.0),
                (funding, relabelled, 300.0), (funding, _style(), 200.0),
                (funding, _style(height=200), 300.0), (_funding(rng, 5, 2), _style(), 300.0),
                (funding, _style(font_name="Courier"), 300.0), (funding, _style(), 300.0),
                (funding, _style(), 330.0), (_funding(rng, 5, 3, scale=1e-3), _style(), 330.0),
                (_funding(rng, 6, 3), _style(), 330.0), (_funding(rng, 6, 3), _style(), 330.0)]
    alone = []
    for case in sequence:
        axes.AXES.clear()
        alone.append(_chart_pdf(case))
    assert sorted(laid_out) == sorted(["KeptLegend", "KeptXAxis"] * len(sequence))
    laid_out.clear()
    axes.AXES.clear()
    assert [_chart_pdf(case) for case in sequence] == alone
    for name in ("KeptLegend", "KeptXAxis"):
        assert laid_out.count(name) <= len(sequence) - 3, f"too few {name}s recorded again"


def test_a_kept_legend_drawn_in_other_fonts_is_laid_out_again() -> None:
    """The same legend in the same place, measured in other fonts, is laid out again."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from briefs.render.mplrender import CanvasRenderer, KeptLegend

    def drawn(legend: Any, regular: str) -> list[tuple[str, float]]:
        renderer = CanvasRenderer(300, 150, regular, regular)
        legend.draw(renderer)
        return _text_boxes(renderer.picture)

    def made() -> Any:
        ax = Figure(figsize=(300 / 72, 150 / 72), dpi=72).add_subplot()
        return KeptLegend(ax, [Patch(), Patch()], ["Assessed", "Voluntary core"],
                          loc="upper center", ncol=2)

    legend = made()
    assert drawn(legend, "Helvetica") == drawn(made(), "Helvetica")
    assert drawn(legend, "Courier") == drawn(made(), "Courier") != drawn(made(), "Helvetica")


def test_matplotlib_settings_are_as_they_were_after_a_chart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart sets only its own matplotlib settings while it is drawn (`rc_settings`, not
    rc_context): after it every setting is as it was, after a failed drawing too, and the
    chart was drawn in its settings (its type size)."""
    import matplotlib

    from briefs.render import charts, mplrender

    before = dict(matplotlib.rcParams)
    rng = random.Random(3)
    picture = charts.chart_drawing.__wrapped__(_funding(rng, 5, 2), _style(font_size=9.5), 300)
    assert dict(matplotlib.rcParams) == before
    assert {size for _, size in _text_ops(picture)} == {9.5}

    def broken(*args: Any) -> None:
        raise RuntimeError("a bug while drawing")

    monkeypatch.setattr(mplrender, "record", broken)
    with pytest.raises(RuntimeError):
        charts.chart_drawing.__wrapped__(_funding(rng, 5, 2), _style(font_size=9.5), 300)
    assert dict(matplotlib.rcParams) == before


def _text_ops(picture: Any) -> list[tuple[str, float]]:
    """(text, size) of each text a recorded chart draws."""
    return [(text, size) for text, size, _ in _drawn_texts(picture)]


def _text_boxes(picture: Any) -> list[tuple[str, float]]:
    """(text, x) of each text a recorded chart draws: where it begins."""
    return [(text, x) for text, _, x in _drawn_texts(picture)]


def _drawn_texts(picture: Any) -> list[tuple[str, float, float]]:
    """(text, size, x) of each text a recorded chart draws, replayed on a mock canvas."""
    drawn: list[tuple[str, float, float]] = []

    class Canvas:
        size = x = 0.0

        def setFont(self, name: str, size: float) -> None:
            self.size = size

        def translate(self, x: float, y: float) -> None:
            self.x = x

        def drawString(self, x: float, y: float, text: str) -> None:
            drawn.append((text, self.size, self.x))

        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: self

    for _, op in picture.ops:
        op(Canvas())
    return drawn


def test_years_drawn_again_with_other_ticks_are_laid_out_again() -> None:
    """The years' axis, drawn again in the same view and place with other ticks or labels
    (every second year), is laid out again."""
    from matplotlib.figure import Figure

    from briefs.render import charts, mplrender

    def drawn(ax: Any, years: list[int]) -> list[tuple[str, float]]:
        charts._fixed_ticks(ax.xaxis, years, [str(y) for y in years])
        renderer = mplrender.CanvasRenderer(300, 150, "Helvetica", "Helvetica")
        ax.xaxis.draw(renderer)
        return _text_boxes(renderer.picture)

    def made() -> Any:
        ax = Figure(figsize=(300 / 72, 150 / 72), dpi=72).add_subplot(xlim=(2018.4, 2023.6))
        ax.xaxis.__class__ = mplrender.KeptXAxis
        return ax

    kept = made()
    every, second = [2019, 2020, 2021, 2022, 2023], [2019, 2021, 2023]
    assert drawn(kept, every) == drawn(made(), every)
    assert drawn(kept, second) == drawn(made(), second) != drawn(made(), every)


def test_bars_given_as_corners_are_the_bars_matplotlib_draws(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of chart, its bars drawn as corners (`Bar`), then by matplotlib's way for
    patches: the same bytes; and the per-year charts did take the corners' way."""
    from briefs.render import axes
    from briefs.render.mplrender import Bar, CanvasRenderer

    given: list[int] = []
    real = CanvasRenderer.fill_corners
    monkeypatch.setattr(CanvasRenderer, "fill_corners", lambda self, *a: (
        given.append(1), real(self, *a))[1])
    quick = []
    for case in cases():
        axes.AXES.clear()
        quick.append(_chart_pdf(case))
    assert len(given) > 100
    monkeypatch.setattr(Bar, "_plain", lambda self: False)
    given.clear()
    for case, pdf in zip(cases(), quick, strict=True):
        axes.AXES.clear()
        assert _chart_pdf(case) == pdf, case
    assert not given


def _bars_drawn(bars: list[tuple[Any, ...]], plain: bool, xlim: tuple[float, float],
                ylim: tuple[float, float], size: tuple[float, float]) -> list[Any]:
    """What briefs' renderer was asked to draw for `bars` ((x, y, width, height,
    properties) each) on axes with those limits, by `Bar`'s way or (not `plain`)
    matplotlib's: each path's points as floats, its colours and pen, and its clip."""
    from matplotlib.figure import Figure

    from briefs.render import mplrender
    from briefs.render.mplrender import Bar, CanvasRenderer

    figure = Figure(figsize=(size[0] / 72, size[1] / 72), dpi=72)
    ax = figure.add_axes((0.1, 0.15, 0.85, 0.8))
    ax.set_axis_off()
    for x, y, width, height, props in bars:
        bar = ax.add_artist(Bar((x, y), width, height, **props))
        if not plain:
            bar._plain = lambda: False
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    asked: list[Any] = []
    real = mplrender._path_op

    def noted(segments: list[Any], fill: Any, alpha: Any, pen: Any) -> Any:
        asked.append(([(tuple(float(v) for v in points), code) for points, code in segments
                       if code != mplrender.MplPath.CLOSEPOLY], fill, alpha, pen))
        return real(segments, fill, alpha, pen)

    renderer = CanvasRenderer(size[0], size[1], "Helvetica", "Helvetica-Bold")
    mplrender._path_op = noted
    try:
        figure.draw(renderer)
    finally:
        mplrender._path_op = real
    return [(clip, path) for (clip, _), path in zip(renderer.picture.ops, asked, strict=True)]


def test_a_bar_is_drawn_as_matplotlib_draws_a_rectangle_to_the_last_bit() -> None:
    """Random bars (whole numbers and fractions, negative heights, none wide, tiny and huge
    values, any limits and figure size): the same points, float for float, the same colours
    and clip either way; a bar with an edge, a hatch, a turn or no clip is drawn by
    matplotlib's way."""
    rng = random.Random(2026)
    for _ in range(60):
        scale = 10 ** rng.uniform(-3, 9)
        bars = []
        for _ in range(rng.randint(1, 12)):
            x = rng.choice((rng.randint(1990, 2030), rng.uniform(-5, 5) * scale))
            y = rng.choice((0, 0.0, rng.uniform(-1, 1) * scale))
            width = rng.choice((0.62, 1, 0.0, rng.uniform(0.01, 3)))
            height = rng.choice((rng.uniform(-1, 1) * scale, 0.0, rng.randint(1, 9)))
            props = rng.choice(({}, {"facecolor": "#3366aa"}, {"color": (0.1, 0.2, 0.3)},
                                {"facecolor": "#3366aa", "alpha": 0.5},
                                {"facecolor": "#3366aa", "edgecolor": "k", "linewidth": 1},
                                {"hatch": "//"}, {"angle": 15.0}, {"clip_on": False},
                                {"facecolor": "w", "edgecolor": "w", "linewidth": 0},
                                {"facecolor": "none", "edgecolor": "r"}))
            bars.append((x, y, width, height, props))
        xs = [b[0] for b in bars]
        ys = [v for b in bars for v in (b[1], b[1] + b[3])]
        xlim = (min(xs) - rng.uniform(0, 2), max(xs) + rng.uniform(0.5, 3))
        ylim = (min([*ys, 0.0]) - rng.uniform(0, 1) * scale,
                max(ys) + rng.uniform(0.1, 1) * scale)
        size = (rng.uniform(100, 500), rng.uniform(60, 300))
        quick = _bars_drawn(bars, True, xlim, ylim, size)
        assert quick, bars
        assert quick == _bars_drawn(bars, False, xlim, ylim, size), bars
