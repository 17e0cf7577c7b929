"""Worker processes: how many a build starts, how, when, and that they end with it.

A build decides before it reads the project whether it draws one brief or several
(`at_most_one_brief`, from file names alone), and starts its workers then, so that a worker
holds only the command line, never the plan (which grows with the number of donors). Where
workers are forked (Linux), one process imports the drawing libraries while this process
reads the project and plans, then forks the workers (`drawing_ahead`, briefs.build.forked):
the imports are made once, side by side with planning. Where they are spawned, a pool of `jobs`
workers starts with the first brief (`early_workers`). This module imports next to nothing,
so that the fork comes first.

A `build --jobs N` killed with SIGKILL, or with a scheduler's SIGTERM, runs no clean-up: its
workers would go on drawing for ever, adopted by init, about 115 MB each. Every worker runs
`end_with_parent` as it starts: on Linux the kernel kills the worker when the process that
started it dies (PR_SET_PDEATHSIG); everywhere, a thread also watches the parent's pid.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.build.forked import DrawingAhead, end_with_parent
from briefs.contract.names import DONOR_CODE, PROFILE_FILE
from briefs.errors import Problem, UserError

if TYPE_CHECKING:  # imported when a run has workers, and only then
    from concurrent.futures import Executor, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

START_METHOD_VARIABLE = "BRIEFS_START_METHOD"
__all__ = ["DrawingAhead", "at_most_one_brief", "default_jobs", "early_workers", "pool_of",
           "start_method", "workers_for"]


def at_most_one_brief(root: Path, codes: tuple[str, ...], edition: int | None = None) -> bool:
    """Whether the donors asked for have at most one profile between them (of `edition`, when
    one is given): then a run draws at most one brief, and one worker at most is started.

    Counted from the file names in their folders, before the project is read (workers are
    started before it: see `early_workers`); a code that names no folder counts none, and
    planning says what is wrong with it.
    """
    if not codes:
        return False  # every donor
    found = 0
    for code in codes:
        if not DONOR_CODE.match(code):
            continue  # not a code: planning says so
        try:
            names = os.listdir(root / "data" / "profiles" / code)
        except OSError:
            continue  # no such folder: planning says so
        found += sum(1 for name in names if (m := PROFILE_FILE.match(name)) is not None
                     and (edition is None or int(m.group(1)) == edition))
        if found > 1:
            return False
    return True


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)


def start_method(chosen: str | None = None) -> str:
    """How worker processes start: `chosen`, else BRIEFS_START_METHOD, else fork on Linux
    (cheap: workers inherit what is imported) and the platform's default elsewhere."""
    import multiprocessing

    name = chosen or _asked_method() or multiprocessing.get_start_method()
    methods = multiprocessing.get_all_start_methods()
    if name not in methods:
        source = "start_method" if chosen else START_METHOD_VARIABLE
        raise UserError([Problem(source, f"'{name}' is not a way to start workers here; "
                                 f"use {', '.join(methods)}")])
    return name


def _asked_method() -> str | None:
    """BRIEFS_START_METHOD, else fork on Linux; None: the platform's default."""
    return os.environ.get(START_METHOD_VARIABLE) or \
        ("fork" if sys.platform.startswith("linux") else None)


def pool_of(jobs: int, context: BaseContext,
            initializer: Callable[[int], None] = end_with_parent) -> ProcessPoolExecutor:
    """A pool of `jobs` workers, each ending with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=initializer, initargs=(os.getpid(),))


@contextlib.contextmanager
def early_workers(jobs: int, method: str | None = None) -> Iterator[Executor | None]:
    """A pool of `jobs` workers started now, before the project is read; None for one job.
    A build uses it where workers are not forked by `drawing_ahead` (spawn, forkserver).

    A forked worker starts as a copy of this process: forked after the tables and every
    brief's plan are loaded, each worker would carry them, and grow with the number of donors.
    Forked first, it holds only the command line. Spawned workers start afresh anyway, so
    they are left to start when the first brief is sent. The pool ends with the block.
    """
    if jobs <= 1:
        yield None
        return
    import multiprocessing

    name = start_method(method)
    with pool_of(jobs, multiprocessing.get_context(name)) as pool:
        if name == "fork":  # a fork pool starts all its workers at the first task
            pool.submit(os.getpid).result()
        yield pool


def workers_for(jobs: int, one: bool) -> contextlib.AbstractContextManager[
        Executor | DrawingAhead | None]:
    """The workers of a build, started now: none with one job; for at most one brief (`one`),
    one worker that draws ahead; for more, `jobs` workers, forked ahead where workers are
    forked, else a pool that starts with the first brief."""
    if jobs <= 1:
        return contextlib.nullcontext()
    if one:
        return drawing_ahead(1)
    return drawing_ahead(jobs) if _asked_method() == "fork" else early_workers(jobs)


def drawing_ahead(workers: int) -> contextlib.AbstractContextManager[DrawingAhead | None]:
    """`workers` forked now (`DrawingAhead`): one process imports the drawing libraries while
    this process reads the project, then forks them (or draws itself, for one). None where
    workers are not forked (a spawned one would import briefs afresh: one brief is drawn
    here), or when the system has no process to give."""
    if _asked_method() != "fork":  # known without importing multiprocessing (12 ms)
        return contextlib.nullcontext()
    # what both processes import, imported once: the types of a brief and of a layout, and
    # ReportLab's colours (a layout's colours are theirs; they import PIL)
    from reportlab.lib import colors  # noqa: F401

    from briefs.contract import model  # noqa: F401
    from briefs.layout import model as layout_model  # noqa: F401

    try:
        return DrawingAhead(workers)
    except OSError:  # no process to be had (EAGAIN, ENOMEM): drawn here
        return contextlib.nullcontext()
