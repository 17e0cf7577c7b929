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

In the `briefs` script's own process (`ends_with_command`), the end of the pause is the end
of the command: what it made is then frozen out of the collector's sight rather than walked
once more as the collector comes back (~10 ms at 200 donors) and again as Python exits
(~7 ms). A caller of the library keeps its collector as it was.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

_paused = False  # the collector is off because `paused` turned it off
DRAWING_THRESHOLD = 10_000  # new objects between two collections of the youngest, drawing
_before: tuple[int, int, int] | None = None  # the thresholds `paused` found
_last = False  # this process ends with the command that pauses: see `ends_with_command`


def ends_with_command() -> None:
    """Say that this process ends when its command does (the `briefs` script; not a
    library caller, nor a test running the command in its own process)."""
    global _last
    _last = True


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
        if _last:  # nothing made so far is garbage to collect before the process ends
            gc.freeze()
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
