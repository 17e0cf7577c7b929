"""Python's cycle collector, paused while a build starts and resumed once it draws.

Starting, a build imports the drawing libraries (about a thousand modules), reads the tables
and plans every brief: hundreds of thousands of objects and next to no cycles, which the
collector would walk again and again (an eighth of a one-brief build, a fifth of the planning
of 2,000 donors). Drawing does make cycles (matplotlib's artists, ReportLab's flowables), so the
collector is back on once a process has drawn its first brief, and a run of many briefs
collects as it always did. Forked workers inherit the pause and end it the same way.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_paused = False  # the collector is off because `paused` turned it off


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, unless `resume` turns it on first; as it was after."""
    global _paused
    if not gc.isenabled():  # off already: someone else's pause, left to them
        yield
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        _paused = False
        gc.enable()


def resume() -> None:
    """The collector back on, if `paused` turned it off: called once a brief is drawn."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
