"""One matplotlib figure and axes per kind of chart in a worker, reused from brief to brief.

Making a figure, its axes and their ticks anew cost a third of a chart; a reused axes is set
back to what a new one would be before each chart (`blank_axes`), so a brief's chart never
shows another's state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

# one figure and axes per kind of chart and set of rc values, reused by every brief a worker
# draws: making them (and their ticks) anew cost a third of a chart
AXES: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}
# the legend each kept axes showed last, with what it was made of (see `shown_legend`)
_LEGENDS: WeakKeyDictionary[Any, tuple[tuple[Any, ...], Any]] = WeakKeyDictionary()
# the rectangles each kept axes has for bars, shown or hidden (see `kept_bars`)
_BARS: WeakKeyDictionary[Any, list[Any]] = WeakKeyDictionary()


@contextmanager
def rc_settings(rc: dict[str, Any]) -> Iterator[None]:
    """matplotlib's settings `rc` for the block, and as they were after it.

    What `matplotlib.rc_context(rc)` does for a block that changes no other setting, as the
    drawing of a chart does, at a fifteenth of the cost: rc_context copies and restores all
    three hundred settings, which took a tenth of a chart.
    """
    import matplotlib

    params = matplotlib.rcParams
    before = {key: params[key] for key in rc}
    params.update(rc)
    try:
        yield
    finally:
        params.update(before)


def blank_axes(kind: str, rc: dict[str, Any], width: float, height: float) -> Any:
    """Axes of a `width` × `height` figure as a new one would be, for a chart of `kind`.

    A kind's drawing sets every property it uses that varies (limits, ticks, formatters,
    margins) each time, so what a reused axes carries over is only the artists the last chart
    added, removed here (the legend and the bars hidden, for `shown_legend` and `kept_bars`),
    and its data and view limits, set back here. Axes are kept per
    kind because the kinds set different properties; per rc values because ticks take them
    when they are made. What every chart of a kind shows alike (grid, spines, tick marks) is
    set once, when its axes are made (`SETUP`).
    """
    key = (kind, tuple(rc.items()))
    ax = AXES.get(key)
    if ax is None:
        from matplotlib.figure import Figure

        if len(AXES) >= 16:  # a worker drawing many layouts' charts keeps no more than this
            AXES.clear()
        from briefs.render.mplrender import Bar

        ax = AXES[key] = Figure(figsize=(width / 72, height / 72), dpi=72).add_subplot()
        for ground in (ax.figure.patch, ax.patch):  # the backgrounds: rectangles, as bars
            ground.__class__ = Bar  # drawn (a subclass that changes only how it draws)
        SETUP[kind](ax, rc)
        return ax
    if tuple(ax.figure.get_size_inches()) != (width / 72, height / 72):
        ax.figure.set_size_inches(width / 72, height / 72)
    bars = set(_BARS.get(ax, ()))
    for artist in (*ax.patches, *ax.texts, *ax.collections, *ax.lines, *ax.images):
        if artist in bars:
            artist.set_visible(False)
        else:
            artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.set_visible(False)
    ax.set_xlim(0, 1)  # a new axes' view, kept by a chart with no data
    ax.set_ylim(0, 1)
    ax.relim(visible_only=True)  # a new axes' data limits: none, the hidden bars left out
    ax.set_autoscale_on(True)
    return ax


def shown_legend(ax: Any, handles: list[Any], labels: list[str], **options: Any) -> Any:
    """The legend `ax.legend(handles, labels, **options)` makes; or the legend these axes
    showed last, shown again, when it was made of the same labels, options and swatches.

    Making a legend (its texts, swatches and the boxes that pack them) was a tenth of a
    chart, and the briefs of one layout show one legend. A swatch copies its handle's
    properties when the legend is made, so the key holds each handle's that a swatch shows.
    The legend is a `KeptLegend`, which records again what it drew when drawn again in the
    same place.
    """
    from briefs.render.mplrender import KeptLegend

    key = (tuple(labels), tuple(sorted(options.items())), tuple(
        (tuple(h.get_facecolor()), tuple(h.get_edgecolor()), h.get_linewidth(),
         h.get_linestyle(), h.get_hatch(), h.get_alpha(), h.get_fill()) for h in handles))
    kept = _LEGENDS.get(ax)
    if kept is not None and kept[0] == key and kept[1] is ax.legend_:
        ax.legend_.set_visible(True)
        return ax.legend_
    ax.legend_ = KeptLegend(ax, handles, labels, **options)  # as Axes.legend sets it
    _LEGENDS[ax] = (key, ax.legend_)
    return ax.legend_


def kept_bars(ax: Any, count: int) -> list[Any]:
    """`count` rectangles on `ax` for bars, in the order they are drawn: the bars of the
    chart before, kept, and new ones after them when it had fewer. The caller places, sizes,
    colours and shows each one (`blank_axes` hid them); the rest stay hidden.

    Making a rectangle and adding it to the axes cost more than drawing it; a per-year
    chart has dozens. Bars are the axes' only artists of their kind (patches, drawn in the
    order they were added), so keeping them keeps the order a new axes would have.
    """
    from briefs.render.mplrender import Bar

    bars = _BARS.setdefault(ax, [])
    while len(bars) < count:
        bars.append(ax.add_artist(Bar((0, 0), 0, 0, label="_nolegend_", visible=False)))
    return bars[:count]


def _plain(ax: Any, rc: dict[str, Any]) -> None:
    """What every kind's axes show, set once when they are made (`blank_axes`): no top or
    right spine, and the (empty) axis labels placed, so that drawing does not measure the
    tick labels again to place them."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_label_coords(0.5, 0)
    ax.yaxis.set_label_coords(0, 0.5)


def _across(ax: Any, rc: dict[str, Any]) -> None:
    """Bars across (channel totals): a grid line at each value, no left spine."""
    _plain(ax, rc)
    ax.xaxis.grid(True, color=rc["axes.edgecolor"], linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines["left"].set_visible(False)


def _setup_totals(ax: Any, rc: dict[str, Any]) -> None:
    _across(ax, rc)
    # the channels' labels have no tick marks: none drawn (length 0 keeps the labels' place)
    ax.tick_params(axis="y", length=0, left=False)


def _setup_totals_stacked(ax: Any, rc: dict[str, Any]) -> None:
    _across(ax, rc)
    ax.set_yticks([])  # the labels are texts above the bars


def _setup_yearly(ax: Any, rc: dict[str, Any]) -> None:
    from briefs.render.mplrender import KeptXAxis

    _plain(ax, rc)
    ax.xaxis.__class__ = KeptXAxis  # the years: see KeptXAxis
    ax.yaxis.grid(True, color=rc["axes.edgecolor"], linewidth=0.5)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", length=0, bottom=False)  # the years have no tick marks


# what each kind of chart (named by the function that draws it, in briefs.render.charts) sets
# once on the axes it is drawn on: each reads only the rc values, part of the axes' key
SETUP = {"_yearly": _setup_yearly, "_totals": _setup_totals,
         "_totals_stacked": _setup_totals_stacked, "_donut": _plain}
