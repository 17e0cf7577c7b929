"""Python's cycle collector, paused while a build starts and resumed once it draws.

Starting, a build imports the drawing libraries (about a thousand modules), reads the tables
and plans every brief: hundreds of thousands of objects and next to no cycles, which the
collector would walk again and again (an eighth of a one-brief build, a fifth of the planning
of 2,000 donors). Drawing can make cycles (a legend matplotlib makes anew is one), so the
collector is back on once a process has drawn its first brief. Forked workers inherit the
pause and end it the same way.

Back on, it collects the youngest objects after 10,000 new ones rather than Python's 700: a
brief makes a few hundred thousand short-lived objects, and at 700 the collector ran about
six times a brief and took a tenth of its time (5.8 -> 2 ms of ~57 ms, measured with
gc.callbacks over 40 benchmark briefs). The older generations are collected as before,
and after the command the collector is as it was. A drawn brief itself leaves no cycle
(tests/test_garbage.py): reference counting frees it, and the collector has next to nothing
to do (1.6 ms of collections a brief when its objects were cycles, 0.01 ms since).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_paused = False  # the collector is off because `paused` turned it off
DRAWING_THRESHOLD = 10_000  # new objects between two collections of the youngest, drawing
_before: tuple[int, int, int] | None = None  # the thresholds `paused` found


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, unless `resume` turns it on first; as it was after."""
    global _paused, _before
    if not gc.isenabled():  # off already: someone else's pause, left to them
        yield
        return
    gc.disable()
    _paused, _before = True, gc.get_threshold()
    try:
        yield
    finally:
        _paused = False
        gc.set_threshold(*_before)
        gc.enable()


def resume() -> None:
    """The collector back on, if `paused` turned it off: called once a brief is drawn."""
    global _paused
    if _paused:
        _paused = False
        _, middle, oldest = gc.get_threshold()
        gc.set_threshold(DRAWING_THRESHOLD, middle, oldest)
        gc.enable()
