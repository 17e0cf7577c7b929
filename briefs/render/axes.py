"""One matplotlib figure and axes per kind of chart in a worker, reused from brief to brief.

Making a figure, its axes and their ticks anew cost a third of a chart; a reused axes is set
back to what a new one would be before each chart (`blank_axes`), so a brief's chart never
shows another's state.
"""

from __future__ import annotations

from typing import Any

# one figure and axes per kind of chart and set of rc values, reused by every brief a worker
# draws: making them (and their ticks) anew cost a third of a chart
AXES: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}


def blank_axes(kind: str, rc: dict[str, Any], width: float, height: float) -> Any:
    """Axes of a `width` × `height` figure as a new one would be, for a chart of `kind`.

    A kind's drawing sets every property it uses (limits, ticks, formatters, margins, grid,
    spines) each time, so what a reused axes carries over is only the artists the last chart
    added, removed here, and its data and view limits, set back here. Axes are kept per
    kind because the kinds set different properties; per rc values because ticks take them
    when they are made.
    """
    key = (kind, tuple(rc.items()))
    ax = AXES.get(key)
    if ax is None:
        from matplotlib.figure import Figure

        if len(AXES) >= 16:  # a worker drawing many layouts' charts keeps no more than this
            AXES.clear()
        ax = AXES[key] = Figure(figsize=(width / 72, height / 72), dpi=72).add_subplot()
        return ax
    ax.figure.set_size_inches(width / 72, height / 72)
    for artist in (*ax.patches, *ax.texts, *ax.collections, *ax.lines, *ax.images):
        artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    ax.set(xlim=(0, 1), ylim=(0, 1))  # a new axes' view, kept by a chart with no data
    ax.relim()
    ax.set_autoscale_on(True)
    return ax
