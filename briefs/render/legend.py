"""The room the per-year chart's legend takes under its plot, measured by matplotlib itself.

The legend's height was once reckoned here from its rows; but matplotlib spaces the lines of
a wrapped label by the font's own metrics and aligns its columns on their baselines, so a
label wrapped on two lines took more than reckoned, and its last line ran out of the chart
onto the text below it. matplotlib now lays the legend out (without drawing anything) and
says how tall it is; the chart gives it that room.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

OPTIONS: dict[str, Any] = {"loc": "upper center", "frameon": False, "handlelength": 1,
                           "columnspacing": 1.2}  # the chart's legend and its measure alike
BELOW = 1.9  # the legend hangs this many lines of type under the plot, below the year labels
YEARS = 2.2  # lines of type under a per-year plot for its years, before the legend's room


def legend_layout(labels: tuple[str, ...], widths: list[float], width: float,
                  rc: tuple[tuple[str, Any], ...], regular: str,
                  bold: str) -> tuple[int, float]:
    """Columns and room of the legend of `labels`, each `widths` wide with its swatch, set
    under a plot `width` wide: as many columns as fit, and the room its rows always had (1.9
    lines each), or more when a wrapped label needs it (measured by `legend_room`)."""
    size = float(dict(rc)["font.size"])
    columns = max(1, len(widths))
    while columns > 1 and max(widths) * columns > width:
        columns -= 1
    rows = -(-len(widths) // columns)
    room = legend_room(labels, columns, rc, regular, bold)
    return columns, max(rows * size * 1.9, room - size * YEARS)


@lru_cache(maxsize=64)
def legend_room(labels: tuple[str, ...], columns: int, rc: tuple[tuple[str, Any], ...],
                regular: str, bold: str) -> float:
    """Points from the plot's foot down to the foot of the legend's last line of text, for
    the legend of `labels` in `columns` hung `BELOW` lines under the plot; `rc` is the
    chart's matplotlib settings (its type size among them), `regular` and `bold` its fonts.

    Cached: the briefs of one layout share their channels' labels, so a worker measures a
    legend a few times, not once a brief.
    """
    from briefs.render.mplimport import load_matplotlib

    load_matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from briefs.render.axes import rc_settings
    from briefs.render.mplrender import CanvasRenderer

    with rc_settings(dict(rc)):
        figure = Figure(figsize=(1, 1), dpi=72)
        legend = figure.legend([Patch() for _ in labels], list(labels), ncol=columns,
                               **OPTIONS)
        height = legend.get_window_extent(CanvasRenderer(72, 72, regular, bold)).height
        size = legend._fontsize
        # matplotlib sets the box `borderaxespad` under the anchor; no text in its `borderpad`
        return float((BELOW + legend.borderaxespad - legend.borderpad) * size + height)
