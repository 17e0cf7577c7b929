"""A drawn brief leaves nothing for the cycle collector: reference counting frees it all.

A brief's objects (the doc template, the canvas, the flowables, the structure tree, the text
boxes: ~3,000) were kept alive by a few reference cycles (ReportLab's doc template naming
itself in its namespace, the structure tree's kids holding their parent, a text object
holding a method of its own, a trial page's overflow holding its traceback), so only the
collector could free them: ~1.6 ms of collections a brief, 6 % of a warm one. A new cycle
anywhere in the drawing brings that back; this finds it, and names the types it holds.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from pathlib import Path

import pytest


def _drawn_garbage(project: Path, first: int) -> Counter[str]:
    """The objects only the cycle collector would free after each of the project's first
    `first` briefs is drawn again, by type. Drawn once before, each brief has filled what a
    worker keeps for the next ones (fonts, the chart's figure, a layout's legend: a legend
    in other words, another language's, is made anew, and matplotlib's legends are cycles)."""
    from briefs.build.batch import plan_builds
    from briefs.build.run import render_job

    jobs = plan_builds(project, every_edition=True, skip_current=False, body=False).jobs
    found: Counter[str] = Counter()
    was = gc.isenabled()
    gc.disable()
    try:
        for job in jobs[:first]:
            assert render_job(job).status == "built"
            gc.collect()
            gc.set_debug(gc.DEBUG_SAVEALL)
            assert render_job(job).status == "built"
            gc.collect()
            found.update(type(o).__qualname__ for o in gc.garbage)
            gc.set_debug(0)
            gc.garbage.clear()
        return found
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()


def test_the_sample_briefs_leave_no_cycles(project: Path) -> None:
    """Every edition and language of the sample (links, a side box, lists, quotes)."""
    assert _drawn_garbage(project, 99) == Counter()


@pytest.fixture
def donors(repo: Path, tmp_path: Path) -> Path:
    sys.path.insert(0, str(repo / "benchmarks"))
    try:
        from bench_build import make_project
    finally:
        sys.path.remove(str(repo / "benchmarks"))
    make_project(tmp_path, 8)
    return tmp_path


def test_briefs_with_balanced_last_pages_leave_no_cycles(donors: Path) -> None:
    """The benchmark's donors: each last page is balanced by trial pages, some of which
    overflow (a trial that does not fit raises inside ReportLab's build)."""
    assert _drawn_garbage(donors, 8) == Counter()
