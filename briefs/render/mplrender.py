"""A matplotlib renderer that records a figure as ReportLab canvas operations.

Writing SVG and parsing it back (svglib) cost more than drawing the figure itself. This
renderer receives matplotlib's paths and texts directly and keeps them as a list of canvas
operations: the chart stays vector, its text stays real text in the PDF's own embedded font,
and text is measured with the same font metrics ReportLab uses to draw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from matplotlib.artist import allow_rasterization
from matplotlib.axis import XAxis
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FixedFormatter, FixedLocator, NullLocator
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

Op = Callable[[Any], None]
Clip = tuple[float, float, float, float] | None  # x, y, width, height of a clip rectangle


@dataclass
class Picture:
    """A recorded figure: replay it on a canvas whose origin is the figure's lower left."""

    width: float
    height: float
    ops: list[tuple[Clip, Op]] = field(default_factory=list)  # each with the clip it needs
    plot: tuple[float, float] = (0.0, 0.0)  # the plot's width and height, for the inspection
    axis: str = "y"  # the axis of the values: "x" for bars across, whose height is no scale

    def draw_on(self, canvas: Any) -> None:
        """Replay the ops; a run of ops with one clip (the plot's bars and grid lines) is
        clipped once, not once an op: 40 bytes and a save and restore less for each."""
        for clip, run in groupby(self.ops, key=itemgetter(0)):
            if clip is not None:
                canvas.saveState()
                box = canvas.beginPath()
                box.rect(*clip)
                canvas.clipPath(box, stroke=0, fill=0)
            for _, op in run:
                op(canvas)
            if clip is not None:
                canvas.restoreState()


def _color(rgba: Any) -> tuple[float, float, float, float]:
    r, g, b, *a = rgba
    return float(r), float(g), float(b), float(a[0]) if a else 1.0


class Pen(NamedTuple):
    """How a path is stroked: its colour, width, caps, joins and dashes, as matplotlib's
    graphics context gives them."""

    rgba: tuple[float, float, float, float]
    width: float
    cap: int
    join: int
    dashes: Any
    offset: float | None


def _path_op(segments: list[tuple[Any, int]], fill_rgba: tuple[float, ...] | None,
             alpha: float | None, pen: Pen | None) -> Op:
    """The canvas operation that draws a path's `segments` as matplotlib asked: filled with
    `fill_rgba` unless None, stroked with `pen` unless None."""
    def op(canvas: Any) -> None:
        canvas.saveState()
        p = canvas.beginPath()
        for vertices, code in segments:
            if code == MplPath.MOVETO:
                p.moveTo(*vertices)
            elif code == MplPath.LINETO:
                p.lineTo(*vertices)
            elif code == MplPath.CURVE3:
                p.curveTo(vertices[0], vertices[1], vertices[0], vertices[1],
                          vertices[2], vertices[3])
            elif code == MplPath.CURVE4:
                p.curveTo(*vertices)
            elif code == MplPath.CLOSEPOLY:
                p.close()
        if fill_rgba is not None:
            r, g, b, a = fill_rgba
            canvas.setFillColorRGB(r, g, b, alpha=(a if alpha is None else alpha))
        if pen is not None:
            r, g, b, a = pen.rgba
            canvas.setStrokeColorRGB(r, g, b, alpha=(a if alpha is None else alpha))
            canvas.setLineWidth(pen.width)
            canvas.setLineCap(pen.cap)
            canvas.setLineJoin(pen.join)
            if pen.dashes:
                canvas.setDash(list(pen.dashes), pen.offset or 0)
        canvas.drawPath(p, stroke=1 if pen is not None else 0, fill=1 if fill_rgba else 0)
        canvas.restoreState()

    return op


class CanvasRenderer(RendererBase):
    """Receives a figure's drawing calls at 72 dpi, so one pixel is one point."""

    def __init__(self, width: float, height: float, regular: str, bold: str):
        super().__init__()
        self.picture = Picture(width, height)
        self.regular = regular
        self.bold = bold

    # --- what matplotlib asks ---------------------------------------------------------------
    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.picture.width, self.picture.height

    def points_to_pixels(self, points: float) -> float:
        return points

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def option_image_nocomposite(self) -> bool:
        return True

    def _font(self, prop: Any) -> str:
        weight = prop.get_weight()
        heavy = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or \
            (isinstance(weight, int | float) and weight >= 600)
        return self.bold if heavy else self.regular

    def get_text_width_height_descent(self, s: str, prop: Any,
                                      ismath: Any) -> tuple[float, float, float]:
        name, size = self._font(prop), prop.get_size_in_points()
        face = getFont(name).face
        ascent = face.ascent * size / 1000
        descent = -face.descent * size / 1000
        return stringWidth(s, name, size), ascent + descent, descent

    # --- drawing -------------------------------------------------------------------------------
    def _get_font_height_metrics(self, prop: Any) -> tuple[float, float, float]:
        """Ascent, descent and line gap of the PDF's font, for matplotlib's text layout.

        Without it, matplotlib looks up its own font file for every text it lays out (a
        tenth of a chart's cost) and spaces lines by that font's metrics, not the PDF's.
        Matplotlib asks backends for this since 3.10; an older one measures "lp" instead.
        """
        face = getFont(self._font(prop)).face
        size = prop.get_size_in_points()
        ascent, descent = face.ascent * size / 1000, -face.descent * size / 1000
        return ascent, descent, (ascent + descent) * 0.2

    def draw_path(self, gc: Any, path: Any, transform: Any, rgbFace: Any = None) -> None:
        segments = list(path.iter_segments(transform, remove_nans=True, clip=None,
                                           simplify=False, curves=True))
        stroke = gc.get_linewidth() > 0 and gc.get_rgb()[3] > 0
        fill = rgbFace is not None
        if not segments or not (stroke or fill):
            return
        pen = None
        if stroke:
            offset, dashes = gc.get_dashes()
            pen = Pen(_color(gc.get_rgb()), gc.get_linewidth(),
                      {"butt": 0, "round": 1, "projecting": 2}.get(gc.get_capstyle(), 0),
                      {"miter": 0, "round": 1, "bevel": 2}.get(gc.get_joinstyle(), 0),
                      dashes, offset)
        clip = gc.get_clip_rectangle()
        clip_box: Clip = tuple(clip.bounds) if clip is not None else None
        self.picture.ops.append((clip_box, _path_op(
            segments, _color(rgbFace) if fill else None, gc.get_alpha(), pen)))

    def fill_corners(self, corners: list[tuple[float, float]], rgba: Any, alpha: float,
                     clip_box: Clip) -> None:
        """What `draw_path` records for a closed path of straight lines through `corners`
        (in points), filled with `rgba` at `alpha` and not stroked (see `Bar`)."""
        first, *rest = corners
        segments = [(first, MplPath.MOVETO), *((c, MplPath.LINETO) for c in rest),
                    ((0.0, 0.0), MplPath.CLOSEPOLY)]
        self.picture.ops.append((clip_box, _path_op(segments, _color(rgba), alpha, None)))

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:
        name, size = self._font(prop), prop.get_size_in_points()
        r, g, b, a = _color(gc.get_rgb())

        def op(canvas: Any) -> None:
            canvas.saveState()
            canvas.translate(x, y)
            if angle:
                canvas.rotate(angle)
            canvas.setFont(name, size)
            canvas.setFillColorRGB(r, g, b, alpha=a)
            canvas.drawString(0, 0, s)
            canvas.restoreState()

        self.picture.ops.append((None, op))


class Replayed:
    """An artist kept from chart to chart that, drawn again as it was drawn last, records
    again what it drew then rather than drawing it.

    Laying a legend or an axis out is most of drawing it, and a worker's briefs of one
    layout often draw the same legend, or the same years, in the same place. A subclass
    says what its drawing depends on (`drawn_as`) beyond what never changes on its axes
    (the settings they were made with, `briefs.render.axes.SETUP`), or None when it cannot
    tell; the fonts and the figure's size always count. The recorded operations hold plain
    values, so recording them twice is drawing them twice.
    """

    _last: tuple[tuple[Any, ...], list[tuple[Clip, Op]]] | None = None

    def drawn_as(self) -> tuple[Any, ...] | None:
        raise NotImplementedError

    def draw(self, renderer: Any) -> None:
        own = self.drawn_as() if isinstance(renderer, CanvasRenderer) and \
            self.get_visible() else None
        if own is None:
            super().draw(renderer)
            return
        key = (own, renderer.regular, renderer.bold, renderer.picture.width,
               renderer.picture.height)
        ops = renderer.picture.ops
        if self._last is not None and self._last[0] == key:
            ops.extend(self._last[1])
            self.stale = False
            return
        start = len(ops)
        super().draw(renderer)
        self._last = (key, ops[start:])


class KeptLegend(Replayed, Legend):
    """A legend kept from chart to chart (`briefs.render.axes.shown_legend`), with the same
    entries and options: what it draws depends on where its anchor box is."""

    def drawn_as(self) -> tuple[Any, ...] | None:
        return tuple(self.get_bbox_to_anchor().bounds)


class KeptXAxis(Replayed, XAxis):
    """An x axis whose ticks are fixed (a FixedLocator and FixedFormatter, no minor ticks):
    what it draws depends on its ticks, their labels and settings, its view and where its
    axes are. The years under a per-year chart are the same from brief to brief. matplotlib
    makes an axes' x axis itself: the per-year axes' one is given this class when they are
    set up (`briefs.render.axes`), a subclass that adds nothing but `draw`."""

    def drawn_as(self) -> tuple[Any, ...] | None:
        locator, labels = self.get_major_locator(), self.get_major_formatter()
        if not isinstance(locator, FixedLocator) or locator.nbins is not None or \
                not isinstance(labels, FixedFormatter) or \
                not isinstance(self.get_minor_locator(), NullLocator):
            return None
        return (tuple(locator.locs), tuple(labels.seq), labels.get_offset(),
                tuple(self.get_view_interval()), tuple(self.axes.bbox.bounds),
                tuple(sorted(self.get_tick_params().items())), self.label.get_text())


class Bar(Rectangle):
    """A chart's bar (or background): a rectangle the recording renderer is given as its
    four corners.

    matplotlib draws a rectangle by its general way for patches: a graphics context set from
    every property, the transform composed anew, the path cleaned and transformed point by
    point (~60 µs a bar; a per-year chart has 15 to 60 bars). A plain bar (not turned,
    filled, without an edge, hatch, sketch, effect or clip path, in numbers: as `charts`
    makes them) goes to `CanvasRenderer.fill_corners` with the corners that way gives,
    computed by the same operations to the last bit (`tests/test_lean_chart.py`); anything
    else, or another renderer, is drawn as matplotlib draws a rectangle.
    """

    @allow_rasterization
    def draw(self, renderer: Any) -> None:
        if not self.get_visible():
            return
        if not isinstance(renderer, CanvasRenderer) or not self._plain():
            super().draw(renderer)
            return
        # Rectangle.get_patch_transform: the box from its extents (x1 = x0 + width, as
        # _convert_units adds them), then turning by no angle, which is exactly nothing
        x0, y0 = float(self._x0), float(self._y0)
        x1, y1 = float(self._x0 + self._width), float(self._y0 + self._height)
        box = np.array([[x1 - x0, 0.0, x0], [0.0, y1 - y0, y0], [0.0, 0.0, 1.0]], float)
        # Patch.get_transform, as CompositeGenericTransform.get_affine multiplies it
        (sx, shx, tx), (shy, sy, ty), _ = np.dot(
            self.get_data_transform().get_affine().get_matrix(), box).tolist()
        # the unit square's corners through that matrix, as matplotlib's path code does
        corners = [(vx * sx + vy * shx + tx, vx * shy + vy * sy + ty)
                   for vx, vy in ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))]
        clip = self.clipbox.bounds if self._clipon and self.clipbox is not None else None
        renderer.fill_corners(corners, self._facecolor,
                              1.0 if self._alpha is None else self._alpha,
                              tuple(clip) if clip is not None else None)

    def _plain(self) -> bool:
        """Whether matplotlib would draw this bar as one filled, unstroked four-cornered
        path with no more than a clip box (the test holds the two ways to the same ops)."""
        return (self.angle == 0 and self._aspect_ratio_correction == 1.0
                and self._facecolor[3] != 0
                and (self._edgecolor[3] == 0 or self._linestyle == "None"
                     or self._linewidth == 0)
                and not self._hatch and self.get_sketch_params() is None
                and not self.get_path_effects() and self._clippath is None
                and self.get_agg_filter() is None and not self.get_rasterized()
                and all(type(v) in (float, int) for v in
                        (self._x0, self._y0, self._width, self._height)))


class RecordingCanvas(FigureCanvasBase):
    """A figure canvas whose renderer records: tight_layout measures text with it too."""

    def __init__(self, figure: Any, regular: str, bold: str):
        super().__init__(figure)
        width, height = figure.get_size_inches() * 72
        self.renderer = CanvasRenderer(width, height, regular, bold)

    def get_renderer(self) -> CanvasRenderer:
        return self.renderer


def record(figure: Any, regular: str, bold: str) -> Picture:
    """Draw a figure made at 72 dpi into a Picture, measuring text with ReportLab's fonts.

    The figure's margins are set by the caller: tight_layout would draw it twice.
    """
    canvas = RecordingCanvas(figure, regular, bold)
    figure.draw(canvas.renderer)
    return canvas.renderer.picture
