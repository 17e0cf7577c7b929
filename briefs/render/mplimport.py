"""matplotlib imported for drawing charts, without writing the property tables of its help.

As each of its ~100 artist classes is defined, matplotlib writes the help text of the class's
`set()` (a table of every property, each found by inspecting the setters' docstrings:
`matplotlib.artist.kwdoc`), and substitutes such tables into other docstrings. A brief never
reads a docstring, and writing them was a sixth of a cold one-brief build (~70 of ~450 ms of
importing matplotlib.figure, measured with process_time). So the first import is made with
`kwdoc` answering an empty table; the signatures of `set()` (which properties it takes) are
made as before, and `kwdoc` is matplotlib's own again after the import.

What changes for the rest of the process is only help text: `help(Line2D.set)` lists no
properties. A process that imported matplotlib.figure before briefs did is left alone.

A process that only ever draws briefs' charts (a build's forker and its workers) may also
leave out matplotlib's 3D axes (`three_d=False`): matplotlib.projections imports
mpl_toolkits.mplot3d to register them, ~20 ms of a cold one-brief build, for a projection
no chart of briefs uses. In that process the "3d" projection is then unknown to matplotlib.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_lock = threading.Lock()  # two threads of `briefs serve` must not swap kwdoc in turn


def load_matplotlib(three_d: bool = True) -> ModuleType:
    """matplotlib, with matplotlib.figure (and so the axes, patches, ticks and legends a
    chart uses) imported; the first time in a process without the property tables, and
    without the 3D axes unless `three_d` (only for a process that draws nothing else)."""
    if "matplotlib.figure" not in sys.modules:
        with _lock, _without_property_tables(), \
                contextlib.nullcontext() if three_d else _without_3d_axes():
            import matplotlib.figure  # its import is the point
    import matplotlib

    return matplotlib


def _empty_table(artist: object) -> str:
    """`kwdoc` while matplotlib.figure is imported: no table of properties."""
    return ""


@contextmanager
def _without_property_tables() -> Iterator[None]:
    """`matplotlib.artist.kwdoc` answers an empty table for the block, then is restored.

    Guarded: if matplotlib has no `kwdoc` any more, or its artists are already defined,
    nothing is changed (the import is then as slow as before, never wrong)."""
    import matplotlib.artist

    original = getattr(matplotlib.artist, "kwdoc", None)
    if not callable(original) or "matplotlib.figure" in sys.modules:
        yield
        return
    matplotlib.artist.kwdoc = _empty_table
    try:
        yield
    finally:
        matplotlib.artist.kwdoc = original


_3D = "mpl_toolkits.mplot3d"


@contextmanager
def _without_3d_axes() -> Iterator[None]:
    """mpl_toolkits.mplot3d cannot be imported in the block (a None in sys.modules makes the
    import fail), and matplotlib's warning that it could not be is not shown; after it, the
    module can be imported again. Nothing is done if matplotlib.projections is imported."""
    if "matplotlib.projections" in sys.modules or _3D in sys.modules:
        yield
        return
    sys.modules[_3D] = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Unable to import Axes3D")
            yield
    finally:
        if sys.modules.get(_3D, ...) is None:
            del sys.modules[_3D]
