"""Where a warm brief's time goes: the parts of one brief as a build worker renders it.

    python benchmarks/bench_warm.py                 # 40 briefs of bench_build's donors
    python benchmarks/bench_warm.py --count 80 --rounds 5

The donors are bench_build.py's (fictional, fixed seed). The briefs are planned once, a
first brief is rendered (imports, fonts, the chart's axes), then every brief is rendered
and written `--rounds` times in this process, as a worker does; the round with the least
CPU time is kept. Each part is timed by wrapping the function that does it, so the parts
are inclusive of what they call, and "the rest" is the brief's time less the named parts:
laying the story out in frames and drawing it on the pages. CPU time, not wall time, so a
busy machine disturbs the figures less; the machine's load is printed.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

# (label, module, attribute): each a part of a brief, none inside another
PARTS = (
    ("read the profile's Markdown (in the worker)", "briefs.build.run", "complete_brief"),
    ("build flowables, fit the slots", "briefs.render.document", "prepare"),
    ("draw the chart (matplotlib)", "briefs.render.contributions", "chart_drawing"),
    ("balance the last page (trial pages)", "briefs.render.balance", "balanced_height"),
    ("write the PDF (tagging, fonts, streams)", "briefs.render.tagging.canvas",
     "TaggingCanvas.save"),
    # the boxes of the drawn text are made as the pages are inspected: both are this part
    ("inspect the pages", "briefs.render.document", "_inspected"),
    ("write the file", "briefs.build.run", "write_atomic"),
)


def _timed(spent: collections.Counter, label: str, function: Callable) -> Callable:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start
    return timed


def _wrap(spent: collections.Counter) -> None:
    import importlib

    for label, module_name, attribute in PARTS:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for step in path:
            owner = getattr(owner, step)
        setattr(owner, name, _timed(spent, label, getattr(owner, name)))


def measure(project: Path, count: int, rounds: int) -> tuple[float, dict[str, float]]:
    """(ms per brief, ms per brief of each part) of the least costly round."""
    import gc

    from briefs.build import collector
    from briefs.build.batch import plan_builds
    from briefs.build.forked import import_drawing
    from briefs.build.run import render_job

    with collector.paused():  # as `briefs build` runs its briefs
        import_drawing()  # as a worker starts: the imports made, then out of gc's sight
        gc.freeze()
        return _measure(project, count, rounds, plan_builds, render_job)


def _measure(project: Path, count: int, rounds: int, plan_builds: Callable,
             render_job: Callable) -> tuple[float, dict[str, float]]:
    jobs = plan_builds(project, every_edition=True, skip_current=False,
                       body=False).jobs[:count + 1]  # as `briefs build` plans
    spent: collections.Counter = collections.Counter()
    _wrap(spent)
    render_job(jobs[0])
    best: tuple[float, dict[str, float]] | None = None
    for _ in range(rounds):
        spent.clear()
        start = time.process_time()
        for job in jobs[1:]:
            render_job(job)
        per = (time.process_time() - start) / count * 1e3
        if best is None or per < best[0]:
            best = per, {label: spent[label] / count * 1e3 for label, _, _ in PARTS}
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="briefs per round (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args()
    from bench_build import make_project

    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        make_project(project, args.count + 1)
        total, parts = measure(project, args.count, args.rounds)
    rows = [(label, ms) for label, ms in parts.items()]
    rows.append(("the rest: lay the story out, draw it", total - sum(parts.values())))
    width = max(len(label) for label, _ in rows)
    print(f"load average {load[0]:.2f} {load[1]:.2f} on {os.cpu_count()} cores; "
          f"CPU ms per warm brief, best of {args.rounds} rounds of {args.count}")
    print(f"{'part':<{width}}  {'ms':>6}  {'share':>5}")
    for label, ms in rows:
        print(f"{label:<{width}}  {ms:6.1f}  {ms / total:5.0%}")
    print(f"{'a warm brief, all told':<{width}}  {total:6.1f}")


if __name__ == "__main__":
    main()
